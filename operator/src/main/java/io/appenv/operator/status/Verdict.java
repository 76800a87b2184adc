package io.appenv.operator.status;

import io.appenv.operator.api.Condition;
import io.appenv.operator.api.Phase;
import java.util.List;

/**
 * What one part of an observation decides for the status: the conditions it sets and the phase it
 * leads to.
 *
 * @param phase the phase, or null where this part leaves the phase as the parts before set it
 */
record Verdict(Phase phase, List<Condition> conditions) {
  static Verdict of(Phase phase, Condition... conditions) {
    return new Verdict(phase, List.of(conditions));
  }

  /** Conditions only: the phase stays. */
  static Verdict conditions(Condition... conditions) {
    return new Verdict(null, List.of(conditions));
  }
}
