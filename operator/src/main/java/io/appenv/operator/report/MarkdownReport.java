package io.appenv.operator.report;

import io.appenv.operator.report.ReportFormat.Section;
import java.util.List;

/** The report as Markdown (GitHub-flavoured tables). */
public final class MarkdownReport {
  private MarkdownReport() {}

  public static String render(ReleaseReport report) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(escape(ReportFormat.title(report))).append("\n\n");
    md.append("Period: ").append(escape(ReportFormat.period(report))).append("\n");
    String note = ReportFormat.historyNote(report);
    if (note != null) {
      md.append("\n> ").append(escape(note)).append("\n");
    }
    for (Section section : ReportFormat.sections(report)) {
      md.append("\n## ").append(section.heading()).append("\n\n");
      if (section.rows().isEmpty()) {
        md.append(escape(section.whenEmpty())).append("\n");
        continue;
      }
      row(md, section.header());
      md.append("|").append("---|".repeat(section.header().size())).append("\n");
      section.rows().forEach(cells -> row(md, cells));
    }
    return md.toString();
  }

  private static void row(StringBuilder md, List<String> cells) {
    md.append("|");
    cells.forEach(c -> md.append(" ").append(escape(c)).append(" |"));
    md.append("\n");
  }

  /**
   * Values come from the cluster (images, alert names): keep them from breaking a table or becoming
   * markup.
   */
  static String escape(String value) {
    return value.replaceAll("[\\\\`*_\\[\\]<>|#]", "\\\\$0").replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
