package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static dev.outpost.translator.parse.Inputs.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.WorkloadEntry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceEntryParserTest {

  private static String se(String spec) {
    return """
    apiVersion: networking.istio.io/v1
    kind: ServiceEntry
    metadata:
      name: api
      namespace: egress
    spec:
    """
        + spec.indent(2);
  }

  private static final String MINIMAL =
      """
      hosts: [api.example.com]
      ports:
      - {number: 443, name: https, protocol: TLS}
      resolution: DNS
      """;

  @Test
  void readsEveryField() {
    ConfigSnapshot s =
        assemble(
            se(
                """
                hosts: [api.example.com, "*.api.example.com"]
                addresses: [192.0.2.10, 10.0.0.0/8, "2001:db8::/32"]
                ports:
                - number: 80
                  name: http
                  protocol: http
                  targetPort: 8080
                - {number: 443, name: https, protocol: TLS}
                location: MESH_INTERNAL
                resolution: STATIC
                endpoints:
                - address: 192.0.2.1
                  ports: {http: 8081}
                  labels: {version: v1}
                  locality: us-east1/a
                  weight: 3
                  serviceAccount: api-sa
                exportTo: [".", other]
                subjectAltNames: [spiffe://cluster.local/ns/egress/sa/api]
                """));
    assertNoDiagnostics(s);
    ServiceEntry e = s.serviceEntries().get(0);
    assertEquals("api", e.metadata().name());
    assertEquals("egress", e.metadata().namespace());
    assertEquals("test.yaml, document 1", e.metadata().origin());
    assertEquals(List.of("api.example.com", "*.api.example.com"), e.hosts());
    assertEquals(List.of("192.0.2.10", "10.0.0.0/8", "2001:db8::/32"), e.addresses());
    assertEquals(
        List.of(
            new Port(80, Protocol.HTTP, "http", Optional.of(8080)),
            new Port(443, Protocol.TLS, "https", Optional.empty())),
        e.ports());
    assertEquals(ServiceEntry.Location.MESH_INTERNAL, e.location());
    assertEquals(ServiceEntry.Resolution.STATIC, e.resolution());
    assertEquals(
        new WorkloadEntry(
            "192.0.2.1",
            ImmutableSortedMap.of("http", 8081),
            ImmutableSortedMap.of("version", "v1"),
            Optional.empty(),
            Optional.of("us-east1/a"),
            Optional.of(3),
            Optional.of("api-sa")),
        e.endpoints().get(0));
    assertEquals(List.of(".", "other"), e.exportTo());
    assertEquals(List.of("spiffe://cluster.local/ns/egress/sa/api"), e.subjectAltNames());
  }

  @Test
  void defaultsLocationAndResolutionLikeIstio() {
    ServiceEntry e =
        assemble(
                se(
                    """
                    hosts: [api.example.com]
                    ports: [{number: 443, name: https, protocol: TLS}]
                    """))
            .serviceEntries()
            .get(0);
    assertEquals(ServiceEntry.Location.MESH_EXTERNAL, e.location());
    assertEquals(ServiceEntry.Resolution.NONE, e.resolution());
  }

  @Test
  void requiresHostsAndPorts() {
    ConfigSnapshot s = assemble(se("resolution: DNS\n"));
    assertRejected(s, "spec.hosts", "is required");
    assertDiagnostic(s, Severity.ERROR, "spec.ports", "is required");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a..example.com",
        "-bad.example.com",
        "api.example.com.",
        "foo.*.com",
        "*",
        "a_b.example.com"
      })
  void rejectsInvalidHosts(String host) {
    assertRejected(
        assemble(se(MINIMAL.replace("api.example.com", host.equals("*") ? "\"*\"" : host))),
        "spec.hosts[0]",
        "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"300.1.1.1", "10.0.0.0/33", "example.com", "10.0.0.0/x"})
  void rejectsInvalidAddresses(String address) {
    assertRejected(
        assemble(se(MINIMAL + "addresses: [\"" + address + "\"]\n")), "spec.addresses[0]", address);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 65536, -1})
  void rejectsPortNumbersOutOfRange(int port) {
    assertRejected(
        assemble(se(MINIMAL.replace("443", String.valueOf(port)))),
        "spec.ports[0].number",
        "1-65535");
  }

  @Test
  void rejectsUnknownProtocolAndAcceptsAnyCase() {
    assertRejected(
        assemble(se(MINIMAL.replace("TLS", "SPDY"))),
        "spec.ports[0].protocol",
        "\"SPDY\" is not a protocol");
    assertEquals(
        Protocol.GRPC_WEB,
        assemble(se(MINIMAL.replace("TLS", "grpc-web")))
            .serviceEntries()
            .get(0)
            .ports()
            .get(0)
            .protocol());
  }

  @Test
  void rejectsDuplicatePortsAndMissingNames() {
    ConfigSnapshot s =
        assemble(
            se(
                """
                hosts: [api.example.com]
                ports:
                - {number: 443, name: https, protocol: TLS}
                - {number: 443, name: https, protocol: TLS}
                - {number: 80, protocol: HTTP}
                """));
    assertRejected(s, "spec.ports[1].number", "declared twice");
    assertDiagnostic(s, Severity.ERROR, "spec.ports[1].name", "used twice");
    assertDiagnostic(s, Severity.ERROR, "spec.ports[2].name", "is required");
  }

  @Test
  void rejectsInvalidEnumValues() {
    ConfigSnapshot s = assemble(se(MINIMAL.replace("DNS", "dns")));
    assertRejected(s, "spec.resolution", "use one of NONE, STATIC, DNS, DNS_ROUND_ROBIN");
  }

  @Test
  void staticEndpointsMustBeIps() {
    ConfigSnapshot s =
        assemble(
            se(MINIMAL.replace("DNS", "STATIC") + "endpoints: [{address: backend.example.com}]\n"));
    assertRejected(s, "spec.endpoints[0].address", "STATIC resolution needs IP endpoints");
  }

  @Test
  void noneEndpointsMustBeIpsToo() {
    ConfigSnapshot s =
        assemble(
            se(MINIMAL.replace("DNS", "NONE") + "endpoints: [{address: backend.example.com}]\n"));
    assertRejected(s, "spec.endpoints[0].address", "NONE resolution needs IP endpoints");
    assertNoDiagnostics(
        assemble(
            se(
                MINIMAL.replace("DNS", "NONE")
                    + "endpoints: [{address: \"2001:db8::1\"}, {address:"
                    + " unix:///var/run/a.sock}]\n")));
  }

  @Test
  void dnsEndpointsMayBeHostNames() {
    ConfigSnapshot s =
        assemble(
            se(MINIMAL + "endpoints: [{address: backend.example.com, ports: {https: 8443}}]\n"));
    assertNoDiagnostics(s);
  }

  @Test
  void wildcardHostCannotBeResolvedWithDnsWithoutEndpoints() {
    assertRejected(
        assemble(se(MINIMAL.replace("api.example.com", "\"*.example.com\""))),
        "spec.hosts[0]",
        "cannot be resolved");
  }

  @Test
  void dnsRoundRobinAllowsOneEndpoint() {
    String spec =
        MINIMAL.replace("DNS", "DNS_ROUND_ROBIN")
            + "endpoints: [{address: a.example.com}, {address: b.example.com}]\n";
    assertRejected(assemble(se(spec)), "spec.endpoints", "at most one endpoint");
  }

  @Test
  void endpointPortNamesMustMatchServicePorts() {
    ConfigSnapshot s =
        assemble(se(MINIMAL + "endpoints: [{address: a.example.com, ports: {htps: 8443}}]\n"));
    assertDiagnostic(
        s, Severity.WARNING, "spec.endpoints[0].ports.htps", "not the name of any port");
    assertEquals(1, s.serviceEntries().size());
  }

  @Test
  void endpointPortsMustBeValid() {
    assertRejected(
        assemble(se(MINIMAL + "endpoints: [{address: a.example.com, ports: {https: 70000}}]\n")),
        "spec.endpoints[0].ports.https",
        "1-65535");
  }

  @Test
  void exportToIsValidated() {
    assertRejected(
        assemble(se(MINIMAL + "exportTo: [\"*\", other]\n")), "spec.exportTo", "only entry");
    assertRejected(
        assemble(se(MINIMAL + "exportTo: [\"Bad_NS\"]\n")), "spec.exportTo[0]", "namespace name");
    assertRejected(
        assemble(se(MINIMAL + "exportTo: [a, a]\n")), "spec.exportTo[1]", "listed twice");
  }

  @Test
  void workloadSelectorIsNotSupportedYet() {
    ConfigSnapshot s =
        assemble(se(MINIMAL.replace("DNS", "STATIC") + "workloadSelector: {labels: {app: api}}\n"));
    assertDiagnostic(
        s, Severity.WARNING, "spec.workloadSelector", "is not supported yet and is ignored");
    assertEquals(
        Optional.of(ImmutableSortedMap.of("app", "api")),
        s.serviceEntries().get(0).workloadSelector().map(w -> w.matchLabels()));
  }

  @Test
  void staticWithoutEndpointsWarns() {
    ConfigSnapshot s = assemble(se(MINIMAL.replace("DNS", "STATIC")));
    assertDiagnostic(s, Severity.WARNING, "spec.endpoints", "nowhere to go");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "70000", "-1", "1099511627776"})
  void aPortNumberOutOfRangeIsAnError(String number) {
    ConfigSnapshot s =
        assemble(
            se(
                "hosts: [api.example.com]\nresolution: DNS\nports:\n- {number: "
                    + number
                    + ", name: https, protocol: TLS}\n"));

    assertRejected(s, "spec.ports[0].number", number + " is not a valid port number; it must be 1-65535");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "70000", "-1", "1099511627776"})
  void anEndpointPortOutOfRangeIsAnError(String number) {
    ConfigSnapshot s =
        assemble(
            se(
                "hosts: [api.example.com]\nresolution: STATIC\nports:\n- {number: 443, name: https, protocol: TLS}\n"
                    + "endpoints:\n- {address: 192.0.2.1, ports: {https: "
                    + number
                    + "}}\n"));

    assertRejected(s, "spec.endpoints[0].ports.https", number + " is not a valid port number");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "0.0.0.0", "::", "::ffff:127.0.0.1"})
  void aLoopbackOrUnspecifiedEndpointIsAWarningThatTheGatewayWouldConnectToItself(String ip) {
    ConfigSnapshot s =
        assemble(
            se(
                "hosts: [api.example.com]\nresolution: STATIC\nports:\n- {number: 443, name: https, protocol: TLS}\n"
                    + "endpoints:\n- {address: \""
                    + ip
                    + "\"}\n"));

    assertDiagnostic(s, Severity.WARNING, "spec.endpoints[0].address", "the gateway would connect to itself");
    assertEquals(1, s.serviceEntries().size(), "a warning only: Istio accepts it");
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "db.localhost"})
  void aLocalhostDnsEndpointIsAWarning(String name) {
    ConfigSnapshot s =
        assemble(
            se(
                "hosts: [api.example.com]\nresolution: DNS\nports:\n- {number: 443, name: https, protocol: TLS}\n"
                    + "endpoints:\n- {address: \""
                    + name
                    + "\"}\n"));

    assertDiagnostic(
        s, Severity.WARNING, "spec.endpoints[0].address", "is a name for the loopback address: the gateway would connect to itself");
    assertEquals(1, s.serviceEntries().size());
  }

  @Test
  void aLocalhostHostResolvedByDnsIsAWarning() {
    ConfigSnapshot s =
        assemble(
            se(
                "hosts: [api.example.com, localhost]\nresolution: DNS\nports:\n- {number: 80, name: http, protocol: HTTP}\n"));

    assertDiagnostic(s, Severity.WARNING, "spec.hosts[1]", "the gateway would connect to itself");
    assertEquals(1, s.serviceEntries().size());
  }

  @Test
  void aLocalhostHostWithEndpointsIsNotResolvedAndNotWarned() {
    ConfigSnapshot s =
        assemble(
            se(
                "hosts: [localhost]\nresolution: DNS\nports:\n- {number: 80, name: http, protocol: HTTP}\n"
                    + "endpoints:\n- {address: api.example.com}\n"));

    assertNoDiagnostics(s);
  }

  @Test
  void anOrdinaryAddressIsNotWarned() {
    ConfigSnapshot s =
        assemble(
            se(
                "hosts: [api.example.com]\nresolution: STATIC\nports:\n- {number: 443, name: https, protocol: TLS}\n"
                    + "endpoints:\n- {address: 192.0.2.1}\n- {address: \"2001:db8::1\"}\n"));

    assertNoDiagnostics(s);
  }
}
