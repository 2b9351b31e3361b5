package dev.outpost.k8s;

import com.google.common.collect.ImmutableList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Reports the outcome of each translation round on the Istio objects themselves: {@code
 * status.conditions} ({@link ConditionMapper}) and Warning Events for errors, written by the
 * leader replica only.
 *
 * <p>Threads: {@link #report} maps the outcomes on the caller's thread (cheap, no I/O) and returns;
 * writing happens on the writer's own thread. Leader election runs on fabric8's executor.
 */
public final class StatusReporter implements AutoCloseable {
  private final LeaderElection election;
  private final StatusWriter writer;
  private final EventRecorder events;

  /**
   * @param client a client of the cluster (not closed by this reporter)
   * @param namespace the control plane's namespace (holds the Lease)
   * @param podName this replica's pod name: the leader identity and the Events' reporting instance
   */
  public static StatusReporter create(KubernetesClient client, String namespace, String podName) {
    return create(client, namespace, LeaderElection.LEASE_NAME, podName);
  }

  /** With another Lease name ({@code --leader-election-lease}). */
  public static StatusReporter create(
      KubernetesClient client, String namespace, String leaseName, String podName) {
    return new StatusReporter(
        client,
        namespace,
        leaseName,
        podName,
        LeaderElection.Timing.DEFAULT,
        StatusWriter.FIRST_BACKOFF,
        Clock.systemUTC());
  }

  StatusReporter(
      KubernetesClient client,
      String namespace,
      String leaseName,
      String podName,
      LeaderElection.Timing timing,
      Duration firstBackoff,
      Clock clock) {
    Objects.requireNonNull(client, "client");
    this.events = new EventRecorder(client, podName, clock);
    LeaderElection.Listener listener =
        new LeaderElection.Listener() {
          @Override
          public void leadershipGained() {
            writer().leadershipGained();
          }

          @Override
          public void leadershipLost() {
            writer().leadershipLost();
          }
        };
    this.election = new LeaderElection(client, namespace, leaseName, podName, timing, listener);
    this.writer = new StatusWriter(client, election::isLeader, events, clock, firstBackoff);
  }

  private StatusWriter writer() {
    return writer;
  }

  /** Starts leader election; status is written once this replica leads. */
  public void start() {
    election.start();
  }

  /**
   * Hands over the outcome of a translation round; returns at once. Replaces the previous report:
   * objects not in it are no longer written. Followers keep the latest report and write it when
   * they become the leader.
   */
  public void report(StatusReport report) {
    writer.submit(
        report.outcomes().values().stream()
            .map(ConditionMapper::map)
            .collect(ImmutableList.toImmutableList()));
  }

  public boolean isLeader() {
    return election.isLeader();
  }

  /** Status PUTs made (not counting the reads, nor writes skipped because nothing changed). */
  public long statusWrites() {
    return writer.writes();
  }

  public long eventsCreated() {
    return events.created();
  }

  /** Waits until the writer has handled everything handed over so far (tests). */
  void flush() throws InterruptedException {
    writer.flush();
  }

  /** Stops writing and releases the Lease if held. */
  @Override
  public void close() {
    election.close();
    writer.close();
  }
}
