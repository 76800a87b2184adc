package io.appenv.operator.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.OperatorProcessTest;
import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.ReleaseRecord;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * GET /reports/{namespace}/{name} of the running operator, reading the AppEnvironment from
 * fabric8's mock API server. The environment lives in a namespace the operator does not watch, so
 * its status stays as the test wrote it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"appenv.server-side-apply=false", "appenv.watch-namespaces=elsewhere"})
class ReportEndpointTest extends OperatorProcessTest {
  private static final String NS = "shop-prod";

  @BeforeEach
  void environmentWithARollback() {
    if (client.resources(AppEnvironment.class).inNamespace(NS).withName("shop").get() != null) {
      return;
    }
    Instant now = Instant.now();
    ReleaseRecord first = record(1, "Succeeded", now.minus(Duration.ofDays(3)));
    ReleaseRecord second = record(2, "RolledBack", now.minus(Duration.ofHours(5)));
    second.setReason("alert HighErrorRate fired for revision 2 (<b>bad</b>)");
    second.setRolledBackAt(now.minus(Duration.ofHours(4)).toString());
    second.setTimeToRestoreSeconds(42.0);
    AppEnvironment env = client.resource(TestEnvironments.rolling(NS, "shop")).create();
    AppEnvironmentStatus status = new AppEnvironmentStatus();
    status.setHistory(new ArrayList<>(List.of(second, first)));
    env.setStatus(status);
    client.resource(env).updateStatus();
  }

  private static ReleaseRecord record(long revision, String result, Instant startedAt) {
    ReleaseRecord r = new ReleaseRecord();
    r.setRevision(revision);
    r.setImage("ghcr.io/appenv/telemetry:" + revision + ".0.0");
    r.setResult(result);
    r.setStartedAt(startedAt.toString());
    r.setPromotedAt(startedAt.plus(Duration.ofMinutes(4)).toString());
    return r;
  }

  @Test
  void servesTheMarkdownReportByDefault() throws Exception {
    HttpResponse<String> report = get("/reports/shop-prod/shop");

    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(report.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/markdown"));
    assertThat(report.body())
        .startsWith("# Release report: shop-prod/shop (dev)")
        .contains("| Releases started | 2 |")
        .contains("| Change failure rate ((failed + rolled back) / ended) | 50.0 % |")
        .contains(
            "| alert | alert HighErrorRate fired for revision 2 (\\<b\\>bad\\</b\\>) | 42s |");
  }

  @Test
  void servesHtmlWithEscapedValuesAndHonoursTheNumberOfDays() throws Exception {
    HttpResponse<String> report = get("/reports/shop-prod/shop?days=1&format=html");

    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(report.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(report.body())
        .contains("<h1>Release report: shop-prod/shop (dev)</h1>")
        .contains("<td>Releases started</td><td>1</td>")
        .contains("(&lt;b&gt;bad&lt;/b&gt;)")
        .doesNotContain("<b>bad</b>")
        .doesNotContain("telemetry:1.0.0");
  }

  @Test
  void answers404WithTheReasonForAnUnknownEnvironment() throws Exception {
    HttpResponse<String> report = get("/reports/shop-prod/nope");

    assertThat(report.statusCode()).isEqualTo(404);
    assertThat(report.body()).contains("no AppEnvironment shop-prod/nope");
  }

  @Test
  void answers400ForBadDaysOrFormat() throws Exception {
    for (String query :
        List.of("days=0", "days=abc", "days=367", "days=-3", "days=1.5", "format=pdf")) {
      HttpResponse<String> report = get("/reports/shop-prod/shop?" + query);

      assertThat(report.statusCode()).as(query).isEqualTo(400);
      assertThat(report.body()).as(query).containsAnyOf("days must be", "format must be");
    }
    assertThat(get("/reports/shop-prod/shop?days=366").statusCode()).isEqualTo(200);
  }
}
