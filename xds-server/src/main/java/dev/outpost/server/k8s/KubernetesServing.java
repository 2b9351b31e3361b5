package dev.outpost.server.k8s;

import dev.outpost.k8s.KubernetesWatcher;
import dev.outpost.k8s.WatcherOptions;
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

  private final KubernetesWatcher watcher;
  private final OutpostServer server;

  private KubernetesServing(KubernetesWatcher watcher, OutpostServer server) {
    this.watcher = watcher;
    this.server = server;
  }

  /**
   * Starts the server, then the watcher; returns at once. Until the watcher has synced, {@code
   * /readyz} is 503 and connecting proxies are asked to retry (their pods are not known yet).
   */
  public static KubernetesServing start(KubernetesClientBuilder clientBuilder, WatcherOptions options, ServerStarter starter)
      throws IOException {
    // The watcher needs the publisher and the server needs the watcher (identities, readiness):
    // the watcher is created first and delivers nothing before start(), which runs once the
    // server exists.
    AtomicReference<SnapshotPublisher> publisher = new AtomicReference<>();
    KubernetesWatcher watcher = new KubernetesWatcher(clientBuilder, options, config -> publisher.get().updateConfig(config));
    OutpostServer server;
    try {
      server = starter.start(new ServingOptions(new PodIdentityResolver(watcher::lookup, watcher::isSynced), readiness(watcher)));
    } catch (IOException | RuntimeException e) {
      watcher.close();
      throw e;
    }
    publisher.set(server.publisher());
    server.metrics().addSection(new WatcherMetrics(watcher::stats));
    watcher.start();
    return new KubernetesServing(watcher, server);
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

  @Override
  public void close() {
    watcher.close();
    server.close();
  }
}
