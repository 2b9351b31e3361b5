package dev.outpost.server.cli;

import dev.outpost.k8s.ClusterClients;
import dev.outpost.k8s.WatcherOptions;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServingOptions;
import dev.outpost.server.xds.ProxyLimits;
import dev.outpost.server.ca.KubernetesSecretCaStore;
import dev.outpost.server.k8s.KubernetesServing;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import dev.outpost.server.ServingOptions;
import dev.outpost.server.source.BundledExample;
import dev.outpost.server.source.ConfigDirStatus;
import dev.outpost.server.source.FileConfigSource;
import dev.outpost.server.xds.IdentityResolver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import dev.outpost.server.ca.CaException;
import dev.outpost.server.ca.MeshCa;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Mixin;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the control plane until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 1,
    description = {
      "Run the control plane: serve Envoy config over ADS (state of the world and delta).",
      "Config comes from a watched directory of Istio egress YAML, or without --config-dir from",
      "the bundled example (plaintext HTTP egress to httpbin.org), or with --kubernetes from the cluster."
    })
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config-dir", description = "Directory of *.yaml, *.yml, *.json, watched for changes.")
  Path configDir;

  @Option(names = "--xds-port", defaultValue = "18000", converter = PortConverter.class, description = "gRPC port for ADS (default: ${DEFAULT-VALUE}).")
  int xdsPort;

  @Option(names = "--admin-port", defaultValue = "18080", converter = PortConverter.class, description = "HTTP port for health, metrics and debug (default: ${DEFAULT-VALUE}).")
  int adminPort;

  // All interfaces by default: in Kubernetes the gateway pods connect from other pods, and a
  // containerised Envoy on the same host comes from the container network, not from loopback.
  @Option(
      names = {"--bind", "--xds-address"},
      defaultValue = "0.0.0.0",
      description = "Address the xDS port listens on (default: ${DEFAULT-VALUE}, all interfaces: proxies connect from other"
          + " hosts or pods; let only them reach it, see README \"Security\").")
  String bind;

  // Loopback by default: /debug shows every proxy and its config. Kubernetes manifests set 0.0.0.0
  // so that the kubelet's probes and Prometheus reach it.
  @Option(
      names = "--admin-address",
      defaultValue = "127.0.0.1",
      description = "Address the admin port (health, metrics, debug) listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 for"
          + " probes and scrapes from other hosts, as in Kubernetes).")
  String adminBind;

  @Option(
      names = "--max-proxy-groups",
      defaultValue = "" + ProxyLimits.DEFAULT_MAX_PROXY_GROUPS,
      description = "Most proxy groups (distinct role, namespace, service account and labels) served at once; a proxy"
          + " that would start one more is refused with RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
  int maxProxyGroups;

  @Option(
      names = "--max-streams-per-peer",
      defaultValue = "" + ProxyLimits.DEFAULT_MAX_STREAMS_PER_PEER,
      description = "Most ADS streams open from one IP address; more are refused with RESOURCE_EXHAUSTED (default:"
          + " ${DEFAULT-VALUE}: Envoys on one host, or behind SNAT, share an address).")
  int maxStreamsPerPeer;

  @Mixin CaOptions ca;

  @Option(
      names = "--workload-cert-ttl",
      defaultValue = "24h",
      converter = DurationConverter.class,
      description =
          "Lifetime of the mesh certificates (SDS default) issued to proxies, e.g. 24h, 90m (default:"
              + " ${DEFAULT-VALUE}); each is re-issued and pushed at half-life.")
  Duration workloadCertTtl;

  @Mixin KubernetesOptions kubernetes;

  @Override
  public Integer call() throws Exception {
    kubernetes.checkUsage();
    if (maxProxyGroups < 1 || maxStreamsPerPeer < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--max-proxy-groups and --max-streams-per-peer must be at least 1");
    }
    ProxyLimits limits = new ProxyLimits(maxProxyGroups, maxStreamsPerPeer);
    if (kubernetes.enabled && configDir != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--kubernetes and --config-dir exclude each other: config comes from the cluster or from a directory");
    }
    WatcherOptions watcherOptions = kubernetes.enabled ? kubernetes.watcherOptions() : null;
    MeshCa meshCa;
    try {
      meshCa = kubernetes.enabled && !ca.storeGiven() ? caFromSecret(watcherOptions) : ca.load(Instant.now());
    } catch (CaException e) {
      spec.commandLine().getErr().println("outpost serve: " + e.getMessage());
      return 1;
    } catch (IOException | KubernetesClientException e) {
      spec.commandLine().getErr().println("outpost serve: cannot connect to the Kubernetes API server: " + describe(e));
      return 1;
    }
    LOG.info(
        "mesh CA from {}: signs as {}, trust domain {}; workload certificates live {} and are renewed at half-life",
        meshCa.location(), meshCa.signingCa().certificate().getSubjectX500Principal().getName(), meshCa.trustDomain(),
        workloadCertTtl.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
    KubernetesClientBuilder clusterClient = null;
    if (kubernetes.enabled) {
      try {
        clusterClient = ClusterClients.builder(watcherOptions);
      } catch (IOException | KubernetesClientException e) {
        spec.commandLine().getErr().println("outpost serve: cannot read the Kubernetes client configuration: " + describe(e));
        return 1;
      }
    }
    java.util.Optional<KubernetesServing.StatusOptions> statusOptions = java.util.Optional.empty();
    if (kubernetes.enabled && kubernetes.leaderElect) {
      String namespace = kubernetes.systemNamespace;
      if (namespace == null) {
        try (KubernetesClient client = clusterClient.build()) {
          namespace = client.getNamespace();
        }
      }
      if (namespace == null || namespace.isEmpty()) {
        spec.commandLine().getErr().println(
            "outpost serve: --leader-elect needs the control plane's namespace for its Lease: pass --system-namespace");
        return 1;
      }
      statusOptions = java.util.Optional.of(
          new KubernetesServing.StatusOptions(namespace, kubernetes.leaderElectionLease, kubernetes.podName()));
    }
    InetSocketAddress xdsAddress = new InetSocketAddress(bind, xdsPort);
    InetSocketAddress adminAddress = new InetSocketAddress(adminBind, adminPort);
    OutpostServer server;
    AutoCloseable source = null;
    // /readyz reports the directory's state (missing, serving the last good config) in its body.
    ConfigDirStatus dirStatus = configDir == null ? null : new ConfigDirStatus(configDir);
    try {
      if (kubernetes.enabled) {
        KubernetesServing serving =
            KubernetesServing.start(
                clusterClient,
                watcherOptions,
                statusOptions,
                kubernetes.peerAddressCheck,
                options -> OutpostServer.start(
                    xdsAddress, adminAddress, meshCa, workloadCertTtl, Clock.systemUTC(), options.withLimits(limits)));
        server = serving.server();
        source = serving::closeConfigSource; // the server is closed below, after its config source
        LOG.info("config from the Kubernetes API server; /readyz turns 200 once every informer has synced");
      } else {
        ServingOptions serving =
            (dirStatus == null ? ServingOptions.FILE : new ServingOptions(IdentityResolver.FROM_METADATA, dirStatus))
                .withLimits(limits);
        server = OutpostServer.start(xdsAddress, adminAddress, meshCa, workloadCertTtl, Clock.systemUTC(), serving);
      }
    } catch (IOException e) {
      spec.commandLine().getErr().println("outpost serve: cannot listen on " + bind + ":" + xdsPort + " (xDS) / " + adminBind + ":" + adminPort + " (admin): " + e.getMessage());
      return 1;
    }
    try {
      if (kubernetes.enabled) {
        // the watcher publishes once synced
      } else if (configDir != null) {
        FileConfigSource files =
            new FileConfigSource(configDir, server.publisher(), server.metrics(), dirStatus, FileConfigSource.Settings.DEFAULT);
        source = files;
        files.start();
      } else {
        BundledExample.publish(server.publisher(), server.metrics());
        LOG.info(
            "no --config-dir: serving the bundled example ({}): plaintext HTTP egress for httpbin.org on port 80, "
                + "for gateways labelled istio=egressgateway in istio-system",
            String.join(", ", BundledExample.FILES));
      }
    } catch (IOException e) {
      spec.commandLine().getErr().println("outpost serve: cannot read --config-dir " + configDir + ": " + e.getMessage());
      server.close();
      return 1;
    }
    LOG.info("ADS (gRPC, state of the world and delta) on {}:{}; admin on http://{}:{}/ (healthz, readyz, metrics, debug/proxies, debug/config_dump?node=ID)",
        bind, server.xdsPort(), adminBind, server.adminPort());
    LOG.info("point an Envoy at it: java -jar outpost.jar bootstrap --xds-address 127.0.0.1:{} > envoy.yaml && envoy -c envoy.yaml"
        + "   (from a container, use an address the container can reach, e.g. host.docker.internal:{})",
        server.xdsPort(), server.xdsPort());

    CountDownLatch stopped = new CountDownLatch(1);
    AutoCloseable toClose = source;
    OutpostServer toStop = server;
    Thread shutdown = new Thread(() -> {
      LOG.info("shutting down");
      try {
        if (toClose != null) {
          toClose.close();
        }
      } catch (Exception e) {
        LOG.warn("closing the config source: {}", e.toString());
      }
      toStop.close();
      stopped.countDown();
    }, "outpost-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Run in-process (tests, an embedding program): an interrupt stops the server like a signal.
      Runtime.getRuntime().removeShutdownHook(shutdown);
      shutdown.run();
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Kubernetes mode without --ca-dir/--ca-state-dir: the CA lives in a Secret of the control plane's
   * namespace (Istio's {@code cacerts} if present, else {@code outpost-ca}, created once).
   */
  private MeshCa caFromSecret(WatcherOptions options) throws IOException, CaException {
    try (KubernetesClient client = ClusterClients.builder(options).build()) {
      String namespace = kubernetes.systemNamespace != null ? kubernetes.systemNamespace : client.getNamespace();
      if (namespace == null || namespace.isEmpty()) {
        throw new CaException(
            "the control plane's namespace is unknown (no namespace in the kubeconfig context, not running in a pod),"
                + " so the mesh CA Secret has no home: pass --system-namespace, or plug in a CA with --ca-dir");
      }
      return ca.load(new KubernetesSecretCaStore(client, namespace, kubernetes.caSecret, ca.trustDomain), Instant.now());
    }
  }

  /** A client failure without fabric8's message, which can carry a request or response body. */
  private static String describe(Exception e) {
    if (e instanceof KubernetesClientException k) {
      return "HTTP " + k.getCode() + (k.getCause() != null ? " (" + k.getCause().getClass().getSimpleName() + ": " + k.getCause().getMessage() + ")" : "");
    }
    return e.getMessage();
  }
}
