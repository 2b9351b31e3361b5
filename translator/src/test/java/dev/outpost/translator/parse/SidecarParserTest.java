package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static dev.outpost.translator.parse.Inputs.assertRejected;
import static dev.outpost.translator.parse.Inputs.errors;
import static dev.outpost.translator.parse.Inputs.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.OutboundTrafficMode;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.Sidecar;
import dev.outpost.translator.model.SidecarEgress;
import dev.outpost.translator.model.WorkloadSelector;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SidecarParserTest {

  private static String sidecar(String spec) {
    return """
    apiVersion: networking.istio.io/v1
    kind: Sidecar
    metadata: {name: default, namespace: apps}
    spec:
    """
        + spec.indent(2);
  }

  private static Sidecar only(ConfigSnapshot s) {
    assertEquals(1, s.sidecars().size(), () -> "one Sidecar expected; " + lines(s));
    return s.sidecars().get(0);
  }

  /** A valid egress entry to put beside an invalid one. */
  private static final String GOOD_ENTRY =
      """
      - port: {number: 8080, protocol: HTTP, name: http}
        hosts: ["./api.example.com"]
      """;

  @Test
  void readsEveryField() {
    ConfigSnapshot s =
        assemble(
            sidecar(
                """
                workloadSelector:
                  labels: {app: web, version: v1}
                egress:
                - port: {number: 9080, protocol: HTTP, name: egresshttp}
                  bind: 127.0.0.2
                  captureMode: NONE
                  hosts: ["prod-us1/*"]
                - hosts: ["istio-system/*", "*/api.example.com", "~/*", "./*.internal.example.com"]
                  captureMode: DEFAULT
                outboundTrafficPolicy:
                  mode: ALLOW_ANY
                """));
    assertNoDiagnostics(s);
    Sidecar sc = only(s);
    assertEquals("apps", sc.metadata().namespace());
    assertEquals(
        Optional.of(new WorkloadSelector(ImmutableSortedMap.of("app", "web", "version", "v1"))),
        sc.workloadSelector());
    assertEquals(
        List.of(
            new SidecarEgress(
                Optional.of(new Port(9080, Protocol.HTTP, "egresshttp", Optional.empty())),
                Optional.of("127.0.0.2"),
                ImmutableList.of("prod-us1/*")),
            new SidecarEgress(
                Optional.empty(),
                Optional.empty(),
                ImmutableList.of(
                    "istio-system/*", "*/api.example.com", "~/*", "./*.internal.example.com"))),
        sc.egress());
    assertEquals(Optional.of(OutboundTrafficMode.ALLOW_ANY), sc.outboundTrafficMode());
  }

  @Test
  void readsTheSameInV1alpha3() {
    String v1 = sidecar(GOOD_ENTRY.replaceFirst("^", "egress:\n"));
    ConfigSnapshot current = assemble(v1);
    ConfigSnapshot old = assemble(v1.replace("networking.istio.io/v1", "networking.istio.io/v1alpha3"));
    assertNoDiagnostics(old);
    assertEquals(current.sidecars(), old.sidecars());
    assertEquals(1, old.sidecars().get(0).egress().size());
  }

  @Test
  void withoutSelectorOrPolicyBothAreEmpty() {
    Sidecar sc = only(assemble(sidecar("egress:\n- hosts: [\"./*\", \"istio-system/*\"]\n")));
    assertEquals(Optional.empty(), sc.workloadSelector());
    assertEquals(Optional.empty(), sc.outboundTrafficMode(), "the mesh config decides");
  }

  @Test
  void onlyAnOutboundTrafficPolicyIsValid() {
    ConfigSnapshot s = assemble(sidecar("outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n"));
    assertNoDiagnostics(s);
    Sidecar sc = only(s);
    assertEquals(List.of(), sc.egress(), "Istio's default egress");
    assertEquals(Optional.of(OutboundTrafficMode.REGISTRY_ONLY), sc.outboundTrafficMode());
  }

  @Test
  void aPolicyWithoutModeIsRegistryOnlyAsTheProtoDefault() {
    ConfigSnapshot s = assemble(sidecar("outboundTrafficPolicy: {}\n"));
    assertNoDiagnostics(s);
    assertEquals(Optional.of(OutboundTrafficMode.REGISTRY_ONLY), only(s).outboundTrafficMode());
  }

  @Test
  void anUnknownModeIsAnError() {
    assertRejected(
        assemble(sidecar("outboundTrafficPolicy: {mode: ALLOW_ALL}\n")),
        "spec.outboundTrafficPolicy.mode",
        "\"ALLOW_ALL\" is not a valid value; use one of REGISTRY_ONLY, ALLOW_ANY");
  }

  @Test
  void egressProxyIsAWarningAndIgnored() {
    ConfigSnapshot s =
        assemble(
            sidecar(
                """
                outboundTrafficPolicy:
                  mode: ALLOW_ANY
                  egressProxy: {host: proxy.corp.example.com, port: {number: 3128}}
                """));
    assertEquals(1, s.diagnostics().size(), () -> lines(s).toString());
    assertDiagnostic(
        s,
        Severity.WARNING,
        "spec.outboundTrafficPolicy.egressProxy",
        "is not supported and is ignored: unknown hosts are passed through to the address the"
            + " application asked for, not sent to the egress proxy");
    assertEquals(Optional.of(OutboundTrafficMode.ALLOW_ANY), only(s).outboundTrafficMode());
  }

  @Test
  void ingressAndInboundConnectionPoolAreWarningsAndIgnored() {
    ConfigSnapshot s =
        assemble(
            sidecar(
                """
                ingress:
                - port: {number: 9080, protocol: HTTP, name: somename}
                  defaultEndpoint: unix:///var/run/someuds.sock
                inboundConnectionPool:
                  http: {http1MaxPendingRequests: 100}
                egress:
                - hosts: ["./*"]
                """));
    assertEquals(2, s.diagnostics().size(), () -> lines(s).toString());
    for (String field : List.of("spec.ingress", "spec.inboundConnectionPool")) {
      assertDiagnostic(s, Severity.WARNING, field, "is not supported (Outpost serves egress only");
    }
    assertEquals(1, only(s).egress().size());
  }

  @Test
  void captureModeIptablesIsAWarning() {
    ConfigSnapshot s =
        assemble(
            sidecar(
                """
                egress:
                - port: {number: 8080, protocol: HTTP, name: http}
                  captureMode: IPTABLES
                  hosts: ["./*"]
                """));
    assertDiagnostic(
        s,
        Severity.WARNING,
        "spec.egress[0].captureMode",
        "Outpost has no traffic interception (no iptables redirect), so this listener behaves as"
            + " NONE");
    assertEquals(1, only(s).egress().size(), "accepted: the warning is all");
  }

  @Test
  void anUnknownCaptureModeIsAnError() {
    assertRejected(
        assemble(sidecar("egress:\n- captureMode: TPROXY\n  hosts: [\"./*\"]\n")),
        "spec.egress[0].captureMode",
        "\"TPROXY\" is not a valid value; use one of DEFAULT, IPTABLES, NONE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"api.example.com", "*"})
  void aHostWithoutNamespaceIsAnErrorThatSaysWhatToWrite(String host) {
    ConfigSnapshot s = assemble(sidecar("egress:\n- hosts: [\"" + host + "\"]\n"));
    assertRejected(
        s,
        "spec.egress[0].hosts[0]",
        "\""
            + host
            + "\" has no namespace: a Sidecar host is namespace/dnsName; write \"*/"
            + host
            + "\" (from any namespace) or \"./"
            + host
            + "\" (from the Sidecar's own namespace)");
    assertTrue(
        s.diagnostics().get(0).subject().equals("Sidecar apps/default"),
        s.diagnostics().get(0).subject());
  }

  @Test
  void badHostsAreErrorsNamingTheEntry() {
    ConfigSnapshot s =
        assemble(
            sidecar(
                """
                egress:
                - hosts: ["Bad_NS/a.example.com", "/a.example.com", "ns/", "*/a.*.example.com", "ns/a..b"]
                """));
    assertDiagnostic(
        s, Severity.ERROR, "spec.egress[0].hosts[0]",
        "the namespace part \"Bad_NS\" must be a namespace name, \"*\", \".\" or \"~\"");
    assertDiagnostic(
        s, Severity.ERROR, "spec.egress[0].hosts[1]", "must not be empty");
    assertDiagnostic(
        s, Severity.ERROR, "spec.egress[0].hosts[2]", "must not be empty");
    assertDiagnostic(
        s, Severity.ERROR, "spec.egress[0].hosts[3]",
        "a wildcard is only allowed as the whole first label");
    assertDiagnostic(s, Severity.ERROR, "spec.egress[0].hosts[4]", "is not a valid host name");
    assertEquals(5, errors(s).size(), () -> lines(s).toString());
  }

  @Test
  void hostsAreRequired() {
    assertRejected(
        assemble(sidecar("egress:\n- port: {number: 8080, protocol: HTTP, name: http}\n")),
        "spec.egress[0].hosts",
        "is required: list at least one host as namespace/dnsName");
  }

  @Test
  void repeatedHostsAreWarnings() {
    ConfigSnapshot s =
        assemble(
            sidecar(
                """
                egress:
                - hosts: ["ns1/a.example.com", "ns1/a.example.com", "ns2/*", "ns2/b.example.com", "ns3/c.example.com", "ns3/*"]
                - port: {number: 8080, protocol: HTTP, name: http}
                  hosts: ["*/*", "ns1/a.example.com"]
                """));
    // Entries are checked on their own: the catch-all listed first is still an error here.
    assertDiagnostic(s, Severity.WARNING, "spec.egress[0].hosts[1]", "\"ns1/a.example.com\" is listed twice in this entry");
    assertDiagnostic(s, Severity.WARNING, "spec.egress[0].hosts[3]", "is already selected by \"ns2/*\"");
    assertDiagnostic(s, Severity.WARNING, "spec.egress[0].hosts[5]", "selects every host of that namespace");
    assertDiagnostic(s, Severity.WARNING, "spec.egress[1].hosts", "\"*/*\" selects every host");
  }

  @Test
  void theCatchAllMustBeLastAndAlone() {
    ConfigSnapshot first =
        assemble(sidecar("egress:\n- hosts: [\"./*\"]\n" + GOOD_ENTRY));
    assertRejected(first, "spec.egress[0].port", "the catch-all must be the last egress entry");

    ConfigSnapshot twice =
        assemble(sidecar("egress:\n" + GOOD_ENTRY + "- hosts: [\"./*\"]\n- hosts: [\"*/*\"]\n"));
    assertRejected(
        twice,
        "spec.egress[2].port",
        "only one egress entry may leave out port (the catch-all, spec.egress[1])");
  }

  @Test
  void portsMustBeUnique() {
    assertRejected(
        assemble(sidecar("egress:\n" + GOOD_ENTRY + GOOD_ENTRY.replace("./api", "./other"))),
        "spec.egress[1].port.number",
        "port 8080 is used by spec.egress[0] already");
  }

  @Test
  void portIsReadAsOnServiceEntries() {
    ConfigSnapshot s =
        assemble(sidecar("egress:\n- port: {number: 0, protocol: HTTPX}\n  hosts: [\"./*\"]\n"));
    assertDiagnostic(s, Severity.ERROR, "spec.egress[0].port.number", "0 is not a valid port number");
    assertDiagnostic(s, Severity.ERROR, "spec.egress[0].port.protocol", "\"HTTPX\" is not a protocol");
    assertDiagnostic(s, Severity.ERROR, "spec.egress[0].port.name", "is required");
    assertTrue(s.sidecars().isEmpty());

    assertRejected(
        assemble(sidecar("egress:\n- port: {number: 80, protocol: HTTP, name: Web_1}\n  hosts: [\"./*\"]\n")),
        "spec.egress[0].port.name",
        "\"Web_1\" is not a valid port name");
  }

  @Test
  void targetPortIsAWarningAndDropped() {
    ConfigSnapshot s =
        assemble(
            sidecar(
                "egress:\n- port: {number: 80, protocol: HTTP, name: http, targetPort: 8080}\n"
                    + "  hosts: [\"./*\"]\n"));
    assertDiagnostic(s, Severity.WARNING, "spec.egress[0].port.targetPort", "has no effect");
    assertEquals(
        Optional.of(new Port(80, Protocol.HTTP, "http", Optional.empty())),
        only(s).egress().get(0).port());
  }

  @Test
  void bindMustBeAnIpAddress() {
    assertRejected(
        assemble(sidecar("egress:\n- port: {number: 80, protocol: HTTP, name: http}\n  bind: localhost\n  hosts: [\"./*\"]\n")),
        "spec.egress[0].bind",
        "\"localhost\" is not an IP address");
    assertRejected(
        assemble(sidecar("egress:\n- port: {number: 80, protocol: HTTP, name: http}\n  bind: unix:///var/run/app.sock\n  hosts: [\"./*\"]\n")),
        "spec.egress[0].bind",
        "unix domain sockets are not supported");
    Sidecar v6 =
        only(assemble(sidecar("egress:\n- port: {number: 80, protocol: HTTP, name: http}\n  bind: \"::1\"\n  hosts: [\"./*\"]\n")));
    assertEquals(Optional.of("::1"), v6.egress().get(0).bind());
  }

  @Test
  void bindWithoutPortIsTheHttpProxyListenersAddressAndChecked() {
    ConfigSnapshot s = assemble(sidecar("egress:\n- bind: 0.0.0.0\n  hosts: [\"./*\"]\n"));
    assertEquals(List.of(), lines(s));
    assertEquals(Optional.of("0.0.0.0"), only(s).egress().get(0).bind());
    ConfigSnapshot unusable = assemble(sidecar("egress:\n- bind: localhost\n  hosts: [\"./*\"]\n"));
    assertDiagnostic(unusable, Severity.ERROR, "spec.egress[0].bind", "is not an IP address");
  }

  @Test
  void anInvalidEntryIsDroppedFromTheModelAndTheOthersKept() {
    String yaml = sidecar("egress:\n" + GOOD_ENTRY + "- hosts: [api.example.com]\n");
    ConfigSnapshot s = assemble(yaml);
    assertRejected(s, "spec.egress[1].hosts[0]", "has no namespace");
    // What the parser made of it, before the assembler's rule that an error rejects the whole
    // resource: the valid entry is there, the invalid one is not.
    Findings findings = new Findings("Sidecar apps/default");
    FieldReader root =
        FieldReader.of(DocumentReader.read("t.yaml", yaml).documents().get(0), "", findings)
            .orElseThrow();
    Sidecar parsed =
        SidecarParser.parse(
            new ObjectMeta(
                "default", "apps", ImmutableSortedMap.of(), ImmutableSortedMap.of(), "t"),
            root);
    assertEquals(1, parsed.egress().size());
    assertEquals(List.of("./api.example.com"), parsed.egress().get(0).hosts());
  }

  @Test
  void anInvalidUpdateKeepsTheLastGoodSidecar() {
    SourceFile good = new SourceFile("s.yaml", sidecar("egress:\n" + GOOD_ENTRY));
    ConfigSnapshot first = assemble(ConfigSnapshot.EMPTY, good);
    SourceFile bad = new SourceFile("s.yaml", sidecar("egress:\n" + GOOD_ENTRY + "- hosts: [x.example.com]\n"));
    ConfigSnapshot second = assemble(first, bad);
    assertEquals(first.sidecars(), second.sidecars());
    assertDiagnostic(second, Severity.WARNING, "", "its last good version");
  }

  @Test
  void workloadSelectorNeedsLabelsWithoutWildcards() {
    assertRejected(
        assemble(sidecar("workloadSelector: {}\negress:\n- hosts: [\"./*\"]\n")),
        "spec.workloadSelector.labels",
        "is required when workloadSelector is given");
    assertRejected(
        assemble(sidecar("workloadSelector: {labels: {app: \"web*\"}}\negress:\n- hosts: [\"./*\"]\n")),
        "spec.workloadSelector.labels.app",
        "wildcards are not supported in selectors");
  }

  @Test
  void anEmptySidecarIsAnError() {
    assertRejected(assemble(sidecar("{}\n")), "spec", "is empty: give egress hosts");
    ConfigSnapshot noSpec =
        assemble(
            """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: apps}
            """);
    assertRejected(noSpec, "spec", "is required");
    assertEquals(1, noSpec.diagnostics().size(), () -> lines(noSpec).toString());
  }

  @Test
  void unknownFieldsGetTypoHints() {
    ConfigSnapshot s =
        assemble(
            sidecar(
                """
                egres:
                - hosts: ["./*"]
                outboundTrafficPolicy: {mode: ALLOW_ANY}
                workloadSelector: {lables: {app: web}}
                """));
    assertDiagnostic(
        s, Severity.WARNING, "spec.egres", "unknown field \"egres\" is ignored; did you mean \"egress\"?");
    assertDiagnostic(
        s, Severity.WARNING, "spec.workloadSelector.lables", "did you mean \"labels\"?");

    ConfigSnapshot inEntry =
        assemble(sidecar("egress:\n- hosts: [\"./*\"]\n  bnid: 127.0.0.1\n"));
    assertDiagnostic(inEntry, Severity.WARNING, "spec.egress[0].bnid", "did you mean \"bind\"?");
    assertEquals(1, only(inEntry).egress().size());
  }
}
