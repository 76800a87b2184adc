package io.appenv.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the Lease up once the operator has stopped, as client-go's ReleaseOnCancel does: an empty
 * holder, a one-second duration. (Not null, as fabric8's {@code LeaderElector.release()} writes:
 * its lock updates by JSON merge patch, which drops a null, so the old holder would stay.) A
 * standby then takes over at its next retry (about 2 s) instead of waiting the Lease out (15 s);
 * JOSDK 5.2.3 builds fabric8's elector with releaseOnCancel off. Written through fabric8's {@link
 * LeaseLock}, with the resourceVersion it read: a Lease another replica took meanwhile is left to
 * it.
 */
public class LeaseRelease {
  private static final Logger log = LoggerFactory.getLogger(LeaseRelease.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final Clock clock;
  // Once: a second stop() (Spring and a test both closing) would find the client closed.
  private final AtomicBoolean attempted = new AtomicBoolean();

  public LeaseRelease(
      KubernetesClient client, String namespace, String name, String identity, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
    this.clock = clock;
  }

  /**
   * Releases the Lease if this replica holds it, on the first call only; returns whether it did.
   * Never throws.
   */
  public boolean run() {
    if (!attempted.compareAndSet(false, true)) {
      return false;
    }
    LeaseLock lock = new LeaseLock(namespace, name, identity);
    try {
      LeaderElectionRecord held = lock.get(client);
      if (held == null || !identity.equals(held.getHolderIdentity())) {
        return false;
      }
      ZonedDateTime now = ZonedDateTime.now(clock);
      lock.update(
          client,
          new LeaderElectionRecord(
              "", Duration.ofSeconds(1), now, now, held.getLeaderTransitions()));
      log.info("Gave Lease {}/{} up: a standby takes over at its next retry", namespace, name);
      return true;
    } catch (RuntimeException e) { // an API error, or a client already closed by a second stop()
      log.warn(
          "Could not give Lease {}/{} up ({}): a standby takes it when it expires",
          namespace,
          name,
          e.getMessage());
      return false;
    }
  }
}
