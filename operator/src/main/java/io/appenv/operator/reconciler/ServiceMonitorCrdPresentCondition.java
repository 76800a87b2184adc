package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.upstream.ServiceMonitor;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;

/** The ServiceMonitor dependent, and its informer, exist only where the Prometheus Operator's CRD does. */
public class ServiceMonitorCrdPresentCondition extends CRDPresentActivationCondition<ServiceMonitor, AppEnvironment> {}
