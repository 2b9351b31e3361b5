package dev.outpost.server.cli;

import dev.outpost.server.OutpostServer;
import dev.outpost.server.source.BundledExample;
import dev.outpost.server.source.FileConfigSource;
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
      "the bundled example (plaintext HTTP egress to httpbin.org)."
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

  @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address both ports listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Mixin CaOptions ca;

  @Option(
      names = "--workload-cert-ttl",
      defaultValue = "24h",
      converter = DurationConverter.class,
      description =
          "Lifetime of the mesh certificates (SDS default) issued to proxies, e.g. 24h, 90m (default:"
              + " ${DEFAULT-VALUE}); each is re-issued and pushed at half-life.")
  Duration workloadCertTtl;

  @Override
  public Integer call() throws Exception {
    MeshCa meshCa;
    try {
      meshCa = ca.load(Instant.now());
    } catch (CaException e) {
      spec.commandLine().getErr().println("outpost serve: " + e.getMessage());
      return 1;
    }
    LOG.info(
        "mesh CA from {}: signs as {}, trust domain {}; workload certificates live {} and are renewed at half-life",
        meshCa.location(), meshCa.signingCa().certificate().getSubjectX500Principal().getName(), meshCa.trustDomain(),
        workloadCertTtl.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
    OutpostServer server;
    try {
      server = OutpostServer.start(
          new InetSocketAddress(bind, xdsPort), new InetSocketAddress(bind, adminPort), meshCa, workloadCertTtl, Clock.systemUTC());
    } catch (IOException e) {
      spec.commandLine().getErr().println("outpost serve: cannot listen on " + bind + " ports " + xdsPort + "/" + adminPort + ": " + e.getMessage());
      return 1;
    }
    FileConfigSource source = null;
    try {
      if (configDir != null) {
        source = new FileConfigSource(configDir, server.publisher(), server.metrics());
        source.start();
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
        bind, server.xdsPort(), bind, server.adminPort());
    LOG.info("point an Envoy at it: java -jar outpost.jar bootstrap --xds-address 127.0.0.1:{} > envoy.yaml && envoy -c envoy.yaml"
        + "   (from a container, use an address the container can reach, e.g. host.docker.internal:{})",
        server.xdsPort(), server.xdsPort());

    CountDownLatch stopped = new CountDownLatch(1);
    FileConfigSource toClose = source;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      try {
        if (toClose != null) {
          toClose.close();
        }
      } catch (IOException e) {
        LOG.warn("closing the config watcher: {}", e.toString());
      }
      server.close();
      stopped.countDown();
    }, "outpost-shutdown"));
    stopped.await();
    return 0;
  }
}
