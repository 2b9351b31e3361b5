package dev.outpost.it.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.net.HostAndPort;
import dev.outpost.it.e2e.EnvoyRunner;
import dev.outpost.it.support.IssuedCertificate;
import dev.outpost.it.support.SecretManifest;
import dev.outpost.it.support.TestCa;
import dev.outpost.it.support.TlsHttpServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's "egress gateway with mutual TLS origination" with stock Envoy on both sides: an
 * application sends plain HTTP to its client proxy ({@code http_proxy}); the client proxy sends it
 * over mesh mTLS with the workload's identity to the egress gateway; the gateway originates mutual
 * TLS with a client certificate from a Secret to an upstream that requires one. One Outpost serves
 * both Envoys from one config dir. Hosts the mesh does not declare, or that the namespace's Sidecar
 * does not list, are refused by the client proxy (REGISTRY_ONLY). Skipped where neither ENVOY_BIN
 * nor Docker exists.
 *
 * <p>One mesh (Outpost, gateway, upstream) for the class; each test starts its own client proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientProxyE2ETest {
  private static final String HOST = "mtls.external.test";
  private static final String URL = "http://" + HOST + "/get";
  private static final String APP_IDENTITY = "spiffe://cluster.local/ns/apps/sa/sleep";
  private static final String GATEWAY_CLUSTER = "outbound|443||" + ClientProxyManifests.GATEWAY_HOST;
  private static final Duration CONFIG_ARRIVES = Duration.ofSeconds(60);
  private static final Duration LOGGED = Duration.ofSeconds(10);

  private final TestCa serverCa = TestCa.create("External Service CA");
  private final TestCa clientCa = TestCa.create("Egress Client CA");
  private final IssuedCertificate gatewayClientCertificate = clientCa.issueClient("egress-gateway-client");
  private ClientProxyRig rig;
  private TlsHttpServer upstream;

  @BeforeAll
  void startTheMesh(@TempDir Path work) throws Exception {
    // Not skipped here: an abort in @BeforeAll hides the tests from the report; each test skips.
    Optional<ClientProxyRig> available = ClientProxyRig.ifEnvoyAvailable(work);
    if (available.isEmpty()) {
      return;
    }
    rig = available.get();
    upstream = TlsHttpServer.mutualTls("external-mtls", serverCa.issueServer(HOST), clientCa.certificate());
    rig.write(
        "egress.yaml",
        ClientProxyManifests.egress(
            new ClientProxyManifests.Scenario(
                HOST, rig.hostAddressSeenByEnvoy(), upstream.port(), rig.gatewayListenerPort(), rig.proxyBind())));
    rig.write("sidecars.yaml", ClientProxyManifests.sidecars(rig.proxyBind()));
    rig.write("mesh-config.yaml", ClientProxyManifests.meshConfig("REGISTRY_ONLY"));
    rig.write(
        "secrets.yaml",
        SecretManifest.keyPair(ClientProxyManifests.SYSTEM, ClientProxyManifests.CREDENTIAL, gatewayClientCertificate)
            .withCa(serverCa.certificate())
            .yaml());
    rig.start(upstream.port());
    // Known only once the gateway runs (with Docker, its published port); the file source reloads.
    HostAndPort gateway = rig.gatewayAddressSeenByClients();
    rig.write("egress-gateway-service.yaml", ClientProxyManifests.egressGatewayService(gateway.getHost(), gateway.getPort()));
  }

  @BeforeEach
  void skipWithoutEnvoy() {
    if (rig == null) {
      EnvoyRunner.requireOrSkip(); // prints the harness's message and aborts the test
      throw new IllegalStateException("no mesh was started, yet an Envoy runner exists now");
    }
  }

  @AfterAll
  void stopTheMesh() throws Exception {
    try {
      if (rig != null) {
        rig.close();
      }
    } finally {
      if (upstream != null) {
        upstream.close();
      }
    }
  }

  /**
   * Every hop as the guide promises: the upstream saw the gateway's client certificate from the
   * Secret and SNI = HOST (hop 3, mTLS origination); the gateway saw the workload's SPIFFE identity
   * and the client's SNI and sent the request through {@code outbound|443||HOST} (hop 2, mesh
   * mTLS); the client proxy sent it to the gateway's cluster (hop 1, plain HTTP from the app).
   */
  @Test
  void plainHttpFromTheAppReachesTheUpstreamThroughClientProxyAndGatewayWithMutualTlsOnEachHop() throws Exception {
    try (ClientProxy sleep = rig.startClient(ClientProxyManifests.APPS, "sleep")) {
      HttpResponse<String> response = new ProxiedHttpClient(sleep.proxyAddress()).awaitStatus(URL, 200, CONFIG_ARRIVES);

      assertEquals(200, response.statusCode(), response.headers().map() + " " + response.body());
      assertTrue(response.body().startsWith("hello from external-mtls; host=" + HOST), response.body());
      assertEquals(gatewayClientCertificate.serialHex(), header(response, TlsHttpServer.CLIENT_SERIAL_HEADER));
      assertEquals("CN=egress-gateway-client", header(response, TlsHttpServer.CLIENT_SUBJECT_HEADER));
      assertEquals(HOST, header(response, TlsHttpServer.SNI_HEADER));
      assertEquals(HOST, header(response, TlsHttpServer.HOST_HEADER));

      JsonNode atGateway = rig.gatewayLog().await(l -> ok(l) && l.path("authority").asText().equals(HOST), LOGGED);
      assertEquals("outbound|443||" + HOST, atGateway.path("upstream_cluster").asText(), atGateway.toString());
      assertEquals(APP_IDENTITY, atGateway.path("downstream_peer_uri_san").asText(), atGateway.toString());
      assertEquals(HOST, atGateway.path("requested_server_name").asText(), "the client's DestinationRule sni: " + atGateway);

      JsonNode atClient = sleep.log().await(l -> ok(l) && l.path("authority").asText().equals(HOST), LOGGED);
      assertEquals(GATEWAY_CLUSTER, atClient.path("upstream_cluster").asText(), atClient.toString());
    }
  }

  /** REGISTRY_ONLY: a host no ServiceEntry declares gets 502 from the client proxy and never reaches the gateway. */
  @Test
  void undeclaredHostIsRefusedByTheClientProxy() throws Exception {
    try (ClientProxy sleep = rig.startClient(ClientProxyManifests.APPS, "sleep")) {
      ProxiedHttpClient app = new ProxiedHttpClient(sleep.proxyAddress());
      // First the declared host, so that the refusal below is the configured answer, not a
      // proxy that is still getting its config.
      assertEquals(200, app.awaitStatus(URL, 200, CONFIG_ARRIVES).statusCode(), "the declared host works");

      HttpResponse<String> refused = app.get("http://undeclared.test/");

      assertEquals(502, refused.statusCode(), refused.body());
      JsonNode line = sleep.log().await(l -> l.path("authority").asText().equals("undeclared.test"), LOGGED);
      assertEquals(502, line.path("response_code").asInt(), line.toString());
      assertEquals("block_all", line.path("route_name").asText(), line.toString());
      assertEquals(List.of(), rig.gatewayLog().where("authority", "undeclared.test"), "nothing reached the gateway");
    }
  }

  /**
   * A workload in namespace restricted, whose Sidecar lists only its own namespace, does not see the
   * external host declared in apps (nor the gateway in istio-system): 502 from its client proxy.
   */
  @Test
  void hostOutsideTheNamespacesSidecarIsRefusedByTheClientProxy() throws Exception {
    try (ClientProxy restricted = rig.startClient(ClientProxyManifests.RESTRICTED, "sleep")) {
      HttpResponse<String> response = new ProxiedHttpClient(restricted.proxyAddress()).firstAnswer(URL, CONFIG_ARRIVES);

      assertEquals(502, response.statusCode(), response.body());
      JsonNode line = restricted.log().await(l -> l.path("authority").asText().equals(HOST), LOGGED);
      assertEquals("block_all", line.path("route_name").asText(), line.toString());
      assertEquals(
          List.of(),
          rig.gatewayLog().where("downstream_peer_uri_san", "spiffe://cluster.local/ns/restricted/sa/sleep"),
          "nothing from restricted reached the gateway");
    }
  }

  private static boolean ok(JsonNode line) {
    return line.path("response_code").asInt() == 200;
  }

  private static String header(HttpResponse<String> response, String name) {
    return response.headers().firstValue(name).orElseThrow(
        () -> new AssertionError("no " + name + " in " + response.headers().map() + "; body: " + response.body()));
  }
}
