package dev.outpost.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.it.support.IssuedCertificate;
import dev.outpost.it.support.TestCa;
import dev.outpost.it.support.TlsClient;
import dev.outpost.it.support.TlsClientConnection;
import dev.outpost.it.support.TlsEchoServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * (c) SNI passthrough with stock Envoy: the client does its own TLS, through the gateway, with the
 * upstream; the gateway routes by SNI and never terminates (it holds no keys). An SNI the gateway
 * has no route for is closed. Skipped where neither ENVOY_BIN nor Docker exists.
 */
class SniPassthroughE2ETest {
  private static final String HOST = "passthrough.upstream.test";
  private static final Duration CONFIG_ARRIVES = Duration.ofSeconds(60);

  private final TestCa upstreamCa = TestCa.create("Passthrough Upstream CA");

  @Test
  void clientsOwnTlsReachesTheUpstreamByItsSniAndUnknownSniIsClosed(@TempDir Path work) throws Exception {
    IssuedCertificate upstreamCertificate = upstreamCa.issueServer(HOST);
    try (EgressRig rig = EgressRig.prepare(work);
        TlsEchoServer upstream = TlsEchoServer.start("passthrough-upstream", upstreamCertificate)) {
      rig.write(
          "egress.yaml",
          TlsEgressManifests.passthrough(HOST, rig.hostAddressSeenByEnvoy(), upstream.port(), rig.listenerPort()));
      rig.start(upstream.port());
      TlsClient client = TlsClient.trusting(upstreamCa.certificate());

      try (TlsClientConnection connection = connectUntilRouted(client, rig.gatewayAddress(), CONFIG_ARRIVES)) {
        // The identity line comes from the upstream over the client's own TLS session: the client
        // verified the upstream's certificate for HOST, and the upstream saw the client's SNI.
        assertEquals(
            "passthrough-upstream sni=" + HOST + "; protocol=" + connection.protocol() + "; client=-; serial=-",
            connection.readLine());
        assertEquals(upstreamCertificate.certificate(), connection.peerCertificate());
        connection.writeLine("through the gateway");
        assertEquals(TlsEchoServer.ECHO_PREFIX + "through the gateway", connection.readLine());
      }

      JsonNode configDump = rig.admin().configDump();
      assertTrue(
          configDump.findValues("dynamic_active_secrets").stream().allMatch(JsonNode::isEmpty),
          "a passthrough gateway holds no certificates or keys: " + configDump.findValues("dynamic_active_secrets"));

      int seenBefore = upstream.handshakes().size() + upstream.refusals().size();
      assertThrows(IOException.class, () -> {
        try (TlsClientConnection unknown = client.connect(rig.gatewayAddress(), "unknown.upstream.test")) {
          unknown.readLine();
        }
      });
      Thread.sleep(500);
      assertEquals(
          seenBefore,
          upstream.handshakes().size() + upstream.refusals().size(),
          "the gateway closed the unknown SNI itself; nothing reached the upstream");

      JsonNode line =
          rig.awaitAccessLog(l -> l.path("upstream_cluster").asText().equals("outbound|443||" + HOST), Duration.ofSeconds(15));
      assertEquals(HOST, line.path("requested_server_name").asText(HOST), line.toString());
    }
  }

  /** The passthrough listener and route arrive over ADS: retry the handshake until it reaches the upstream. */
  private static TlsClientConnection connectUntilRouted(TlsClient client, String gateway, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    IOException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        return client.connect(gateway, HOST);
      } catch (IOException notYetRouted) {
        last = notYetRouted;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no TLS connection through the gateway to " + HOST + " within " + timeout, last);
  }
}
