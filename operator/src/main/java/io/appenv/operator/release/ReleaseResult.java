package io.appenv.operator.release;

/** The values of a release record's result. */
public final class ReleaseResult {
  public static final String PROGRESSING = "Progressing";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String SUPERSEDED = "Superseded";
  public static final String ROLLED_BACK = "RolledBack";

  private ReleaseResult() {}
}
