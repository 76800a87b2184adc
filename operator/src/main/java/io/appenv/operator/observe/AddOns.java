package io.appenv.operator.observe;

import io.appenv.operator.monitoring.PrometheusSelection;

/**
 * What became of the objects for optional add-ons.
 *
 * @param serviceMonitor the app's ServiceMonitor (Prometheus Operator)
 * @param alertRules the environment's PrometheusRule (Prometheus Operator)
 * @param veleroSchedule the environment's Velero Schedule
 * @param selection whether a Prometheus selects the rules and the ServiceMonitor, or null where
 *     that is not asked (monitoring off, or no Prometheus CRD in the cluster)
 */
public record AddOns(
    AddOnState serviceMonitor,
    AddOnState alertRules,
    AddOnState veleroSchedule,
    PrometheusSelection.Result selection) {
  public AddOns(AddOnState serviceMonitor, AddOnState alertRules, AddOnState veleroSchedule) {
    this(serviceMonitor, alertRules, veleroSchedule, null);
  }
}
