package dev.outpost.server.k8s;

import dev.outpost.k8s.KubernetesWatcher;
import dev.outpost.k8s.ResourceRef;
import dev.outpost.k8s.StatusReport;
import dev.outpost.k8s.StatusReporter;
import dev.outpost.k8s.WatcherOptions;
import dev.outpost.translator.model.ConfigSnapshot;
import com.google.common.collect.ImmutableSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServingOptions;
import dev.outpost.server.admin.ReadinessCheck;
import dev.outpost.server.xds.SnapshotPublisher;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code outpost serve --kubernetes}: the cluster as config source and as the authority on proxy
 * identity. Wires a {@link KubernetesWatcher} to a server: the watcher's snapshots go to the
 * publisher, proxies are checked against their pods ({@link PodIdentityResolver}), {@code /readyz}
 * waits for the watcher's sync, and {@code /metrics} carries the watcher's numbers.
 */
public final class KubernetesServing implements AutoCloseable {
  /** Starts the server with the given serving options (the caller chooses ports, CA, translator). */
  @FunctionalInterface
  public interface ServerStarter {
    OutpostServer start(ServingOptions serving) throws IOException;
  }

  /**
   * Where status reporting's leader election runs: the Lease {@code lease} in {@code namespace},
   * held as {@code podName}.
   */
  public record StatusOptions(String namespace, String lease, String podName) {}

  /** A snapshot with the objects it was assembled from, so that a late re-report stays consistent. */
  private record Reported(ConfigSnapshot config, ImmutableSet<ResourceRef> read) {}

  // Groups connect after the config is loaded and their translation findings come with them: the
  // last snapshot is reported again on this period (unchanged statuses are not rewritten).
  static final long REREPORT_SECONDS = 30;

  static final String OFF_WARNING =
      "--peer-address-check=off: a proxy is accepted as whichever pod its node id names, from any address. Any"
          + " client that can reach the xDS port and knows a pod's name (anyone who may list pods) receives that"
          + " pod's config, its mesh certificate with the private key, and the TLS keys its namespace's gateways"
          + " use. Only network policy (deploy/networkpolicy/system) now limits who can connect; see README,"
          + " \"Security\"";

  private final KubernetesWatcher watcher;
  private final OutpostServer server;
  private final Optional<StatusReporter> status;
  private final Optional<ScheduledExecutorService> rereport;

  private KubernetesServing(
      KubernetesWatcher watcher,
      OutpostServer server,
      Optional<StatusReporter> status,
      Optional<ScheduledExecutorService> rereport) {
    this.watcher = watcher;
    this.server = server;
    this.status = status;
    this.rereport = rereport;
  }

  /**
   * Starts the server, then the watcher; returns at once. Until the watcher has synced, {@code
   * /readyz} is 503 and connecting proxies are asked to retry (their pods are not known yet).
   */
  public static KubernetesServing start(KubernetesClientBuilder clientBuilder, WatcherOptions options, ServerStarter starter)
      throws IOException {
    return start(clientBuilder, options, Optional.empty(), PeerAddressCheck.ENFORCE, starter);
  }

  /**
   * As {@link #start(KubernetesClientBuilder, WatcherOptions, ServerStarter)}, and with {@code
   * statusOptions} the leader among the replicas writes each snapshot's outcome on the resources'
   * status (and Events for errors); {@code peerCheck} says whether a proxy must connect from its
   * pod's IP.
   */
  public static KubernetesServing start(
      KubernetesClientBuilder clientBuilder,
      WatcherOptions options,
      Optional<StatusOptions> statusOptions,
      PeerAddressCheck peerCheck,
      ServerStarter starter)
      throws IOException {
    if (peerCheck == PeerAddressCheck.OFF) {
      org.slf4j.LoggerFactory.getLogger(KubernetesServing.class).warn(OFF_WARNING);
    }
    Optional<StatusReporter> status =
        statusOptions.map(
            o -> StatusReporter.create(clientBuilder.build(), o.namespace(), o.lease(), o.podName()));
    AtomicReference<Reported> last = new AtomicReference<>();
    // The watcher needs the publisher and the server needs the watcher (identities, readiness):
    // the watcher is created first and delivers nothing before start(), which runs once the
    // server exists.
    AtomicReference<SnapshotPublisher> publisher = new AtomicReference<>();
    AtomicReference<KubernetesWatcher> self = new AtomicReference<>();
    KubernetesWatcher watcher =
        new KubernetesWatcher(
            clientBuilder,
            options,
            config -> {
              // lastRead() is set just before this consumer runs: it describes exactly this config.
              Reported reported = new Reported(config, self.get().lastRead());
              publisher.get().updateConfig(config);
              last.set(reported);
              status.ifPresent(s -> report(s, publisher.get(), reported));
            });
    self.set(watcher);
    OutpostServer server;
    try {
      server =
          starter.start(
              new ServingOptions(new PodIdentityResolver(watcher::lookup, watcher::isSynced, peerCheck), readiness(watcher)));
    } catch (IOException | RuntimeException e) {
      watcher.close();
      status.ifPresent(StatusReporter::close);
      throw e;
    }
    publisher.set(server.publisher());
    server.metrics().addSection(new WatcherMetrics(watcher::stats));
    Optional<ScheduledExecutorService> rereport = Optional.empty();
    if (status.isPresent()) {
      StatusReporter reporter = status.get();
      server.metrics().addSection(new StatusMetrics(reporter));
      reporter.start();
      ScheduledExecutorService timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "outpost-status-rereport");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleWithFixedDelay(
          () -> {
            Reported reported = last.get();
            if (reported != null) {
              report(reporter, server.publisher(), reported);
            }
          },
          REREPORT_SECONDS,
          REREPORT_SECONDS,
          TimeUnit.SECONDS);
      rereport = Optional.of(timer);
    }
    watcher.start();
    return new KubernetesServing(watcher, server, status, rereport);
  }

  private static void report(StatusReporter status, SnapshotPublisher publisher, Reported reported) {
    try {
      status.report(
          StatusReport.of(reported.config(), List.of(publisher.translationDiagnostics()), reported.read()));
    } catch (RuntimeException e) {
      // Status is a report about the config, never a reason to stop serving it.
      org.slf4j.LoggerFactory.getLogger(KubernetesServing.class)
          .warn("status reporting failed; the config is served regardless: {}", e.toString());
    }
  }

  public Optional<StatusReporter> status() {
    return status;
  }

  private static ReadinessCheck readiness(KubernetesWatcher watcher) {
    return () ->
        watcher.isSynced()
            ? Optional.empty()
            : Optional.of(
                "not synced with the Kubernetes API server yet: waiting for every informer (Istio resources, Secrets,"
                    + " pods) to list once; the log says which one is failing");
  }

  public OutpostServer server() {
    return server;
  }

  public KubernetesWatcher watcher() {
    return watcher;
  }

  /** Stops the config source and status reporting (releasing the Lease), not the server. */
  public void closeConfigSource() {
    rereport.ifPresent(ScheduledExecutorService::shutdownNow);
    status.ifPresent(StatusReporter::close);
    watcher.close();
  }

  @Override
  public void close() {
    closeConfigSource();
    server.close();
  }
}
