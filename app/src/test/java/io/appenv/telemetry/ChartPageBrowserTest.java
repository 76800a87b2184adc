package io.appenv.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.telemetry.support.HeadlessChromium;
import io.appenv.telemetry.support.IntegrationTest;
import io.appenv.telemetry.support.ReadingsJson;
import io.appenv.telemetry.support.ReadingsJson.Row;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChartPageBrowserTest extends IntegrationTest {

  private static final Instant T0 = Instant.parse("2025-05-01T00:00:00Z");
  private static final Pattern PLOTTED = Pattern.compile("data-plotted-points=\"(\\d+)\"");

  @Test
  void chartPagePlotsEveryReadingOfTheDeviceInARealBrowser() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.requireInstalled();
    String device = uniqueDevice("chart");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 180; i++) {
      rows.add(new Row(device, T0.plusSeconds(60L * i), "temp", 20 + Math.sin(i / 10.0) * 3));
      if (i % 2 == 0) {
        rows.add(new Row(device, T0.plusSeconds(60L * i), "humidity", 40 + Math.cos(i / 15.0) * 5));
      }
    }
    assertThat(api.postJson("/api/v1/readings", INGEST_KEY, ReadingsJson.batch(rows)).statusCode())
        .isEqualTo(200);
    String url =
        api.baseUrl()
            + "/#key="
            + READ_KEY
            + "&device="
            + device
            + "&from="
            + T0
            + "&to="
            + T0.plusSeconds(86_400);

    String dom = chromium.dumpDom(url);

    assertThat(dom).contains("data-state=\"rendered\"");
    Matcher plotted = PLOTTED.matcher(dom);
    assertThat(plotted.find()).as("canvas carries data-plotted-points").isTrue();
    assertThat(Integer.parseInt(plotted.group(1))).isEqualTo(rows.size());
    String screenshot = System.getProperty("chart.screenshot");
    if (screenshot != null) {
      chromium.screenshot(url, Path.of(screenshot));
    }
  }

  @Test
  void chartPageReportsAnErrorForAWrongKeyInsteadOfAnEmptyChart() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.requireInstalled();
    String url = api.baseUrl() + "/#key=wrong&device=x&from=" + T0 + "&to=" + T0.plusSeconds(60);

    String dom = chromium.dumpDom(url);

    assertThat(dom).contains("data-state=\"error\"").contains("HTTP 401");
  }
}
