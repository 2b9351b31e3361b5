package dev.outpost.it.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton's traffic path with stock Envoy: a client sends plaintext HTTP for an
 * external host to the egress gateway; Outpost configured the gateway from Istio manifests; the
 * gateway forwards upstream and writes a JSON access-log line naming Istio's cluster.
 */
class PlaintextHttpEgressE2ETest {
  static final String EXTERNAL_HOST = "upstream.example.test";
  private static final int GATEWAY_PORT_IN_ENVOY = 8080;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void plaintextRequestGoesThroughTheGatewayAndIsLogged(@TempDir Path work) throws Exception {
    EnvoyRunner envoyRunner = EnvoyRunner.requireOrSkip();
    try (UpstreamHttpServer upstream = UpstreamHttpServer.start()) {
      int xdsPort = FreePorts.next();
      int outpostAdminPort = FreePorts.next();
      int envoyAdminPort = FreePorts.next();
      int listenerPort = envoyRunner instanceof DockerEnvoy ? GATEWAY_PORT_IN_ENVOY : FreePorts.next();
      envoyRunner.allowAccessToHostPorts(xdsPort, upstream.port());

      Path configDir = Files.createDirectories(work.resolve("config"));
      Files.writeString(
          configDir.resolve("egress.yaml"),
          egressManifests(envoyRunner.hostAddressSeenByEnvoy(), upstream.port(), listenerPort));

      Path bootstrap = work.resolve("envoy.yaml");
      Files.writeString(
          bootstrap,
          OutpostProcess.run(
              "bootstrap",
              "--xds-address", envoyRunner.hostAddressSeenByEnvoy() + ":" + xdsPort,
              "--node-id", "egress-e2e.istio-system",
              "--namespace", "istio-system",
              "--labels", "istio=egressgateway",
              "--role", "gateway",
              "--admin-address", envoyRunner.adminBindAddress(),
              "--admin-port", Integer.toString(envoyAdminPort),
              "--stats-port", Integer.toString(FreePorts.next())));

      try (OutpostProcess outpost = OutpostProcess.serve(configDir, xdsPort, outpostAdminPort);
          RunningEnvoy envoy = envoyRunner.start(bootstrap, listenerPort, envoyAdminPort)) {
        HttpResponse<String> response =
            new GatewayClient().getUntilOk(envoy.listenerAddress(), EXTERNAL_HOST, "/get", Duration.ofSeconds(60));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(UpstreamHttpServer.BODY_PREFIX + EXTERNAL_HOST, response.body());

        JsonNode logLine = awaitAccessLog(envoy, Duration.ofSeconds(10));
        assertEquals("outbound|80||" + EXTERNAL_HOST, logLine.path("upstream_cluster").asText());
        assertEquals(200, logLine.path("response_code").asInt());
        assertEquals(EXTERNAL_HOST, logLine.path("authority").asText());
        assertEquals("GET", logLine.path("method").asText());
      }
    }
  }

  /**
   * The Istio egress guide's plaintext case, pointed at the test's upstream: the ServiceEntry's
   * endpoint is where Envoy can reach this machine.
   */
  static String egressManifests(String upstreamAddress, int upstreamPort, int gatewayPort) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata:
          name: upstream
          namespace: istio-system
        spec:
          hosts: [%1$s]
          location: MESH_EXTERNAL
          resolution: DNS
          ports:
          - {number: 80, name: http, protocol: HTTP}
          endpoints:
          - address: %2$s
            ports: {http: %3$d}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: egress
          namespace: istio-system
        spec:
          selector:
            istio: egressgateway
          servers:
          - port: {number: %4$d, name: http, protocol: HTTP}
            hosts: [%1$s]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: upstream-through-egress
          namespace: istio-system
        spec:
          hosts: [%1$s]
          gateways: [egress]
          http:
          - route:
            - destination:
                host: %1$s
                port: {number: 80}
        """
        .formatted(EXTERNAL_HOST, upstreamAddress, upstreamPort, gatewayPort);
  }

  private static JsonNode awaitAccessLog(RunningEnvoy envoy, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (String line : envoy.stdoutLines()) {
        if (line.startsWith("{")) {
          JsonNode node = JSON.readTree(line);
          if (node.path("response_code").asInt() == 200) {
            return node;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no JSON access-log line with response_code 200 on Envoy's stdout: " + envoy.stdoutLines());
  }
}
