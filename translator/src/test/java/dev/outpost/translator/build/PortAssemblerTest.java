package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.Server;
import dev.outpost.translator.model.ServerTlsSettings;
import dev.outpost.translator.model.ServerTlsSettings.Mode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Istio's merge rules for servers on one port, and the diagnostics naming both servers. */
class PortAssemblerTest {
  private final DiagnosticSink diagnostics = new DiagnosticSink();

  private static Server server(
      int port, String name, Protocol protocol, Optional<Mode> mode, String... hosts) {
    return new Server(
        new Port(port, protocol, name, Optional.empty()),
        Optional.empty(),
        ImmutableList.copyOf(hosts),
        mode.map(m -> ServerTlsPolicyTest.credential(m, "server-cert")),
        Optional.empty(),
        Optional.empty());
  }

  private static Gateway gateway(String name, Server... servers) {
    return new Gateway(
        TranslatorPipelineTest.meta("istio-system", name),
        ImmutableSortedMap.of("istio", "egressgateway"),
        ImmutableList.copyOf(servers));
  }

  private ImmutableList<PortAssembler.PortPlan> assemble(Gateway... gateways) {
    return new PortAssembler(diagnostics).assemble(ImmutableList.copyOf(gateways));
  }

  @Test
  void tlsServersOfAnyModeShareAPortAndKeepTheirKinds() {
    ImmutableList<PortAssembler.PortPlan> plans =
        assemble(
            gateway(
                "egress",
                server(443, "https", Protocol.HTTPS, Optional.of(Mode.SIMPLE), "a.example.com"),
                server(443, "tls", Protocol.TLS, Optional.of(Mode.PASSTHROUGH), "b.example.com"),
                server(
                    443, "mesh", Protocol.HTTPS, Optional.of(Mode.ISTIO_MUTUAL), "c.example.com")));

    assertEquals(1, plans.size());
    assertEquals(
        List.of(ServerKind.TLS_TERMINATED, ServerKind.TLS_PASSTHROUGH, ServerKind.TLS_TERMINATED),
        plans.get(0).servers().stream().map(BoundServer::kind).toList());
    assertEquals(List.of(), diagnostics.toList());
  }

  @Test
  void plaintextAndTlsOnOnePortKeepTheFirstAndNameBothServers() {
    ImmutableList<PortAssembler.PortPlan> plans =
        assemble(
            gateway(
                "plain", server(8080, "http", Protocol.HTTP, Optional.empty(), "a.example.com")),
            gateway(
                "secure",
                server(8080, "https", Protocol.HTTPS, Optional.of(Mode.SIMPLE), "b.example.com")));

    assertEquals(1, plans.get(0).servers().size());
    assertEquals(ServerKind.PLAINTEXT_HTTP, plans.get(0).servers().get(0).kind());
    Diagnostic error = only(Severity.ERROR);
    assertEquals("Gateway istio-system/secure", error.subject());
    assertEquals("spec.servers[0].port", error.field());
    assertContains(error.message(), "Gateway istio-system/secure server https (TLS-terminating)");
    assertContains(error.message(), "Gateway istio-system/plain server http (plaintext HTTP)");
  }

  @Test
  void twoTcpServersCannotShareAPort() {
    ImmutableList<PortAssembler.PortPlan> plans =
        assemble(
            gateway(
                "egress",
                server(9000, "tcp-a", Protocol.TCP, Optional.empty(), "*"),
                server(9000, "tcp-b", Protocol.TCP, Optional.empty(), "*")));

    assertEquals(1, plans.get(0).servers().size());
    assertContains(only(Severity.ERROR).message(), "no host name or SNI");
  }

  @Test
  void aHostClaimedByTwoTlsServersStaysWithTheFirstAndAServerLeftWithoutHostsIsDropped() {
    ImmutableList<PortAssembler.PortPlan> plans =
        assemble(
            gateway(
                "egress",
                server(443, "https", Protocol.HTTPS, Optional.of(Mode.SIMPLE), "api.example.com"),
                server(
                    443, "tls", Protocol.TLS, Optional.of(Mode.PASSTHROUGH), "API.example.com")));

    assertEquals(
        List.of("https"), plans.get(0).servers().stream().map(BoundServer::displayName).toList());
    Diagnostic error = only(Severity.ERROR);
    assertEquals("spec.servers[1].hosts[0]", error.field());
    assertContains(error.message(), "Gateway istio-system/egress server https");
    assertContains(error.message(), "Gateway istio-system/egress server tls does not get it");
  }

  @Test
  void autoPassthroughAndTlsProtocolsWithoutTlsAreSkippedWithAWarning() {
    ServerTlsSettings auto =
        ServerTlsPolicyTest.tls(
            Mode.AUTO_PASSTHROUGH,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            List.of());
    Server autoServer =
        new Server(
            new Port(15443, Protocol.TLS, "tls", Optional.empty()),
            Optional.empty(),
            ImmutableList.of("*.local"),
            Optional.of(auto),
            Optional.empty(),
            Optional.empty());
    assertEquals(List.of(), assemble(gateway("egress", autoServer)));
    assertEquals("spec.servers[0].tls.mode", only(Severity.WARNING).field());
  }

  @Test
  void sniHostsAreTheServersHostsWithoutNamespaceAndNoneForAStar() {
    ImmutableList<PortAssembler.PortPlan> plans =
        assemble(
            gateway(
                "egress",
                server(
                    443,
                    "a",
                    Protocol.HTTPS,
                    Optional.of(Mode.SIMPLE),
                    "apps/a.example.com",
                    "./b.example.com"),
                server(8443, "b", Protocol.HTTPS, Optional.of(Mode.SIMPLE), "*")));

    assertEquals(
        List.of("a.example.com", "b.example.com"), plans.get(0).servers().get(0).sniHosts());
    assertEquals(List.of(), plans.get(1).servers().get(0).sniHosts(), "* matches any SNI");
  }

  private Diagnostic only(Severity severity) {
    ImmutableList<Diagnostic> all = diagnostics.toList();
    assertEquals(1, all.size(), all::toString);
    assertEquals(severity, all.get(0).severity(), all::toString);
    return all.get(0);
  }

  private static void assertContains(String text, String part) {
    assertTrue(text.contains(part), () -> "expected \"" + part + "\" in: " + text);
  }
}
