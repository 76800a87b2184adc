package io.appenv.operator.status;

import io.appenv.operator.api.Condition;
import io.appenv.operator.events.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sets conditions the way the Kubernetes API conventions ask: lastTransitionTime moves only when
 * status does.
 */
public final class Conditions {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private Conditions() {}

  public static Condition of(String type, boolean status, Reason reason, String message) {
    return Condition.builder()
        .type(type)
        .status(status ? TRUE : FALSE)
        .reason(reason.value())
        .message(message)
        .build();
  }

  public static Condition unknown(String type, Reason reason, String message) {
    return Condition.builder()
        .type(type)
        .status(UNKNOWN)
        .reason(reason.value())
        .message(message)
        .build();
  }

  /**
   * Returns a copy of {@code conditions} with {@code update} in place of the condition of its type.
   */
  public static List<Condition> set(
      List<Condition> conditions, Condition update, long generation, Instant now) {
    List<Condition> result = new ArrayList<>();
    Optional<Condition> existing = find(conditions, update.getType());
    String transitionTime =
        existing
            .filter(old -> Objects.equals(old.getStatus(), update.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now.toString());
    Condition stamped =
        update.toBuilder()
            .observedGeneration(generation)
            .lastTransitionTime(transitionTime)
            .build();
    boolean replaced = false;
    for (Condition condition : conditions == null ? List.<Condition>of() : conditions) {
      if (condition.getType().equals(update.getType())) {
        result.add(stamped);
        replaced = true;
      } else {
        result.add(condition);
      }
    }
    if (!replaced) {
      result.add(stamped);
    }
    return result;
  }

  /**
   * The conditions of {@code next}, each with the lastTransitionTime of the stored condition of its
   * type when their status is the same: several parts of one observation may set a condition in
   * turn (the release, then the database, on Ready), and only the stored status says whether it
   * changed.
   */
  public static List<Condition> keepTransitionTimes(List<Condition> stored, List<Condition> next) {
    return next.stream()
        .map(
            condition ->
                find(stored, condition.getType())
                    .filter(old -> Objects.equals(old.getStatus(), condition.getStatus()))
                    .map(
                        old ->
                            condition.toBuilder()
                                .lastTransitionTime(old.getLastTransitionTime())
                                .build())
                    .orElse(condition))
        .toList();
  }

  /** Returns a copy of {@code conditions} without the condition of {@code type}. */
  public static List<Condition> remove(List<Condition> conditions, String type) {
    return conditions == null
        ? List.of()
        : conditions.stream().filter(c -> !type.equals(c.getType())).toList();
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }
}
