package io.appenv.operator.validation;

import io.appenv.operator.api.AlertsSpec;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.CustomAlert;
import io.appenv.operator.api.EnvVarSpec;
import io.appenv.operator.api.MonitoringSpec;
import io.appenv.operator.api.PresetAlert;
import io.appenv.operator.api.ReleaseSpec;
import io.appenv.operator.builders.PostgresClientEnv;
import io.appenv.operator.names.MonitoringLabels;
import io.appenv.operator.spec.CronSchedule;
import io.appenv.operator.spec.Durations;
import io.appenv.operator.spec.EnvironmentDefaults;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what the CRD schema cannot: rules that span fields in ways CEL does not express well,
 * names appenv reserves, and backup schedules the pattern lets through but Kubernetes refuses or
 * never runs. Each problem names the field and says what to change.
 */
public final class SpecValidator {
  /** Variables appenv sets itself; a user value would silently lose or win against ours. */
  public static final Set<String> RESERVED_DATABASE_ENV = PostgresClientEnv.names();

  public static final String RESERVED_PREFIX = "APPENV_";
  private static final Map<Character, Character> CLOSING = Map.of(')', '(', ']', '[', '}', '{');

  private SpecValidator() {}

  public static List<String> validate(AppEnvironment env) {
    List<String> problems = new ArrayList<>();
    if (env.getSpec() == null
        || env.getSpec().getApp() == null
        || env.getSpec().getApp().getImage() == null) {
      problems.add("spec.app.image is required");
      return problems;
    }
    checkEnv(env, problems);
    checkRelease(env, problems);
    checkAlerts(env, problems);
    checkBackup(env, problems);
    checkMonitoringLabels(env, problems);
    return problems;
  }

  /**
   * Labels the API server would refuse on the ServiceMonitor, or that would replace appenv's own.
   */
  private static void checkMonitoringLabels(AppEnvironment env, List<String> problems) {
    var monitoring = env.getSpec().getMonitoring();
    if (monitoring == null || monitoring.getLabels() == null) {
      return;
    }
    monitoring
        .getLabels()
        .forEach(
            (key, value) -> {
              String problem = MonitoringLabels.problem(key, value);
              if (problem != null) {
                problems.add("spec.monitoring.labels: " + problem);
              }
            });
  }

  private static void checkBackup(AppEnvironment env, List<String> problems) {
    BackupSpec backup = env.getSpec().getBackup();
    if (backup == null || backup.getSchedule() == null) {
      return;
    }
    String problem = CronSchedule.problem(backup.getSchedule());
    if (problem != null) {
      problems.add("spec.backup.schedule \"" + backup.getSchedule() + "\": " + problem);
    }
  }

  private static void checkEnv(AppEnvironment env, List<String> problems) {
    List<EnvVarSpec> vars = env.getSpec().getApp().getEnv();
    if (vars == null) {
      return;
    }
    boolean hasDatabase = env.getSpec().getDatabase() != null;
    for (EnvVarSpec var : vars) {
      if (var.getName().startsWith(RESERVED_PREFIX)) {
        problems.add(
            "spec.app.env "
                + var.getName()
                + ": names starting with "
                + RESERVED_PREFIX
                + " are reserved for appenv; rename it");
      } else if (hasDatabase && RESERVED_DATABASE_ENV.contains(var.getName())) {
        problems.add(
            "spec.app.env "
                + var.getName()
                + " is set by appenv from the database credentials; remove it");
      }
    }
  }

  private static void checkRelease(AppEnvironment env, List<String> problems) {
    ReleaseSpec release = EnvironmentDefaults.release(env);
    durationOrProblem("spec.release.scaleDownDelay", release.getScaleDownDelay(), problems);
    durationOrProblem("spec.release.progressDeadline", release.getProgressDeadline(), problems);
  }

  private static void checkAlerts(AppEnvironment env, List<String> problems) {
    MonitoringSpec monitoring = env.getSpec().getMonitoring();
    if (monitoring == null || monitoring.getAlerts() == null) {
      return;
    }
    AlertsSpec alerts = monitoring.getAlerts();
    Duration window = verificationWindow(env, problems);
    checkPreset("errorRate", alerts.getErrorRate(), window, problems);
    checkPreset("latencyP95", alerts.getLatencyP95(), window, problems);
    checkPreset("podRestarts", alerts.getPodRestarts(), window, problems);
    for (CustomAlert alert :
        alerts.getCustom() == null ? List.<CustomAlert>of() : alerts.getCustom()) {
      String unbalanced = unbalancedBracket(alert.getExpr());
      if (unbalanced != null) {
        problems.add(
            "spec.monitoring.alerts.custom " + alert.getName() + ": expr has " + unbalanced);
      }
      if (Boolean.TRUE.equals(alert.getRollback())) {
        checkFitsWindow("custom " + alert.getName(), alert.getForDuration(), window, problems);
      }
    }
  }

  private static void checkPreset(
      String name, PresetAlert preset, Duration window, List<String> problems) {
    if (preset != null
        && Boolean.TRUE.equals(preset.getRollback())
        && preset.getForDuration() != null) {
      checkFitsWindow(name, preset.getForDuration(), window, problems);
    }
  }

  private static void checkFitsWindow(
      String alert, String forDuration, Duration window, List<String> problems) {
    Duration wait =
        durationOrProblem("spec.monitoring.alerts." + alert + ".for", forDuration, problems);
    if (wait != null && window != null && wait.compareTo(window) >= 0) {
      problems.add(
          "spec.monitoring.alerts."
              + alert
              + " waits "
              + forDuration
              + " before firing but the"
              + " release verification window is "
              + window.toMinutes()
              + "m, so it can never roll back;"
              + " shorten 'for' or lengthen spec.release.rollback.verificationWindow");
    }
  }

  private static Duration verificationWindow(AppEnvironment env, List<String> problems) {
    ReleaseSpec release = EnvironmentDefaults.release(env);
    String window =
        release.getRollback() == null ? "30m" : release.getRollback().getVerificationWindow();
    return durationOrProblem("spec.release.rollback.verificationWindow", window, problems);
  }

  private static Duration durationOrProblem(String field, String value, List<String> problems) {
    if (value == null) {
      return null;
    }
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + e.getMessage());
      return null;
    }
  }

  /**
   * A cheap PromQL sanity check that needs no cluster. Prometheus' own parser runs where the
   * Prometheus Operator's admission webhook is installed (AlertRulesAdmission). Null when balanced.
   */
  static String unbalancedBracket(String expr) {
    Deque<Character> open = new ArrayDeque<>();
    boolean inString = false;
    char quote = 0;
    for (char c : expr.toCharArray()) {
      if (inString) {
        inString = c != quote;
      } else if (c == '"' || c == '\'' || c == '`') {
        inString = true;
        quote = c;
      } else if (c == '(' || c == '[' || c == '{') {
        open.push(c);
      } else if (CLOSING.containsKey(c)) {
        if (open.isEmpty() || open.pop() != CLOSING.get(c)) {
          return "an unexpected '" + c + "'";
        }
      }
    }
    if (inString) {
      return "an unterminated string";
    }
    return open.isEmpty() ? null : "an unclosed '" + open.peek() + "'";
  }
}
