package io.appenv.operator.observe;

/**
 * Whether an object for an optional add-on (Prometheus Operator, Velero) could be installed. The
 * rest of the environment runs in every state.
 */
public enum AddOnState {
  INSTALLED,
  DISABLED,
  /** The add-on's CRD is not in the cluster. */
  CRD_MISSING
}
