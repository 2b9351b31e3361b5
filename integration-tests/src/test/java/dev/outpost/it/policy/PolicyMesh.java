package dev.outpost.it.policy;

import com.google.common.net.HostAndPort;
import dev.outpost.it.client.ClientProxy;
import dev.outpost.it.client.ClientProxyRig;
import dev.outpost.it.e2e.AccessLog;
import dev.outpost.it.e2e.EnvoyRunner;
import dev.outpost.it.support.TestCa;
import dev.outpost.it.support.TlsHttpServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * One mesh for a policy end-to-end test: {@link ClientProxyRig} (Outpost, the gateway, client
 * proxies started per workload) with egress.yaml's path to the payments API, whose test server
 * (HTTPS, a certificate for api.payments.example from a CA made here) sits behind the gateway, and
 * the policies of the example files given. Each test gets its own: the policies of one example
 * would change what another test sees (an ALLOW policy denies whatever it does not match; the rate
 * limit's bucket is shared by every request through the gateway).
 */
final class PolicyMesh implements AutoCloseable {
  private final ClientProxyRig rig;
  private final TlsHttpServer upstream;

  private PolicyMesh(ClientProxyRig rig, TlsHttpServer upstream) {
    this.rig = rig;
    this.upstream = upstream;
  }

  /** Skips the test (the harness's message) where neither ENVOY_BIN nor Docker exists. */
  static PolicyMesh start(Path work, String... policyExampleFiles) throws Exception {
    ClientProxyRig rig = ClientProxyRig.ifEnvoyAvailable(work).orElse(null);
    if (rig == null) {
      EnvoyRunner.requireOrSkip(); // aborts the test with the harness's message
      throw new IllegalStateException("no Envoy runner was detected, yet requireOrSkip found one");
    }
    TestCa ca = TestCa.create("Payments API CA");
    TlsHttpServer upstream = TlsHttpServer.tls("payments-api", ca.issueServer(PolicyExamples.PAYMENTS_API));
    PolicyMesh mesh = new PolicyMesh(rig, upstream);
    try {
      PolicyManifests.Mesh addresses =
          new PolicyManifests.Mesh(rig.hostAddressSeenByEnvoy(), upstream.port(), rig.gatewayListenerPort(), rig.proxyBind());
      for (Map.Entry<String, String> file : PolicyManifests.meshFiles(addresses, ca.certificate(), policyExampleFiles).entrySet()) {
        rig.write(file.getKey(), file.getValue());
      }
      rig.start(upstream.port());
      // Known only once the gateway runs (with Docker, its published port); the file source reloads.
      HostAndPort gateway = rig.gatewayAddressSeenByClients();
      rig.write("egress-gateway-service.yaml", PolicyManifests.egressGatewayService(gateway.getHost(), gateway.getPort()));
      return mesh;
    } catch (Exception e) {
      mesh.close();
      throw e;
    }
  }

  /** A client proxy for the workload {@code namespace}/{@code serviceAccount}; close it before the next one. */
  ClientProxy startClient(String namespace, String serviceAccount) throws Exception {
    return rig.startClient(namespace, serviceAccount);
  }

  AccessLog gatewayLog() {
    return rig.gatewayLog();
  }

  /** The payments API's test server: its handshakes show which requests left the gateway. */
  TlsHttpServer upstream() {
    return upstream;
  }

  @Override
  public void close() throws Exception {
    try {
      rig.close();
    } finally {
      upstream.close();
    }
  }
}
