package io.appenv.operator.status;

import io.appenv.operator.monitoring.PrometheusSelection;
import io.appenv.operator.observe.AddOnState;
import io.appenv.operator.observe.AddOns;
import io.appenv.operator.observe.DatabaseState;
import io.appenv.operator.observe.RolloutState;
import java.util.List;

/**
 * Observations for status tests: a Rolling environment whose Deployment is available, changed where
 * it matters.
 */
public final class Observations {
  private Observations() {}

  /** Generation 4, a valid spec, the Deployment available, nothing else observed. */
  public static Observation available() {
    return rollout(RolloutState.Stage.AVAILABLE);
  }

  public static Observation rollout(RolloutState.Stage stage) {
    return new Observation(
        4, List.of(), new RolloutState(stage, "3/3 replicas available"), null, null, null, null);
  }

  public static Observation invalid(long generation, String... problems) {
    return new Observation(generation, List.of(problems), null, null, null, null, null);
  }

  public static Observation withAddOns(
      Observation o, AddOnState serviceMonitor, AddOnState alertRules, AddOnState velero) {
    return new Observation(
        o.generation(),
        o.specProblems(),
        o.rollout(),
        new AddOns(serviceMonitor, alertRules, velero),
        o.release(),
        o.database(),
        o.backup());
  }

  /**
   * The ServiceMonitor and PrometheusRule installed, and what the cluster's Prometheuses say of the
   * rules (null: not asked).
   */
  public static Observation withSelection(Observation o, PrometheusSelection.Result selection) {
    return new Observation(
        o.generation(),
        o.specProblems(),
        o.rollout(),
        new AddOns(AddOnState.INSTALLED, AddOnState.INSTALLED, null, selection),
        o.release(),
        o.database(),
        o.backup());
  }

  public static Observation withDatabase(Observation o, DatabaseState database) {
    return new Observation(
        o.generation(),
        o.specProblems(),
        o.rollout(),
        o.addOns(),
        o.release(),
        database,
        o.backup());
  }

  public static Observation withGeneration(Observation o, long generation) {
    return new Observation(
        generation,
        o.specProblems(),
        o.rollout(),
        o.addOns(),
        o.release(),
        o.database(),
        o.backup());
  }
}
