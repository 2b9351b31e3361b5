package dev.outpost.it.client;

import com.google.common.net.HostAndPort;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * One mesh for a client-proxy end-to-end test: the real {@code outpost serve} (jar, own JVM,
 * mesh CA state in the work dir) watching a config dir, the egress gateway (stock Envoy,
 * bootstrapped as a gateway in istio-system labelled {@code istio=egressgateway}), and client
 * proxies (stock Envoy, {@code outpost bootstrap --role client}) started per test.
 *
 * <p>Use: {@link #ifEnvoyAvailable}; write the manifests with {@link #hostAddressSeenByEnvoy()}, {@link
 * #gatewayListenerPort()} and {@link #proxyBind()}; {@link #start} with the upstream ports; then
 * declare the gateway for the mesh at {@link #gatewayAddressSeenByClients()} and {@link
 * #startClient} the proxies.
 */
public final class ClientProxyRig implements AutoCloseable {
  /** The client proxy's HTTP proxy listener port (fixed by the translator: Istio's 15001 is taken by iptables capture). */
  public static final int PROXY_PORT = 15080;
  /** Inside a container the gateway port is fixed and published; locally any free port. */
  private static final int GATEWAY_PORT_IN_CONTAINER = 8443;

  private final EnvoyRunner runner;
  private final Path work;
  private final Path configDir;
  private final Path caStateDir;
  private final int xdsPort = FreePorts.next();
  private final int outpostAdminPort = FreePorts.next();
  private final int gatewayPort;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private RunningEnvoy gateway;

  private ClientProxyRig(EnvoyRunner runner, Path work) throws IOException {
    this.runner = runner;
    this.work = work;
    this.configDir = Files.createDirectories(work.resolve("config"));
    this.caStateDir = work.resolve("mesh-ca");
    this.gatewayPort = runner instanceof DockerEnvoy ? GATEWAY_PORT_IN_CONTAINER : FreePorts.next();
  }

  /** Empty where neither ENVOY_BIN nor Docker exists (the tests then skip with {@link EnvoyRunner#requireOrSkip}). */
  public static Optional<ClientProxyRig> ifEnvoyAvailable(Path work) throws IOException {
    Optional<EnvoyRunner> runner = EnvoyRunner.detect();
    return runner.isEmpty() ? Optional.empty() : Optional.of(new ClientProxyRig(runner.get(), work));
  }

  public String hostAddressSeenByEnvoy() {
    return runner.hostAddressSeenByEnvoy();
  }

  /** The Gateway server's port: the port the gateway Envoy listens on. */
  public int gatewayListenerPort() {
    return gatewayPort;
  }

  /**
   * Where client proxies bind their HTTP proxy listener (the Sidecar's egress {@code bind}):
   * loopback for a local Envoy, as in a pod; all addresses in a container, because the test reaches
   * the listener through a published port.
   */
  public String proxyBind() {
    return runner instanceof DockerEnvoy ? "0.0.0.0" : "127.0.0.1";
  }

  /** Writes (or atomically replaces) a manifest file; after {@link #start}, the file source reloads it. */
  public void write(String file, String content) throws IOException {
    ConfigFiles.replace(configDir, file, content);
  }

  /** Starts Outpost and the gateway Envoy. */
  public void start(int... upstreamPorts) throws Exception {
    runner.allowAccessToHostPorts(IntStream.concat(IntStream.of(xdsPort), IntStream.of(upstreamPorts)).toArray());
    started.push(OutpostProcess.serve(configDir, xdsPort, outpostAdminPort, List.of("--ca-state-dir", caStateDir.toString())));
    int adminPort = FreePorts.next();
    Path bootstrap =
        ProxyBootstrap.gateway(
                "egress-client-e2e." + ClientProxyManifests.SYSTEM,
                ClientProxyManifests.SYSTEM,
                ClientProxyManifests.GATEWAY_SERVICE_ACCOUNT,
                ClientProxyManifests.GATEWAY_LABELS)
            .write(work.resolve("gateway.yaml"), runner, xdsPort, adminPort);
    gateway = runner.start(bootstrap, gatewayPort, adminPort);
    started.push(gateway);
  }

  /**
   * host:port under which client proxies reach the gateway listener. Locally that is loopback and
   * the listener port. With Docker it is the gateway container's published port on this machine,
   * reached through Testcontainers' host alias, which is opened for it here (so Docker must run on
   * this machine, as for the rest of the harness).
   */
  public HostAndPort gatewayAddressSeenByClients() {
    int port = HostAndPort.fromString(gateway.listenerAddress()).getPort();
    runner.allowAccessToHostPorts(port);
    return HostAndPort.fromParts(runner.hostAddressSeenByEnvoy(), port);
  }

  public AccessLog gatewayLog() {
    return AccessLog.of(gateway);
  }

  /**
   * A client proxy for a workload with this namespace and service account (pod label {@code
   * app=SERVICE_ACCOUNT}). Close it before starting the next one: locally, every client proxy
   * binds the same port 15080.
   */
  public ClientProxy startClient(String namespace, String serviceAccount) throws Exception {
    int adminPort = FreePorts.next();
    Path bootstrap =
        ProxyBootstrap.client(serviceAccount + "-e2e." + namespace, namespace, serviceAccount, "app=" + serviceAccount)
            .write(work.resolve("client-" + namespace + "-" + serviceAccount + ".yaml"), runner, xdsPort, adminPort);
    return new ClientProxy(runner.start(bootstrap, PROXY_PORT, adminPort));
  }

  @Override
  public void close() throws Exception {
    Exception failure = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
