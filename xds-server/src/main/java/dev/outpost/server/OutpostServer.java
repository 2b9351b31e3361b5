package dev.outpost.server;

import dev.outpost.server.admin.AdminServer;
import dev.outpost.server.dump.ConfigDumps;
import dev.outpost.server.metrics.Metrics;
import dev.outpost.server.xds.ConfigTranslator;
import dev.outpost.server.xds.ProxyRegistry;
import dev.outpost.server.xds.SnapshotGate;
import dev.outpost.server.xds.SnapshotPublisher;
import dev.outpost.server.xds.XdsCache;
import dev.outpost.server.xds.XdsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import dev.outpost.translator.api.TranslationContext;
import java.time.Clock;

/**
 * The running control plane: snapshot publishing, the ADS server and the admin server, wired
 * together. A config source (file watcher, Kubernetes) feeds {@link #publisher()}.
 */
public final class OutpostServer implements AutoCloseable {
  private final Metrics metrics;
  private final SnapshotPublisher publisher;
  private final ProxyRegistry registry;
  private final XdsServer xds;
  private final AdminServer admin;

  private OutpostServer(
      Metrics metrics, SnapshotPublisher publisher, ProxyRegistry registry, XdsServer xds, AdminServer admin) {
    this.metrics = metrics;
    this.publisher = publisher;
    this.registry = registry;
    this.xds = xds;
    this.admin = admin;
  }

  /** Production wiring: the real translator and checker. */
  public static OutpostServer start(InetSocketAddress xdsAddress, InetSocketAddress adminAddress) throws IOException {
    return start(xdsAddress, adminAddress, ConfigTranslator.standard(Clock.systemUTC(), TranslationContext.DEFAULT_TRUST_DOMAIN), SnapshotGate.standard(), Clock.systemUTC());
  }

  /** Wiring with a chosen translator and gate, for tests of the serving layer. */
  public static OutpostServer start(
      InetSocketAddress xdsAddress,
      InetSocketAddress adminAddress,
      ConfigTranslator translator,
      SnapshotGate gate,
      Clock clock)
      throws IOException {
    Metrics metrics = new Metrics();
    XdsCache cache = new XdsCache();
    SnapshotPublisher publisher = new SnapshotPublisher(cache, translator, gate, metrics);
    ProxyRegistry registry = new ProxyRegistry(publisher, metrics, clock);
    XdsServer xds = XdsServer.start(xdsAddress, cache, registry);
    AdminServer admin;
    try {
      admin = AdminServer.start(adminAddress, publisher, registry, metrics, ConfigDumps.standard());
    } catch (IOException | RuntimeException e) {
      closeQuietly(xds);
      throw e;
    }
    return new OutpostServer(metrics, publisher, registry, xds, admin);
  }

  public Metrics metrics() {
    return metrics;
  }

  public SnapshotPublisher publisher() {
    return publisher;
  }

  public ProxyRegistry registry() {
    return registry;
  }

  public int xdsPort() {
    return xds.port();
  }

  public int adminPort() {
    return admin.port();
  }

  @Override
  public void close() {
    admin.close();
    closeQuietly(xds);
  }

  private static void closeQuietly(XdsServer xds) {
    try {
      xds.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
