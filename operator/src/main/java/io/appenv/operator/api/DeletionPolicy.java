package io.appenv.operator.api;

/** What happens to the database volume when its AppEnvironment is deleted. */
public enum DeletionPolicy {
  Retain,
  Delete
}
