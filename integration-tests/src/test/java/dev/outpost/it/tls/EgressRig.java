package dev.outpost.it.tls;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.it.e2e.AccessLog;
import dev.outpost.it.e2e.DockerEnvoy;
import dev.outpost.it.e2e.EnvoyRunner;
import dev.outpost.it.e2e.FreePorts;
import dev.outpost.it.e2e.OutpostProcess;
import dev.outpost.it.e2e.ProxyBootstrap;
import dev.outpost.it.e2e.RunningEnvoy;
import dev.outpost.it.support.ConfigFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * One egress gateway for a TLS end-to-end test: the real {@code outpost serve} (jar, own JVM)
 * watching a config dir, with its mesh CA state in the test's work dir, and stock Envoy bootstrapped
 * by {@code outpost bootstrap} as a gateway in istio-system labelled {@code istio=egressgateway}.
 *
 * <p>Use: {@link #prepare}, write the manifests with {@link #hostAddressSeenByEnvoy()} and {@link
 * #listenerPort()}, then {@link #start} with the ports of the test's upstream servers.
 */
public final class EgressRig implements AutoCloseable {
  public static final String NAMESPACE = "istio-system";
  public static final String SERVICE_ACCOUNT = "istio-egressgateway";
  /** Inside an Envoy container the gateway port is fixed and published; locally any free port. */
  private static final int LISTENER_PORT_IN_CONTAINER = 8443;

  private final EnvoyRunner runner;
  private final Path work;
  private final Path configDir;
  private final Path caStateDir;
  private final int xdsPort = FreePorts.next();
  private final int outpostAdminPort = FreePorts.next();
  private final int envoyAdminPort = FreePorts.next();
  private final int listenerPort;
  private boolean delta;
  private OutpostProcess outpost;
  private RunningEnvoy envoy;

  private EgressRig(EnvoyRunner runner, Path work) throws IOException {
    this.runner = runner;
    this.work = work;
    this.configDir = Files.createDirectories(work.resolve("config"));
    this.caStateDir = work.resolve("mesh-ca");
    this.listenerPort = runner instanceof DockerEnvoy ? LISTENER_PORT_IN_CONTAINER : FreePorts.next();
  }

  /** Skips the test (with the harness's message) where neither ENVOY_BIN nor Docker exists. */
  public static EgressRig prepare(Path work) throws IOException {
    return new EgressRig(EnvoyRunner.requireOrSkip(), work);
  }

  public String hostAddressSeenByEnvoy() {
    return runner.hostAddressSeenByEnvoy();
  }

  /** The port of the Gateway server, as Envoy sees it (the Gateway's {@code port.number}). */
  public int listenerPort() {
    return listenerPort;
  }

  public Path configDir() {
    return configDir;
  }

  /** Envoy speaks incremental (delta) xDS instead of state of the world; call before {@link #start}. */
  public EgressRig useDeltaXds(boolean delta) {
    this.delta = delta;
    return this;
  }

  /** Writes (or atomically replaces) a manifest file; after {@link #start}, the file source reloads it. */
  public void write(String file, String content) throws IOException {
    ConfigFiles.replace(configDir, file, content);
  }

  public void start(int... upstreamPorts) throws Exception {
    runner.allowAccessToHostPorts(IntStream.concat(IntStream.of(xdsPort), IntStream.of(upstreamPorts)).toArray());
    outpost = OutpostProcess.serve(configDir, xdsPort, outpostAdminPort, List.of("--ca-state-dir", caStateDir.toString()));
    Path bootstrap =
        ProxyBootstrap.gateway("egress-tls-e2e." + NAMESPACE, NAMESPACE, SERVICE_ACCOUNT, "istio=egressgateway")
            .withDelta(delta)
            .write(work.resolve("envoy.yaml"), runner, xdsPort, envoyAdminPort);
    envoy = runner.start(bootstrap, listenerPort, envoyAdminPort);
  }

  /**
   * {@code outpost ca issue} against the same CA state dir as the running server: a mesh
   * certificate for {@code spiffe://cluster.local/ns/NAMESPACE/sa/SERVICE_ACCOUNT} in {@code out}
   * (cert.pem, key.pem, root-cert.pem).
   */
  public Path issueMeshCertificate(String namespace, String serviceAccount) throws IOException, InterruptedException {
    Path out = work.resolve("mesh-client-" + namespace + "-" + serviceAccount);
    OutpostProcess.run(
        "ca", "issue",
        "--ca-state-dir", caStateDir.toString(),
        "--namespace", namespace,
        "--service-account", serviceAccount,
        "--out", out.toString());
    return out;
  }

  /** host:port on this machine that reaches the gateway listener. */
  public String gatewayAddress() {
    return envoy.listenerAddress();
  }

  public RunningEnvoy envoy() {
    return envoy;
  }

  EnvoyAdmin admin() {
    return new EnvoyAdmin(envoy.adminUrl());
  }

  /** The JSON access-log lines Envoy printed so far. */
  public List<JsonNode> accessLog() {
    return AccessLog.of(envoy).lines();
  }

  /** Waits for an access-log line that matches (TCP lines appear when the connection closes). */
  public JsonNode awaitAccessLog(Predicate<JsonNode> matching, Duration timeout) throws InterruptedException {
    return AccessLog.of(envoy).await(matching, timeout);
  }

  @Override
  public void close() throws Exception {
    try {
      if (envoy != null) {
        envoy.close();
      }
    } finally {
      if (outpost != null) {
        outpost.close();
      }
    }
  }
}
