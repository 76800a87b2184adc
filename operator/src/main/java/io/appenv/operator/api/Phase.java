package io.appenv.operator.api;

/** One-word summary of an AppEnvironment's conditions, for people and printer columns. */
public enum Phase {
  Pending,
  Progressing,
  Ready,
  Degraded,
  RolledBack
}
