package io.appenv.operator.spec;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backup schedule read as Kubernetes reads a CronJob's, and what the CRD's pattern lets through
 * but Kubernetes does not run: a range that runs backwards (the CronJob is refused), or a day that
 * no chosen month has (it never runs). {@code ?} means {@code *}, and Sunday is 0, as in
 * Kubernetes.
 */
public final class CronSchedule {
  /**
   * What is read from a schedule is remembered per schedule: the reconciles of every environment
   * ask again, and parsing was a few percent of the operator's CPU at 1,000 environments. At most
   * {@value #REMEMBERED} schedules each; past that a map starts over.
   */
  static final int REMEMBERED = 1024;

  private static final Map<String, Duration> LONGEST = new ConcurrentHashMap<>();
  private static final Map<String, ExecutionTime> EXECUTION_TIMES = new ConcurrentHashMap<>();
  private static final Map<String, Optional<String>> PROBLEMS = new ConcurrentHashMap<>();
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly",
          "0 0 1 1 *",
          "@annually",
          "0 0 1 1 *",
          "@monthly",
          "0 0 1 * *",
          "@weekly",
          "0 0 * * 0",
          "@daily",
          "0 0 * * *",
          "@midnight",
          "0 0 * * *",
          "@hourly",
          "0 * * * *");
  private static final List<String> FIELDS =
      List.of("minute", "hour", "day of month", "month", "day of week");
  private static final List<String> MONTHS =
      List.of(
          "", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final List<String> WEEKDAYS =
      List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
  private static final Pattern WEEKDAY_NAME = Pattern.compile("(?i)sun|mon|tue|wed|thu|fri|sat");

  /** A leap year lies within the four years searched from here, so the 29th of February counts. */
  private static final ZonedDateTime FROM =
      ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private CronSchedule() {}

  /** The schedule's runs; cron-utils' ExecutionTime keeps no state between calls. */
  public static ExecutionTime executionTime(String schedule) {
    return remembered(EXECUTION_TIMES, schedule, CronSchedule::parse);
  }

  private static ExecutionTime parse(String schedule) {
    return ExecutionTime.forCron(
        PARSER.parse(asCronUtilsReadsIt(MACROS.getOrDefault(schedule, schedule))));
  }

  private static <V> V remembered(Map<String, V> map, String schedule, Function<String, V> read) {
    if (map.size() >= REMEMBERED) {
      map.clear();
    }
    return map.computeIfAbsent(schedule, read);
  }

  /**
   * cron-utils counts SUN as 7, so SUN-SAT would run backwards: weekday names become Kubernetes'
   * 0-6.
   */
  private static String asCronUtilsReadsIt(String expression) {
    String[] fields = expression.trim().replace('?', '*').split(" +");
    if (fields.length == FIELDS.size()) {
      Matcher day = WEEKDAY_NAME.matcher(fields[4]);
      StringBuilder numbered = new StringBuilder();
      while (day.find()) {
        day.appendReplacement(
            numbered, String.valueOf(WEEKDAYS.indexOf(day.group().toLowerCase(Locale.ROOT))));
      }
      fields[4] = day.appendTail(numbered).toString();
    }
    return String.join(" ", fields);
  }

  /** What to change in a schedule the CRD accepted, or null when it runs. */
  public static String problem(String schedule) {
    return remembered(PROBLEMS, schedule, s -> Optional.ofNullable(findProblem(s))).orElse(null);
  }

  private static String findProblem(String schedule) {
    if (MACROS.containsKey(schedule)) {
      return null;
    }
    String[] fields = schedule.trim().split(" +");
    for (int i = 0; i < fields.length && i < FIELDS.size(); i++) {
      for (String item : fields[i].split(",")) {
        String range = item.split("/")[0];
        String[] ends = range.split("-");
        if (ends.length == 2 && value(ends[0]) > value(ends[1])) {
          return "the "
              + FIELDS.get(i)
              + " range "
              + range
              + " runs backwards: write it from the lower value to the"
              + " higher, e.g. "
              + ends[1]
              + "-"
              + ends[0];
        }
      }
    }
    try {
      if (executionTime(schedule).nextExecution(FROM).isEmpty()) {
        return "never runs: no month it names has that day; choose a day of month that exists in them";
      }
    } catch (IllegalArgumentException e) {
      return "cannot be read (" + e.getMessage() + "); write it as e.g. \"0 2 * * *\"";
    }
    return null;
  }

  private static int value(String text) {
    String name = text.toLowerCase(Locale.ROOT);
    if (MONTHS.contains(name)) {
      return MONTHS.indexOf(name);
    }
    if (WEEKDAYS.contains(name)) {
      return WEEKDAYS.indexOf(name);
    }
    return Integer.parseInt(text);
  }

  /**
   * The longest time between two runs over a year of the schedule (at most 5000 runs, enough for a
   * weekday schedule every few minutes to reach its weekend), from a fixed date so the answer never
   * changes: a weekday schedule's weekend counts, a monthly one gives 31 days. Remembered per
   * schedule.
   */
  public static Duration longestPeriod(String schedule) {
    return remembered(LONGEST, schedule, CronSchedule::scanLongestPeriod);
  }

  private static Duration scanLongestPeriod(String schedule) {
    ExecutionTime times = executionTime(schedule);
    ZonedDateTime run =
        times.nextExecution(ZonedDateTime.of(2026, 1, 5, 0, 0, 0, 0, ZoneOffset.UTC)).orElseThrow();
    ZonedDateTime end = run.plusYears(1);
    Duration longest = Duration.ZERO;
    for (int runs = 0; runs < 5000 && run.isBefore(end); runs++) {
      ZonedDateTime next = times.nextExecution(run).orElseThrow();
      Duration gap = Duration.between(run, next);
      longest = gap.compareTo(longest) > 0 ? gap : longest;
      run = next;
    }
    return longest;
  }
}
