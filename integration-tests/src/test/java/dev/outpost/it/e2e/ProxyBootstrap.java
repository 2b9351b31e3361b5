package dev.outpost.it.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who an end-to-end test's Envoy is, as {@code outpost bootstrap} puts it into the node metadata
 * (role, namespace, service account, labels), and the bootstrap file made from it by the real jar.
 *
 * @param role {@code gateway} or {@code client}
 * @param labels {@code k=v,k=v}, the pod labels Gateways select by
 */
public record ProxyBootstrap(String role, String nodeId, String namespace, String serviceAccount, String labels, boolean delta) {

  public static ProxyBootstrap gateway(String nodeId, String namespace, String serviceAccount, String labels) {
    return new ProxyBootstrap("gateway", nodeId, namespace, serviceAccount, labels, false);
  }

  public static ProxyBootstrap client(String nodeId, String namespace, String serviceAccount, String labels) {
    return new ProxyBootstrap("client", nodeId, namespace, serviceAccount, labels, false);
  }

  public ProxyBootstrap withDelta(boolean useDelta) {
    return new ProxyBootstrap(role, nodeId, namespace, serviceAccount, labels, useDelta);
  }

  /**
   * Runs {@code outpost bootstrap} and writes its output to {@code file}. The stats and health
   * listeners get free ports rather than the defaults (15090, 15021), so that two local Envoys of
   * one test (a client proxy and a gateway) do not both try to bind them.
   */
  public Path write(Path file, EnvoyRunner runner, int xdsPort, int adminPort) throws IOException, InterruptedException {
    Files.writeString(
        file,
        OutpostProcess.run(
            "bootstrap",
            "--xds-address", runner.hostAddressSeenByEnvoy() + ":" + xdsPort,
            "--node-id", nodeId,
            "--namespace", namespace,
            "--service-account", serviceAccount,
            "--labels", labels,
            "--role", role,
            delta ? "--delta" : "--sotw",
            "--admin-address", runner.adminBindAddress(),
            "--admin-port", Integer.toString(adminPort),
            "--stats-port", Integer.toString(FreePorts.next()),
            "--health-port", Integer.toString(FreePorts.next())));
    return file;
  }
}
