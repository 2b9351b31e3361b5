package dev.outpost.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.it.support.TlsClientConnection.HttpReply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The upstream test servers and the test TLS client, without Envoy: what the end-to-end tests
 * assert through the gateway is first shown to hold when a client talks to them directly.
 */
class TlsTestServersTest {
  private static final String HOST = "tls.upstream.test";
  private static final TestCa SERVER_CA = TestCa.create("Upstream Server CA");
  private static final TestCa CLIENT_CA = TestCa.create("Egress Client CA");
  private static final IssuedCertificate SERVER = SERVER_CA.issueServer(HOST, "localhost", "127.0.0.1");

  @Test
  void mutualTlsServerAcceptsAClientCertificateFromItsCaAndRefusesOneWithout() throws Exception {
    IssuedCertificate client = CLIENT_CA.issueClient("egress-client");
    try (TlsHttpServer upstream = TlsHttpServer.mutualTls("mtls-upstream", SERVER, CLIENT_CA.certificate())) {
      URI uri = URI.create("https://localhost:" + upstream.port() + "/headers");

      HttpResponse<String> ok = jdkClient(TlsContexts.create(List.of(SERVER_CA.certificate()), client)).send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      assertEquals(client.serialHex(), ok.headers().firstValue(TlsHttpServer.CLIENT_SERIAL_HEADER).orElseThrow());
      assertEquals("CN=egress-client", ok.headers().firstValue(TlsHttpServer.CLIENT_SUBJECT_HEADER).orElseThrow());
      assertTrue(ok.body().contains("serial=" + client.serialHex()), ok.body());

      HttpClient withoutCertificate = jdkClient(TlsContexts.trusting(List.of(SERVER_CA.certificate())));
      assertThrows(
          IOException.class,
          () -> withoutCertificate.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
      awaitRefusal(upstream);

      // The test's own TLS client sees the refusal as an IOException too (with TLS 1.3 only when
      // it reads: the server rejects after the client's side of the handshake is done).
      assertThrows(IOException.class, () -> {
        try (TlsClientConnection connection =
            TlsClient.trusting(SERVER_CA.certificate()).connect("127.0.0.1:" + upstream.port(), HOST)) {
          connection.get(HOST, "/get");
        }
      });

      // A certificate from another CA is refused just the same.
      IssuedCertificate foreign = TestCa.create("Someone Else").issueClient("egress-client");
      HttpClient wrongCa = jdkClient(TlsContexts.create(List.of(SERVER_CA.certificate()), foreign));
      assertThrows(
          IOException.class,
          () -> wrongCa.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
      assertEquals(1, upstream.handshakes().size(), "only the client with the right certificate got through");
    }
  }

  @Test
  void tlsServerReportsTheSniAndHostItSawAndClosesEachConnection() throws Exception {
    try (TlsHttpServer upstream = TlsHttpServer.tls("tls-upstream", SERVER)) {
      TlsClient client = TlsClient.trusting(SERVER_CA.certificate());
      for (int i = 0; i < 2; i++) {
        try (TlsClientConnection connection = client.connect("127.0.0.1:" + upstream.port(), HOST)) {
          HttpReply reply = connection.get(HOST, "/get");
          assertEquals(200, reply.status());
          assertEquals(HOST, reply.header(TlsHttpServer.SNI_HEADER));
          assertEquals(HOST, reply.header(TlsHttpServer.HOST_HEADER));
          assertEquals(connection.protocol(), reply.header(TlsHttpServer.PROTOCOL_HEADER));
          assertEquals(null, reply.header(TlsHttpServer.CLIENT_SERIAL_HEADER), "no client certificate asked for");
          assertEquals("close", reply.header("connection"));
        }
      }
      assertEquals(2, upstream.handshakes().size(), "one TLS connection per request");
    }
  }

  @Test
  void clientVerifiesTheServerNameAndTheCa() throws Exception {
    try (TlsHttpServer upstream = TlsHttpServer.tls("tls-upstream", SERVER)) {
      String address = "127.0.0.1:" + upstream.port();
      assertThrows(
          SSLHandshakeException.class,
          () -> TlsClient.trusting(SERVER_CA.certificate()).connect(address, "other.example.test"),
          "certificate does not name other.example.test");
      assertThrows(
          SSLHandshakeException.class,
          () -> TlsClient.trusting(CLIENT_CA.certificate()).connect(address, HOST),
          "server certificate from a CA the client does not trust");
    }
  }

  @Test
  void echoServerIdentifiesItselfWithTheSniAndEchoes() throws Exception {
    IssuedCertificate client = CLIENT_CA.issueClient("passthrough-client");
    try (TlsEchoServer echo = TlsEchoServer.startRequiringClientCertificate("echo-upstream", SERVER, CLIENT_CA.certificate());
        TlsClientConnection connection =
            TlsClient.withClientCertificate(SERVER_CA.certificate(), client).connect("127.0.0.1:" + echo.port(), HOST)) {
      assertEquals(
          "echo-upstream sni=" + HOST + "; protocol=" + connection.protocol() + "; client=CN=passthrough-client; serial="
              + client.serialHex(),
          connection.readLine());
      connection.writeLine("ping");
      assertEquals(TlsEchoServer.ECHO_PREFIX + "ping", connection.readLine());
      assertEquals(SERVER.certificate(), connection.peerCertificate());
    }
  }

  private static HttpClient jdkClient(javax.net.ssl.SSLContext context) {
    return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static void awaitRefusal(TlsHttpServer server) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(5);
    while (server.refusals().isEmpty() && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    // The JDK client retries a failed GET once, so there may be two.
    assertTrue(!server.refusals().isEmpty(), "the server itself refused the handshake");
    assertTrue(
        server.refusals().stream().allMatch(r -> r.contains("client certificate")),
        "refused for the missing client certificate: " + server.refusals());
  }
}
