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
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.outpost.server.ca.MeshCa;
import dev.outpost.server.ca.WorkloadCertificates;
import dev.outpost.server.xds.MeshSecretSupplier;
import org.slf4j.LoggerFactory;

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
  private final ScheduledExecutorService scheduler;

  private OutpostServer(
      Metrics metrics,
      SnapshotPublisher publisher,
      ProxyRegistry registry,
      XdsServer xds,
      AdminServer admin,
      ScheduledExecutorService scheduler) {
    this.metrics = metrics;
    this.publisher = publisher;
    this.registry = registry;
    this.xds = xds;
    this.admin = admin;
    this.scheduler = scheduler;
  }

  /**
   * The real translator and checker, without a mesh CA: config that references the mesh
   * identity ({@code ISTIO_MUTUAL}) is not published.
   */
  public static OutpostServer start(InetSocketAddress xdsAddress, InetSocketAddress adminAddress) throws IOException {
    return start(xdsAddress, adminAddress, ServingOptions.FILE);
  }

  /** The real translator and checker without a mesh CA, with a config source's serving options. */
  public static OutpostServer start(InetSocketAddress xdsAddress, InetSocketAddress adminAddress, ServingOptions serving)
      throws IOException {
    return start(
        xdsAddress, adminAddress, ConfigTranslator.standard(Clock.systemUTC(), TranslationContext.DEFAULT_TRUST_DOMAIN),
        SnapshotGate.standard(), Clock.systemUTC(), MeshSecretSupplier.NONE, Duration.ZERO, serving);
  }

  /**
   * Production wiring: the real translator (in the CA's trust domain) and checker, and workload
   * certificates from {@code ca} with lifetime {@code workloadCertTtl}, renewed at half-life.
   */
  public static OutpostServer start(
      InetSocketAddress xdsAddress, InetSocketAddress adminAddress, MeshCa ca, Duration workloadCertTtl, Clock clock)
      throws IOException {
    return start(xdsAddress, adminAddress, ca, workloadCertTtl, clock, ServingOptions.FILE);
  }

  /** Production wiring with a config source's serving options (Kubernetes mode). */
  public static OutpostServer start(
      InetSocketAddress xdsAddress,
      InetSocketAddress adminAddress,
      MeshCa ca,
      Duration workloadCertTtl,
      Clock clock,
      ServingOptions serving)
      throws IOException {
    return start(
        xdsAddress,
        adminAddress,
        ConfigTranslator.standard(clock, ca.trustDomain()),
        SnapshotGate.standard(),
        clock,
        new WorkloadCertificates(ca, workloadCertTtl, clock),
        renewalCheckInterval(workloadCertTtl),
        serving);
  }

  /**
   * How often due certificates are looked for: often enough that a certificate is renewed close to
   * its half-life (a twentieth of its lifetime late at most), at most once a minute. A check when
   * nothing is due costs a comparison per group.
   */
  public static Duration renewalCheckInterval(Duration workloadCertTtl) {
    Duration interval = workloadCertTtl.dividedBy(20);
    if (interval.compareTo(Duration.ofMinutes(1)) > 0) {
      return Duration.ofMinutes(1);
    }
    return interval.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : interval;
  }

  /** Wiring with a chosen translator and gate, for tests of the serving layer. */
  public static OutpostServer start(
      InetSocketAddress xdsAddress,
      InetSocketAddress adminAddress,
      ConfigTranslator translator,
      SnapshotGate gate,
      Clock clock)
      throws IOException {
    return start(xdsAddress, adminAddress, translator, gate, clock, MeshSecretSupplier.NONE, Duration.ZERO);
  }

  /**
   * Wiring with a chosen translator, gate and mesh secrets, for tests of the serving layer; {@code
   * renewalCheck} is how often {@link SnapshotPublisher#renewMeshCertificates()} runs (zero: never,
   * tests call it).
   */
  public static OutpostServer start(
      InetSocketAddress xdsAddress,
      InetSocketAddress adminAddress,
      ConfigTranslator translator,
      SnapshotGate gate,
      Clock clock,
      MeshSecretSupplier meshSecrets,
      Duration renewalCheck)
      throws IOException {
    return start(xdsAddress, adminAddress, translator, gate, clock, meshSecrets, renewalCheck, ServingOptions.FILE);
  }

  /** The most general wiring: everything above plus the config source's serving options. */
  public static OutpostServer start(
      InetSocketAddress xdsAddress,
      InetSocketAddress adminAddress,
      ConfigTranslator translator,
      SnapshotGate gate,
      Clock clock,
      MeshSecretSupplier meshSecrets,
      Duration renewalCheck,
      ServingOptions serving)
      throws IOException {
    Metrics metrics = new Metrics();
    meshSecrets.reportTo(metrics);
    XdsCache cache = new XdsCache();
    SnapshotPublisher publisher = new SnapshotPublisher(cache, translator, gate, metrics, meshSecrets);
    ProxyRegistry registry = new ProxyRegistry(publisher, metrics, clock, serving.identities(), cache.resolvedGroups(), serving.limits());
    XdsServer xds = XdsServer.start(xdsAddress, cache, registry);
    AdminServer admin;
    try {
      admin = AdminServer.start(adminAddress, publisher, registry, metrics, ConfigDumps.standard(), serving.readiness());
    } catch (IOException | RuntimeException e) {
      closeQuietly(xds);
      throw e;
    }
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "outpost-mesh-cert-renewal");
      thread.setDaemon(true);
      return thread;
    });
    if (!renewalCheck.isZero()) {
      long millis = renewalCheck.toMillis();
      scheduler.scheduleWithFixedDelay(() -> {
        try {
          publisher.renewMeshCertificates();
        } catch (RuntimeException e) {
          // A failed round must not cancel the schedule; the next round tries again.
          LoggerFactory.getLogger(OutpostServer.class).error("mesh certificate renewal failed", e);
        }
      }, millis, millis, TimeUnit.MILLISECONDS);
    }
    return new OutpostServer(metrics, publisher, registry, xds, admin, scheduler);
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
    scheduler.shutdownNow();
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
