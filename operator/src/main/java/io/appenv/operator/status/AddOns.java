package io.appenv.operator.status;

/**
 * What became of the objects for optional add-ons.
 *
 * @param serviceMonitor the app's ServiceMonitor (Prometheus Operator)
 * @param veleroSchedule the environment's Velero Schedule
 */
public record AddOns(AddOnState serviceMonitor, AddOnState veleroSchedule) {}
