package dev.outpost.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.xds.GroupKey;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.model.ConfigSnapshot;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private OutpostServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    server =
        OutpostServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", 0),
            (config, proxy) ->
                new Translation(
                    EnvoyResources.EMPTY,
                    ImmutableList.of(
                        Diagnostic.error(
                            "EnvoyFilter istio-system/bad", "spec.configPatches[0]", "not applied"))),
            r -> CheckResult.OK,
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void readyOnlyAfterTheFirstConfig() throws Exception {
    assertEquals(200, get("/healthz").statusCode());
    assertEquals(503, get("/readyz").statusCode());
    server.publisher().updateConfig(ConfigSnapshot.EMPTY);
    assertEquals(200, get("/readyz").statusCode());
  }

  @Test
  void diagnosticsShowWhatReadingAndTranslatingTheConfigFound() throws Exception {
    assertEquals(
        "{\"config\":[],\"translation\":[]}",
        get("/debug/diagnostics").body().replaceAll("\\s", ""));
    server
        .publisher()
        .updateConfig(
            new ConfigSnapshot(
                ImmutableList.of(),
                ImmutableList.of(),
                ImmutableList.of(),
                ImmutableList.of(),
                ImmutableList.of(),
                ImmutableList.of(
                    Diagnostic.warning(
                        "AuthorizationPolicy apps/p", "spec.rules[0]", "narrowed on TCP"))));
    server
        .publisher()
        .join(
            new GroupKey(
                ProxyRole.GATEWAY, "istio-system", "sa", ImmutableSortedMap.of("istio", "egress")));

    HttpResponse<String> diagnostics = get("/debug/diagnostics");
    assertEquals(200, diagnostics.statusCode());
    String body = diagnostics.body();
    assertTrue(
        body.matches("(?s).*\"config\" : \\[ \\{.*\"subject\" : \"AuthorizationPolicy apps/p\".*"
            + "\"translation\" : \\[ \\{.*\"severity\" : \"ERROR\".*"
            + "\"subject\" : \"EnvoyFilter istio-system/bad\".*"),
        body);
  }

  @Test
  void debugEndpointsExplainWhatIsMissing() throws Exception {
    HttpResponse<String> noNode = get("/debug/config_dump");
    assertEquals(400, noNode.statusCode());
    assertTrue(noNode.body().contains("?node="), noNode.body());
    assertEquals(404, get("/debug/config_dump?node=unknown").statusCode());
    HttpResponse<String> proxies = get("/debug/proxies");
    assertEquals(200, proxies.statusCode());
    assertEquals("[ ]", proxies.body().trim());
    assertTrue(get("/metrics").body().contains("outpost_connected_proxies 0"));
  }

  @Test
  void clientsThatNeverFinishTheirRequestDoNotBlockHealthChecks() throws Exception {
    // The admin port listens on all addresses by default: a few idle or slow connections (a
    // port scanner, a half-open load balancer probe) must not make /healthz hang, or the
    // kubelet restarts a healthy control plane.
    java.util.List<java.net.Socket> stalled = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", server.adminPort());
        socket.getOutputStream().write("GET /heal".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        stalled.add(socket);
      }
      Thread.sleep(200);
      HttpResponse<String> health = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/healthz"))
              .timeout(java.time.Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
    } finally {
      for (java.net.Socket socket : stalled) {
        socket.close();
      }
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
