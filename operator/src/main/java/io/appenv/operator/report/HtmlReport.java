package io.appenv.operator.report;

import io.appenv.operator.report.ReportFormat.Section;
import java.util.List;

/** The report as one self-contained HTML page; every value is escaped. */
public final class HtmlReport {
  private static final String STYLE =
      "body{font-family:sans-serif;margin:2em;max-width:75em}"
          + "table{border-collapse:collapse;margin-bottom:1.5em}th,td{border:1px solid #ccc;padding:.3em .6em;"
          + "text-align:left}th{background:#f4f4f4}.note{color:#8a5a00}";

  private HtmlReport() {}

  public static String render(ReleaseReport report) {
    String title = escape(ReportFormat.title(report));
    StringBuilder html =
        new StringBuilder(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>")
            .append(title)
            .append("</title><style>")
            .append(STYLE)
            .append("</style></head>\n<body>\n<h1>")
            .append(title)
            .append("</h1>\n<p>Period: ")
            .append(escape(ReportFormat.period(report)))
            .append("</p>\n");
    String note = ReportFormat.historyNote(report);
    if (note != null) {
      html.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
    }
    for (Section section : ReportFormat.sections(report)) {
      html.append("<h2>").append(escape(section.heading())).append("</h2>\n");
      if (section.rows().isEmpty()) {
        html.append("<p>").append(escape(section.whenEmpty())).append("</p>\n");
        continue;
      }
      html.append("<table>\n");
      row(html, "th", section.header());
      section.rows().forEach(cells -> row(html, "td", cells));
      html.append("</table>\n");
    }
    return html.append("</body>\n</html>\n").toString();
  }

  private static void row(StringBuilder html, String cell, List<String> cells) {
    html.append("<tr>");
    cells.forEach(
        c ->
            html.append('<')
                .append(cell)
                .append('>')
                .append(escape(c))
                .append("</")
                .append(cell)
                .append('>'));
    html.append("</tr>\n");
  }

  static String escape(String value) {
    return value
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
