package io.appenv.operator.status;

/** Whether the app's scraping configuration could be installed. */
public enum MonitoringState {
  INSTALLED,
  DISABLED,
  /** The Prometheus Operator's CRDs are not in the cluster: the rest of the environment runs anyway. */
  CRD_MISSING
}
