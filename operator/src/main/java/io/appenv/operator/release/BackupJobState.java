package io.appenv.operator.release;

/** Where a pre-release backup Job stands. */
public enum BackupJobState {
  ABSENT,
  RUNNING,
  SUCCEEDED,
  FAILED
}
