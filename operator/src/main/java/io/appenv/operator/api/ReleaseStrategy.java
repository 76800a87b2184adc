package io.appenv.operator.api;

/** How a new release replaces the running one. */
public enum ReleaseStrategy {
  BlueGreen,
  Rolling
}
