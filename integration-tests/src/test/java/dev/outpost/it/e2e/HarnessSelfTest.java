package dev.outpost.it.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of the Envoy end-to-end harness that don't need Envoy, checked here so that a machine
 * with Envoy finds a working harness: the client really sends the external Host header, and the
 * upstream test server echoes it.
 */
class HarnessSelfTest {

  @Test
  void clientSendsTheExternalHostAndTheUpstreamEchoesIt() throws Exception {
    try (UpstreamHttpServer upstream = UpstreamHttpServer.start()) {
      HttpResponse<String> response =
          new GatewayClient()
              .getUntilOk("127.0.0.1:" + upstream.port(), "upstream.example.test", "/get", Duration.ofSeconds(5));

      assertEquals(200, response.statusCode());
      assertEquals(UpstreamHttpServer.BODY_PREFIX + "upstream.example.test", response.body());
    }
  }

  /**
   * The fat jar as the end-to-end test runs it: {@code serve} becomes ready on the test's
   * manifests, and {@code translate} from the same jar (Envoy's type registry read from inside the
   * shaded jar) prints the listener, route and cluster the Envoy would get.
   */
  @Test
  void outpostJarServesAndTranslatesTheEndToEndManifests(@TempDir Path work) throws Exception {
    Path configDir = Files.createDirectories(work.resolve("config"));
    Files.writeString(
        configDir.resolve("egress.yaml"),
        PlaintextHttpEgressE2ETest.egressManifests("127.0.0.1", 34567, 8080));

    try (OutpostProcess outpost = OutpostProcess.serve(configDir, FreePorts.next(), FreePorts.next())) {
      String dump =
          OutpostProcess.run(
              "translate", "--config-dir", configDir.toString(),
              "--namespace", "istio-system", "--labels", "istio=egressgateway");

      String cluster = "outbound|80||" + PlaintextHttpEgressE2ETest.EXTERNAL_HOST;
      assertTrue(dump.contains("\"name\": \"0.0.0.0_8080\""), dump);
      assertTrue(dump.contains("\"cluster\": \"" + cluster + "\""), "route to " + cluster + ": " + dump);
      assertTrue(dump.contains("\"port_value\": 34567"), "endpoint port from the ServiceEntry: " + dump);
    }
  }
}
