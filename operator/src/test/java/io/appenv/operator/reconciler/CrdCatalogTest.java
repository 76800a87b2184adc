package io.appenv.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CrdCatalogTest {
  private static final String CRD = "servicemonitors.monitoring.coreos.com";
  KubernetesClient client;

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-11-26T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void noticesACrdInstalledLaterAfterTheRecheckInterval() {
    ManualClock clock = new ManualClock();
    CrdCatalog catalog = new CrdCatalog(client, clock);
    assertThat(catalog.isInstalled(CRD)).isFalse();

    client
        .resource(
            new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName(CRD)
                .endMetadata()
                .withNewSpec()
                .withGroup("monitoring.coreos.com")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("ServiceMonitor")
                .withPlural("servicemonitors")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .endVersion()
                .endSpec()
                .build())
        .create();
    assertThat(catalog.isInstalled(CRD)).as("absent answer still cached").isFalse();

    clock.now = clock.now.plus(CrdCatalog.RECHECK_ABSENT).plus(Duration.ofSeconds(1));
    assertThat(catalog.isInstalled(CRD)).isTrue();
  }
}
