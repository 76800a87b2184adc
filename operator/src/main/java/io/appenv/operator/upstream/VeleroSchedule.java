package io.appenv.operator.upstream;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The part of Velero's Schedule that appenv writes. Typed for the same reason as {@link
 * ServiceMonitor}: JOSDK can then tell from the annotations whether the CRD is installed.
 */
@Group("velero.io")
@Version("v1")
@Kind("Schedule")
@Plural("schedules")
public class VeleroSchedule extends CustomResource<VeleroScheduleSpec, Void> implements Namespaced {
  public static final String CRD_NAME = "schedules.velero.io";
}
