package dev.outpost.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election among the control plane's replicas with a Kubernetes Lease (fabric8's {@code
 * LeaderElector}). Only the leader writes status and Events; every replica serves xDS.
 *
 * <p>fabric8's elector runs one term: it acquires, renews, and ends when a renewal misses the
 * renew deadline or another holder took the Lease. This class starts a new elector after each
 * term, so a replica that lost leadership (an API server outage, a long pause) becomes a candidate
 * again. {@link #isLeader()} turns false as soon as the term ends, which happens before the Lease
 * expires for the others (renew deadline shorter than the lease duration), so two replicas never
 * both believe they lead. On {@link #close()} the Lease is released, so a successor takes over
 * within one retry period instead of waiting for the lease to expire.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
  /** The Lease's default name (deploy/ grants get, update and patch on exactly this name). */
  public static final String LEASE_NAME = "outpost-leader";

  /** Kubernetes' usual values (kube-controller-manager's defaults). */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  /** What a replica does when it gains or loses leadership; called on the elector's threads. */
  public interface Listener {
    void leadershipGained();

    void leadershipLost();
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String leaseName;
  private final String identity;
  private final Timing timing;
  private final Listener listener;
  private final ScheduledExecutorService restarter;
  private volatile boolean leader;
  private volatile boolean closed;
  private CompletableFuture<?> term; // guarded by this

  /**
   * @param namespace the control plane's namespace, where the Lease lives
   * @param leaseName the Lease's name, usually {@value #LEASE_NAME}
   * @param identity this replica's pod name
   */
  public LeaderElection(
      KubernetesClient client,
      String namespace,
      String leaseName,
      String identity,
      Timing timing,
      Listener listener) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.leaseName = Objects.requireNonNull(leaseName, "leaseName");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.timing = Objects.requireNonNull(timing, "timing");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.restarter =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "outpost-leader-election");
              t.setDaemon(true);
              return t;
            });
  }

  public void start() {
    restarter.execute(this::runTerm);
  }

  public boolean isLeader() {
    return leader && !closed;
  }

  public String identity() {
    return identity;
  }

  private synchronized void runTerm() {
    if (closed) {
      return;
    }
    var config =
        new LeaderElectionConfigBuilder()
            .withName(leaseName)
            .withLock(new LeaseLock(namespace, leaseName, identity))
            .withLeaseDuration(timing.leaseDuration())
            .withRenewDeadline(timing.renewDeadline())
            .withRetryPeriod(timing.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped, this::newLeader))
            .build();
    term = client.leaderElector().withConfig(config).build().start();
    term.whenComplete(
        (v, t) -> {
          stopped(); // a term that ended is no longer leading, whatever the callbacks said
          if (!closed) {
            restarter.schedule(this::runTerm, timing.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
          }
        });
  }

  private void started() {
    if (closed) {
      return;
    }
    leader = true;
    LOG.info("{} is now the leader (Lease {}/{}): it writes status and Events", identity, namespace, leaseName);
    listener.leadershipGained();
  }

  private synchronized void stopped() {
    if (!leader) {
      return;
    }
    leader = false;
    LOG.info("{} is no longer the leader: it stops writing status and Events", identity);
    listener.leadershipLost();
  }

  private void newLeader(String holder) {
    if (holder != null && !holder.isEmpty() && !holder.equals(identity)) {
      LOG.debug("the leader is {}", holder);
    }
  }

  @Override
  public void close() {
    CompletableFuture<?> current;
    synchronized (this) {
      closed = true;
      current = term;
    }
    if (current != null) {
      current.cancel(true); // releases the Lease if held
    }
    restarter.shutdownNow();
    stopped();
  }
}
