package dev.outpost.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
    HttpResponse<String> longNode = get("/debug/config_dump?node=" + "n".repeat(5000));
    assertEquals(404, longNode.statusCode());
    assertTrue(longNode.body().length() < 400, "the 404 quotes the node id cut short: " + longNode.body().length());
    HttpResponse<String> proxies = get("/debug/proxies");
    assertEquals(200, proxies.statusCode());
    assertEquals("[ ]", proxies.body().trim());
    assertTrue(get("/metrics").body().contains("outpost_connected_proxies 0"));
  }

  @Test
  void clientsThatNeverFinishTheirRequestDoNotBlockHealthChecks() throws Exception {
    // In Kubernetes the admin port listens on all addresses: a few idle or slow connections (a
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

  @Test
  void aFailingHandlerAnswers500WithoutTheExceptionsMessage() throws Exception {
    server.metrics().addSection(() -> {
      throw new IllegalStateException("cannot read /etc/outpost/secret-key.pem");
    });
    HttpResponse<String> failed = get("/metrics");
    assertEquals(500, failed.statusCode());
    assertFalse(failed.body().contains("secret-key"), failed.body());
    assertFalse(failed.body().contains("IllegalStateException"), failed.body());
    assertTrue(failed.body().matches("internal error \\(error id [0-9a-f]{8}\\); the server log has the details\n"), failed.body());
  }

  @Test
  void manySlowClientsUseABoundedNumberOfThreadsAndHealthChecksStillGetThrough() throws Exception {
    // Each connection sends the start of a request and stalls (slowloris). The JDK server reads a
    // request on an executor thread: an unbounded pool started one thread per connection.
    java.util.List<java.net.Socket> stalled = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        try {
          java.net.Socket socket = new java.net.Socket("127.0.0.1", server.adminPort());
          socket.getOutputStream().write("GET /heal".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
          stalled.add(socket);
        } catch (java.io.IOException closedByTheServer) {
          // over the connection cap: refused, as intended
        }
      }
      Thread.sleep(500); // let the server dispatch what it accepted
      long adminThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && t.getName().startsWith("outpost-admin"))
          .count();
      assertTrue(adminThreads <= 8, adminThreads + " admin threads for " + stalled.size() + " stalled connections");

      // The stalled connections are closed after the request time limit (5 s): /healthz gets
      // through, retried while the server turns new connections away.
      java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
      HttpResponse<String> health = null;
      while (health == null && java.time.Instant.now().isBefore(deadline)) {
        try {
          health = http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/healthz"))
                  .timeout(java.time.Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException refusedOrTimedOut) {
          Thread.sleep(200);
        }
      }
      assertNotNull(health, "/healthz never answered");
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
