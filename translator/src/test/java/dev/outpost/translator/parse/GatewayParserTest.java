package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static dev.outpost.translator.parse.Inputs.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.Server;
import dev.outpost.translator.model.ServerTlsSettings;
import dev.outpost.translator.model.ServerTlsSettings.Mode;
import dev.outpost.translator.model.ServerTlsSettings.TlsProtocolVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayParserTest {

  private static String gw(String spec) {
    return """
    apiVersion: networking.istio.io/v1beta1
    kind: Gateway
    metadata: {name: egress, namespace: istio-system}
    spec:
    """
        + spec.indent(2);
  }

  private static final String HTTP_SERVER =
      """
      selector: {istio: egressgateway}
      servers:
      - port: {number: 80, name: http, protocol: HTTP}
        hosts: [api.example.com]
      """;

  @Test
  void readsHttpServer() {
    ConfigSnapshot s = assemble(gw(HTTP_SERVER));
    assertNoDiagnostics(s);
    Gateway g = s.gateways().get(0);
    assertEquals(Map.of("istio", "egressgateway"), g.selector());
    assertEquals(
        new Server(
            new Port(80, Protocol.HTTP, "http", Optional.empty()),
            Optional.empty(),
            ImmutableList.of("api.example.com"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()),
        g.servers().get(0));
  }

  @Test
  void readsTlsSettingsFully() {
    ConfigSnapshot s =
        assemble(
            gw(
                """
                servers:
                - port: {number: 443, name: https, protocol: HTTPS}
                  bind: 0.0.0.0
                  name: main
                  hosts: ["ns1/api.example.com", "*/*.example.org", "./*"]
                  tls:
                    mode: MUTUAL
                    credentialName: api-cert
                    subjectAltNames: [client.example.com]
                    verifyCertificateSpki: [abc]
                    verifyCertificateHash: [def]
                    minProtocolVersion: TLSV1_2
                    maxProtocolVersion: TLSV1_3
                    cipherSuites: [ECDHE-RSA-AES128-GCM-SHA256]
                """));
    assertNoDiagnostics(s);
    Server server = s.gateways().get(0).servers().get(0);
    assertEquals(Optional.of("0.0.0.0"), server.bind());
    assertEquals(Optional.of("main"), server.name());
    assertEquals(List.of("ns1/api.example.com", "*/*.example.org", "./*"), server.hosts());
    assertEquals(
        new ServerTlsSettings(
            false,
            Mode.MUTUAL,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("api-cert"),
            ImmutableList.of("client.example.com"),
            ImmutableList.of("abc"),
            ImmutableList.of("def"),
            TlsProtocolVersion.TLSV1_2,
            TlsProtocolVersion.TLSV1_3,
            ImmutableList.of("ECDHE-RSA-AES128-GCM-SHA256")),
        server.tls().orElseThrow());
  }

  @Test
  void httpsRedirectOnPlainHttpIsAllowed() {
    ConfigSnapshot s = assemble(gw(HTTP_SERVER + "  tls: {httpsRedirect: true}\n"));
    assertNoDiagnostics(s);
    assertEquals(true, s.gateways().get(0).servers().get(0).tls().orElseThrow().httpsRedirect());
  }

  @Test
  void plainHttpCannotTerminateTls() {
    assertRejected(
        assemble(gw(HTTP_SERVER + "  tls: {mode: SIMPLE, credentialName: c}\n")),
        "spec.servers[0].tls",
        "plaintext");
  }

  @Test
  void tlsServerNeedsTlsSettings() {
    assertRejected(
        assemble(gw(HTTP_SERVER.replace("HTTP}", "HTTPS}"))), "spec.servers[0].tls", "is required");
  }

  @Test
  void simpleNeedsCredentials() {
    String spec = HTTP_SERVER.replace("HTTP}", "HTTPS}") + "  tls: {mode: SIMPLE}\n";
    assertRejected(assemble(gw(spec)), "spec.servers[0].tls.mode", "needs credentialName");
  }

  @Test
  void istioMutualRejectsCertificates() {
    String spec =
        HTTP_SERVER.replace("HTTP}", "HTTPS}") + "  tls: {mode: ISTIO_MUTUAL, credentialName: x}\n";
    assertRejected(
        assemble(gw(spec)), "spec.servers[0].tls.mode", "ISTIO_MUTUAL uses the mesh certificates");
  }

  @Test
  void tlsVersionsMustBeOrdered() {
    String spec =
        HTTP_SERVER.replace("HTTP}", "TLS}")
            + "  tls: {mode: PASSTHROUGH, minProtocolVersion: TLSV1_3, maxProtocolVersion:"
            + " TLSV1_2}\n";
    assertRejected(
        assemble(gw(spec)),
        "spec.servers[0].tls.minProtocolVersion",
        "higher than maxProtocolVersion");
  }

  @Test
  void requiresServersPortAndHosts() {
    assertRejected(assemble(gw("selector: {app: gw}\n")), "spec.servers", "is required");
    ConfigSnapshot s =
        assemble(
            gw(
                "servers: [{hosts: [a.example.com]}, {port: {number: 80, name: b, protocol:"
                    + " HTTP}}]\n"));
    assertRejected(s, "spec.servers[0].port", "is required");
    assertDiagnostic(s, Severity.ERROR, "spec.servers[1].hosts", "is required");
  }

  @Test
  void portNamesMustBeUniqueAndPresent() {
    ConfigSnapshot s =
        assemble(
            gw(
                """
                servers:
                - port: {number: 80, name: http, protocol: HTTP}
                  hosts: [a.example.com]
                - port: {number: 81, name: http, protocol: HTTP}
                  hosts: [b.example.com]
                - port: {number: 82, protocol: HTTP}
                  hosts: [c.example.com]
                """));
    assertRejected(s, "spec.servers[1].port.name", "must be unique");
    assertDiagnostic(s, Severity.ERROR, "spec.servers[2].port.name", "is required");
  }

  @Test
  void targetPortHasNoEffectOnGateways() {
    assertRejected(
        assemble(gw(HTTP_SERVER.replace("protocol: HTTP}", "protocol: HTTP, targetPort: 8080}"))),
        "spec.servers[0].port.targetPort",
        "no effect");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bad_NS/a.example.com", "ns/a..b", "a/b/c", "*.*.example.com"})
  void rejectsInvalidServerHosts(String host) {
    assertRejected(
        assemble(gw(HTTP_SERVER.replace("api.example.com", "\"" + host + "\""))),
        "spec.servers[0].hosts[0]",
        "");
  }

  @Test
  void acceptsStarAndNamespaceForms() {
    assertNoDiagnostics(
        assemble(
            gw(
                HTTP_SERVER.replace(
                    "[api.example.com]", "[\"*\", \"*/*\", \"./foo.example.com\", \"ns/*\"]"))));
  }

  @Test
  void bindMustBeAnIp() {
    assertRejected(
        assemble(gw(HTTP_SERVER + "  bind: localhost\n")),
        "spec.servers[0].bind",
        "not an IP address");
  }

  @Test
  void gatewayNameMustBeADnsLabel() {
    assertRejected(
        assemble(gw(HTTP_SERVER).replace("name: egress,", "name: egress.gw,")),
        "metadata.name",
        "no dots");
  }

  @Test
  void unsupportedTlsFieldsWarn() {
    String spec =
        HTTP_SERVER.replace("HTTP}", "HTTPS}")
            + "  tls: {mode: SIMPLE, credentialName: c, caCrl: /x}\n";
    ConfigSnapshot s = assemble(gw(spec));
    assertDiagnostic(
        s, Severity.WARNING, "spec.servers[0].tls.caCrl", "is not supported yet and is ignored");
    assertEquals(1, s.gateways().size());
  }
}
