package io.appenv.operator;

import io.appenv.operator.builders.PostgresImage;
import io.appenv.operator.names.AlertLabels;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the operator process, bound from environment variables such as
 * APPENV_WATCHNAMESPACES, APPENV_LEADERELECTION_ENABLED, APPENV_LEADERELECTION_LEASENAME.
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param leaderElection the Lease that lets only one replica reconcile
 * @param serverSideApply apply owned objects with server-side apply (off only for API servers
 *     without it)
 * @param webhook the Alertmanager webhook that triggers rollbacks
 * @param images where the images the operator chooses come from (APPENV_IMAGES_POSTGRES)
 * @param resyncInterval each environment is reconciled at least this often, events or not (a backup
 *     that stops succeeding is noticed without one); a reconcile that finds nothing new writes
 *     nothing
 * @param monitoring how the environments' ServiceMonitors and PrometheusRules fit the cluster's
 *     Prometheus
 */
@ConfigurationProperties("appenv")
public record OperatorProperties(
    @DefaultValue List<String> watchNamespaces,
    @DefaultValue LeaderElection leaderElection,
    @DefaultValue("true") boolean serverSideApply,
    @DefaultValue Webhook webhook,
    @DefaultValue Images images,
    @DefaultValue("10m") Duration resyncInterval,
    @DefaultValue Monitoring monitoring) {

  @ConstructorBinding
  public OperatorProperties {}

  /** Settings without the webhook, for operators built in tests. */
  public OperatorProperties(
      List<String> watchNamespaces, LeaderElection leaderElection, boolean serverSideApply) {
    this(
        watchNamespaces,
        leaderElection,
        serverSideApply,
        new Webhook("", "", 1_048_576),
        new Images(PostgresImage.OFFICIAL.repository()),
        Duration.ofMinutes(10),
        new Monitoring("", ""));
  }

  /** Settings with another webhook (tests of the webhook). */
  public OperatorProperties(
      List<String> watchNamespaces,
      LeaderElection leaderElection,
      boolean serverSideApply,
      Webhook webhook,
      Images images,
      Duration resyncInterval) {
    this(
        watchNamespaces,
        leaderElection,
        serverSideApply,
        webhook,
        images,
        resyncInterval,
        new Monitoring("", ""));
  }

  /**
   * Images the operator picks itself; the app's image is the spec's. For air-gapped clusters and
   * registry mirrors.
   *
   * @param postgres the repository of the PostgreSQL image, without tag: the operator adds the
   *     major version (APPENV_IMAGES_POSTGRES, default docker.io/library/postgres)
   */
  public record Images(@DefaultValue("docker.io/library/postgres") String postgres) {}

  /**
   * Monitoring in the cluster the operator runs in.
   *
   * @param labels labels every ServiceMonitor and PrometheusRule gets, {@code key=value} pairs
   *     separated by commas, for a Prometheus that selects them by label, e.g. {@code
   *     release=kube-prometheus-stack} (APPENV_MONITORING_LABELS); an environment's
   *     spec.monitoring.labels add to them
   * @param prometheusUrl a Prometheus the release report reads each release's error rate and
   *     latency from, e.g. {@code http://prometheus-operated.monitoring.svc:9090}
   *     (APPENV_MONITORING_PROMETHEUSURL); empty: none
   */
  public record Monitoring(
      @DefaultValue("") String labels, @DefaultValue("") String prometheusUrl) {}

  /**
   * The Alertmanager webhook (POST /webhooks/alertmanager).
   *
   * @param token the bearer token Alertmanager sends (APPENV_WEBHOOK_TOKEN, from a Secret)
   * @param tokenFile a file holding the token instead, e.g. a mounted Secret
   *     (APPENV_WEBHOOK_TOKENFILE)
   * @param maxBodyBytes larger notifications are refused with 413
   * @param originLabel the alert label that names the namespace of the rule an alert came from (the
   *     Prometheus Operator's enforcedNamespaceLabel); an alert rolls back only an environment of
   *     that namespace. Empty turns the check off, for a cluster of one tenant
   *     (APPENV_WEBHOOK_ORIGINLABEL)
   */
  public record Webhook(
      @DefaultValue("") String token,
      @DefaultValue("") String tokenFile,
      @DefaultValue("1048576") int maxBodyBytes,
      @DefaultValue(AlertLabels.ORIGIN_NAMESPACE) String originLabel) {

    @ConstructorBinding
    public Webhook {}

    public Webhook(String token, String tokenFile, int maxBodyBytes) {
      this(token, tokenFile, maxBodyBytes, AlertLabels.ORIGIN_NAMESPACE);
    }
  }

  /**
   * @param enabled run leader election, so several replicas can run and one reconciles
   * @param leaseName name of the coordination.k8s.io Lease
   * @param leaseNamespace namespace of the Lease; empty means the operator Pod's own namespace
   * @param identity this replica's name in the Lease; empty means the host (Pod) name
   * @param leaseDuration how long a leader's Lease lasts without renewal; a standby takes over
   *     after it
   * @param exitOnLostLeadership end the process when leadership is lost, so a restarted Pod starts
   *     clean
   * @param podName this replica's Pod, from the downward API: the leader labels it {@code
   *     appenv.io/leader=true}, which the webhook's Service selects; empty labels nothing
   */
  public record LeaderElection(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("appenv-operator") String leaseName,
      @DefaultValue("") String leaseNamespace,
      @DefaultValue("") String identity,
      @DefaultValue("15s") Duration leaseDuration,
      @DefaultValue("true") boolean exitOnLostLeadership,
      @DefaultValue("") String podName) {

    @ConstructorBinding
    public LeaderElection {}

    public LeaderElection(
        boolean enabled,
        String leaseName,
        String leaseNamespace,
        String identity,
        Duration leaseDuration,
        boolean exitOnLostLeadership) {
      this(enabled, leaseName, leaseNamespace, identity, leaseDuration, exitOnLostLeadership, "");
    }
  }
}
