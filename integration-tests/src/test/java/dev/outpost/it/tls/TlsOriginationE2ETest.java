package dev.outpost.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.it.e2e.GatewayClient;
import dev.outpost.it.e2e.RunningEnvoy;
import dev.outpost.it.support.IssuedCertificate;
import dev.outpost.it.support.SecretManifest;
import dev.outpost.it.support.TestCa;
import dev.outpost.it.support.TlsClient;
import dev.outpost.it.support.TlsClientConnection;
import dev.outpost.it.support.TlsHttpServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS origination at the egress gateway with stock Envoy: the application sends plain HTTP to the
 * gateway; the gateway originates TLS (SIMPLE) or mutual TLS (MUTUAL, client certificate from a
 * Secret over SDS) to an upstream that reports what it saw. Skipped where neither ENVOY_BIN nor
 * Docker exists.
 */
class TlsOriginationE2ETest {
  private static final String TLS_HOST = "tls.upstream.test";
  private static final String MTLS_HOST = "mtls.upstream.test";
  private static final Duration CONFIG_ARRIVES = Duration.ofSeconds(60);

  private final TestCa serverCa = TestCa.create("External Service CA");
  private final TestCa clientCa = TestCa.create("Egress Client CA");

  /** (a) HTTP in, TLS out: the upstream sees TLS with the host as SNI; the gateway verified it with the Secret's CA. */
  @Test
  void plainHttpInTlsOriginatedToTheUpstream(@TempDir Path work) throws Exception {
    try (EgressRig rig = EgressRig.prepare(work);
        TlsHttpServer upstream = TlsHttpServer.tls("tls-upstream", serverCa.issueServer(TLS_HOST))) {
      rig.write(
          "egress.yaml",
          TlsEgressManifests.origination(
              TLS_HOST, rig.hostAddressSeenByEnvoy(), upstream.port(), rig.listenerPort(), "SIMPLE", "upstream-ca"));
      // SIMPLE with credentialName: only the CA, taken from key ca.crt (SDS kubernetes://upstream-ca-cacert).
      rig.write("secrets.yaml", SecretManifest.trustedCa(EgressRig.NAMESPACE, "upstream-ca", serverCa.certificate()).yaml());
      rig.start(upstream.port());

      HttpResponse<String> response =
          new GatewayClient().getUntilOk(rig.gatewayAddress(), TLS_HOST, "/get", CONFIG_ARRIVES);

      assertEquals(200, response.statusCode(), response.body());
      assertEquals(TLS_HOST, header(response, TlsHttpServer.SNI_HEADER), "SNI defaults to / is set to the host");
      assertEquals(TLS_HOST, header(response, TlsHttpServer.HOST_HEADER));
      assertTrue(header(response, TlsHttpServer.PROTOCOL_HEADER).startsWith("TLSv1."), response.headers().toString());
      assertTrue(response.headers().firstValue(TlsHttpServer.CLIENT_SERIAL_HEADER).isEmpty(), "no client certificate for SIMPLE");
      assertFalse(upstream.handshakes().isEmpty(), "the upstream completed TLS handshakes with the gateway");
      assertOutboundLogged(rig, TLS_HOST);
    }
  }

  /**
   * TLS origination is never silently unverified: an upstream whose certificate another CA signed
   * is refused by the gateway (503, the access log names the verification failure), and the
   * upstream sees the gateway abort the handshake.
   */
  @Test
  void upstreamCertificateFromAnotherCaIsRefusedByTheGateway(@TempDir Path work) throws Exception {
    TestCa impostorCa = TestCa.create("Impostor CA");
    try (EgressRig rig = EgressRig.prepare(work);
        TlsHttpServer impostor = TlsHttpServer.tls("impostor-upstream", impostorCa.issueServer(TLS_HOST))) {
      rig.write(
          "egress.yaml",
          TlsEgressManifests.origination(
              TLS_HOST, rig.hostAddressSeenByEnvoy(), impostor.port(), rig.listenerPort(), "SIMPLE", "upstream-ca"));
      rig.write("secrets.yaml", SecretManifest.trustedCa(EgressRig.NAMESPACE, "upstream-ca", serverCa.certificate()).yaml());
      rig.start(impostor.port());

      HttpResponse<String> response = awaitStatus(rig, TLS_HOST, 503, CONFIG_ARRIVES);

      assertEquals(503, response.statusCode(), response.body());
      assertTrue(impostor.handshakes().isEmpty(), "no TLS session with the impostor was completed");
      JsonNode line =
          rig.awaitAccessLog(l -> l.path("response_code").asInt() == 503, Duration.ofSeconds(10));
      assertEquals("outbound|443||" + TLS_HOST, line.path("upstream_cluster").asText(), line.toString());
      assertTrue(
          line.path("upstream_transport_failure_reason").asText().contains("CERTIFICATE_VERIFY_FAILED"),
          "Envoy says why: " + line);
    }
  }

  /**
   * (b) HTTP in, mutual TLS out: the upstream requires a client certificate from its CA and gets
   * the one in Secret client-cert; the same upstream refuses a client without one.
   */
  @Test
  void plainHttpInMutualTlsOriginatedWithTheClientCertificateFromASecret(@TempDir Path work) throws Exception {
    IssuedCertificate client = clientCa.issueClient("egress-gateway-client");
    try (EgressRig rig = EgressRig.prepare(work);
        TlsHttpServer upstream =
            TlsHttpServer.mutualTls("mtls-upstream", serverCa.issueServer(MTLS_HOST), clientCa.certificate())) {
      rig.write(
          "egress.yaml",
          TlsEgressManifests.origination(
              MTLS_HOST, rig.hostAddressSeenByEnvoy(), upstream.port(), rig.listenerPort(), "MUTUAL", "client-cert"));
      rig.write("secrets.yaml", clientSecret(client));
      rig.start(upstream.port());

      HttpResponse<String> response =
          new GatewayClient().getUntilOk(rig.gatewayAddress(), MTLS_HOST, "/get", CONFIG_ARRIVES);

      assertEquals(200, response.statusCode(), response.body());
      assertEquals(client.serialHex(), header(response, TlsHttpServer.CLIENT_SERIAL_HEADER));
      assertEquals("CN=egress-gateway-client", header(response, TlsHttpServer.CLIENT_SUBJECT_HEADER));
      assertEquals(MTLS_HOST, header(response, TlsHttpServer.SNI_HEADER));
      assertOutboundLogged(rig, MTLS_HOST);

      // The upstream really checks: straight to it, without a client certificate, it refuses.
      int refusedBefore = upstream.refusals().size();
      assertThrows(IOException.class, () -> {
        try (TlsClientConnection direct =
            TlsClient.trusting(serverCa.certificate()).connect("127.0.0.1:" + upstream.port(), MTLS_HOST)) {
          direct.get(MTLS_HOST, "/get");
        }
      });
      awaitMoreRefusals(upstream, refusedBefore);
    }
  }

  /**
   * (e) Rotation: a new client certificate written to the Secret file reaches Envoy over SDS and
   * is used by the next upstream connections, while Envoy keeps running with the same listeners
   * and clusters (no restart, no listener or cluster update, nothing drained). Over state-of-the-world
   * and over delta xDS.
   */
  @ParameterizedTest(name = "delta xDS: {0}")
  @ValueSource(booleans = {false, true})
  void rotatedClientCertificateIsUsedForNewConnectionsWithoutRestartingEnvoy(boolean delta, @TempDir Path work)
      throws Exception {
    IssuedCertificate first = clientCa.issueClient("egress-gateway-client");
    IssuedCertificate second = clientCa.issueClient("egress-gateway-client");
    try (EgressRig rig = EgressRig.prepare(work).useDeltaXds(delta);
        TlsHttpServer upstream =
            TlsHttpServer.mutualTls("mtls-upstream", serverCa.issueServer(MTLS_HOST), clientCa.certificate())) {
      rig.write(
          "egress.yaml",
          TlsEgressManifests.origination(
              MTLS_HOST, rig.hostAddressSeenByEnvoy(), upstream.port(), rig.listenerPort(), "MUTUAL", "client-cert"));
      rig.write("secrets.yaml", clientSecret(first));
      rig.start(upstream.port());
      GatewayClient client = new GatewayClient();
      RunningEnvoy envoy = rig.envoy();

      HttpResponse<String> before = client.getUntilOk(rig.gatewayAddress(), MTLS_HOST, "/get", CONFIG_ARRIVES);
      assertEquals(first.serialHex(), header(before, TlsHttpServer.CLIENT_SERIAL_HEADER));
      Map<String, Long> configCountersBefore = configCounters(rig.admin());
      long uptimeBefore = rig.admin().stat("server.uptime");

      rig.write("secrets.yaml", clientSecret(second));

      // The upstream closes every connection after one response, so each request below is a new
      // upstream connection that shows the client certificate Envoy holds at that moment.
      HttpResponse<String> after = awaitClientSerial(client, rig, second.serialHex(), CONFIG_ARRIVES);
      assertEquals(200, after.statusCode(), after.body());
      assertNotEquals(first.serialHex(), second.serialHex());

      assertSame(envoy, rig.envoy());
      assertTrue(rig.admin().stat("server.uptime") >= uptimeBefore, "Envoy's uptime went on: no restart");
      assertEquals("LIVE", rig.admin().serverInfo().path("state").asText());
      assertEquals(configCountersBefore, configCounters(rig.admin()), "listeners and clusters were not touched");
      assertTrue(
          rig.admin().stats("^sds\\..*update_success$").entrySet().stream()
              .anyMatch(e -> e.getKey().contains("client-cert") && Long.parseLong(e.getValue()) >= 2),
          "the client certificate arrived over SDS twice: " + rig.admin().stats("^sds\\."));
      assertOutboundLogged(rig, MTLS_HOST);
    }
  }

  /** Counters that move when Envoy adds, changes or removes a listener or cluster. */
  private static Map<String, Long> configCounters(EnvoyAdmin admin) throws Exception {
    Map<String, Long> counters = new java.util.TreeMap<>();
    for (String name :
        List.of(
            "listener_manager.listener_added",
            "listener_manager.listener_modified",
            "listener_manager.listener_removed",
            "cluster_manager.cluster_added",
            "cluster_manager.cluster_modified",
            "cluster_manager.cluster_removed")) {
      counters.put(name, admin.stat(name));
    }
    return counters;
  }

  private static HttpResponse<String> awaitClientSerial(
      GatewayClient client, EgressRig rig, String serial, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    HttpResponse<String> last = null;
    while (Instant.now().isBefore(deadline)) {
      last = client.get(rig.gatewayAddress(), MTLS_HOST, "/get");
      if (serial.equals(last.headers().firstValue(TlsHttpServer.CLIENT_SERIAL_HEADER).orElse(""))) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the upstream never saw client certificate serial " + serial + " within " + timeout + "; last: "
            + (last == null ? "none" : last.headers().map() + " " + last.body()));
  }

  /** Polls through the gateway until it answers {@code status} (before the config arrives it answers 404 or refuses). */
  private static HttpResponse<String> awaitStatus(EgressRig rig, String host, int status, Duration timeout)
      throws Exception {
    GatewayClient client = new GatewayClient();
    Instant deadline = Instant.now().plus(timeout);
    HttpResponse<String> last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        last = client.get(rig.gatewayAddress(), host, "/get");
        if (last.statusCode() == status) {
          return last;
        }
      } catch (IOException listenerNotUpYet) {
        // Retry: the listener arrives over LDS.
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the gateway never answered " + status + " within " + timeout + "; last: "
        + (last == null ? "no connection" : last.statusCode() + " " + last.body()));
  }

  private static void assertOutboundLogged(EgressRig rig, String host) throws InterruptedException {
    JsonNode line =
        rig.awaitAccessLog(
            l -> l.path("response_code").asInt() == 200 && l.path("authority").asText().equals(host), Duration.ofSeconds(10));
    assertEquals("outbound|443||" + host, line.path("upstream_cluster").asText(), line.toString());
  }

  private static void awaitMoreRefusals(TlsHttpServer upstream, int before) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(5);
    while (upstream.refusals().size() <= before && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertTrue(upstream.refusals().size() > before, "the upstream itself refused the handshake without a client certificate");
  }

  private static String header(HttpResponse<String> response, String name) {
    return response.headers().firstValue(name).orElseThrow(
        () -> new AssertionError("no " + name + " in " + response.headers().map() + "; body: " + response.body()));
  }

  /** Istio's one-Secret layout for MUTUAL: client key pair plus the CA that verifies the upstream. */
  private String clientSecret(IssuedCertificate client) {
    return SecretManifest.keyPair(EgressRig.NAMESPACE, "client-cert", client).withCa(serverCa.certificate()).yaml();
  }
}
