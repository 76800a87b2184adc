package io.appenv.operator.observe;

/** Where a Job the operator waits for stands: a pre-release backup, the roles Job. */
public enum JobState {
  ABSENT,
  RUNNING,
  SUCCEEDED,
  FAILED
}
