package io.appenv.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.LeaderState;
import io.appenv.operator.OperatorProperties;
import io.appenv.operator.OperatorTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class NonLeaderWebhookTest {

  private static AlertmanagerWebhookController controller(String token, boolean leader) {
    OperatorProperties base = OperatorTestSupport.properties(List.of(), true);
    OperatorProperties properties =
        new OperatorProperties(
            base.watchNamespaces(),
            base.leaderElection(),
            true,
            new OperatorProperties.Webhook(token, "", 1024),
            base.images(),
            base.resyncInterval());
    return new AlertmanagerWebhookController(properties, new LeaderState(leader), null);
  }

  @Test
  void aStandbyReplicaAsksAlertmanagerToRetry() throws Exception {
    var response = controller("t", false).receive("Bearer t", new MockHttpServletRequest());

    assertThat(response.getStatusCode().value()).isEqualTo(503);
    assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
  }

  @Test
  void withoutAConfiguredTokenTheWebhookStaysClosed() throws Exception {
    var response = controller("", true).receive("Bearer anything", new MockHttpServletRequest());

    assertThat(response.getStatusCode().value()).isEqualTo(503);
    assertThat(response.getBody())
        .containsEntry("error", "no webhook token configured (APPENV_WEBHOOK_TOKEN or _TOKENFILE)");
  }
}
