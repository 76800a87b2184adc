package io.appenv.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.ManualClock;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CrdCatalogTest {
  private static final String CRD = "servicemonitors.monitoring.coreos.com";
  KubernetesClient client;

  @Test
  void noticesACrdInstalledLaterAfterTheRecheckInterval() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
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

    clock.advance(CrdCatalog.RECHECK_ABSENT.plus(Duration.ofSeconds(1)));
    assertThat(catalog.isInstalled(CRD)).isTrue();
  }
}
