package dev.outpost.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.it.e2e.UpstreamHttpServer;
import dev.outpost.it.support.Pem;
import dev.outpost.it.support.TestCa;
import dev.outpost.it.support.IssuedCertificate;
import dev.outpost.it.support.TlsClient;
import dev.outpost.it.support.TlsClientConnection;
import dev.outpost.it.support.TlsClientConnection.HttpReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * (d) Mesh mTLS to the gateway with stock Envoy: a client holding a certificate from {@code outpost
 * ca issue} (same CA state dir as the running server) reaches an ISTIO_MUTUAL gateway server and is
 * routed on to a plain HTTP upstream; the gateway presents its own SPIFFE identity. Without a client
 * certificate, or with one from another CA, the gateway refuses. Skipped where neither ENVOY_BIN nor
 * Docker exists.
 */
class IstioMutualGatewayE2ETest {
  private static final String HOST = "plain.upstream.test";
  private static final String GATEWAY_IDENTITY =
      "spiffe://cluster.local/ns/" + EgressRig.NAMESPACE + "/sa/" + EgressRig.SERVICE_ACCOUNT;
  private static final Duration CONFIG_ARRIVES = Duration.ofSeconds(60);

  @Test
  void clientWithAMeshCertificateReachesTheGatewayAndOneWithoutIsRefused(@TempDir Path work) throws Exception {
    try (EgressRig rig = EgressRig.prepare(work);
        UpstreamHttpServer upstream = UpstreamHttpServer.start()) {
      rig.write(
          "egress.yaml",
          TlsEgressManifests.istioMutualGateway(HOST, rig.hostAddressSeenByEnvoy(), upstream.port(), rig.listenerPort()));
      rig.start(upstream.port());

      Path issued = rig.issueMeshCertificate("apps", "sleep");
      List<X509Certificate> trustBundle = Pem.certificates(Files.readString(issued.resolve("root-cert.pem")));
      List<X509Certificate> chain = Pem.certificates(Files.readString(issued.resolve("cert.pem")));
      PrivateKey key = Pem.privateKey(Files.readString(issued.resolve("key.pem")));

      HttpReply reply = getUntilOk(TlsClient.mesh(trustBundle, chain, key), rig.gatewayAddress(), CONFIG_ARRIVES);
      assertEquals(UpstreamHttpServer.BODY_PREFIX + HOST, reply.body());
      try (TlsClientConnection connection = TlsClient.mesh(trustBundle, chain, key).connect(rig.gatewayAddress(), HOST)) {
        assertEquals(List.of(GATEWAY_IDENTITY), connection.peerUris(), "the gateway presents its mesh identity");
      }
      JsonNode line = rig.awaitAccessLog(l -> l.path("response_code").asInt() == 200, Duration.ofSeconds(10));
      assertEquals("outbound|80||" + HOST, line.path("upstream_cluster").asText(), line.toString());
      assertEquals("spiffe://cluster.local/ns/apps/sa/sleep", line.path("downstream_peer_uri_san").asText(), line.toString());

      assertThrows(
          IOException.class,
          () -> requestOnce(TlsClient.mesh(trustBundle, null, null), rig.gatewayAddress()),
          "no client certificate: refused");
      IssuedCertificate foreign = TestCa.create("Not The Mesh CA").issueServer("sleep.apps");
      assertThrows(
          IOException.class,
          () -> requestOnce(TlsClient.mesh(trustBundle, foreign.chain(), foreign.privateKey()), rig.gatewayAddress()),
          "a client certificate from another CA: refused");
    }
  }

  private static HttpReply requestOnce(TlsClient client, String gateway) throws IOException {
    try (TlsClientConnection connection = client.connect(gateway, HOST)) {
      return connection.get(HOST, "/get");
    }
  }

  private static HttpReply getUntilOk(TlsClient client, String gateway, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Object last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpReply reply = requestOnce(client, gateway);
        if (reply.status() == 200) {
          return reply;
        }
        last = reply;
      } catch (IOException listenerOrSecretsNotYetThere) {
        last = listenerOrSecretsNotYetThere;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no 200 through the ISTIO_MUTUAL server within " + timeout + "; last: " + last);
  }
}
