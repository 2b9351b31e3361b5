package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file that is being rewritten (empty for a moment, or cut short) must not erase the last good
 * versions of its resources: a broken rewrite that follows still falls back to them.
 */
class FilesInFluxTest {
  private static final String FILE = "egress.yaml";
  private static final Instant UNTIL = Instant.parse("2030-01-01T00:00:10Z");

  /** One resource of each kind the issue names, all valid, all in one file. */
  static final String ALL_KINDS =
      """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [httpbin.org]
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        hosts: [httpbin.org]
        gateways: [gw]
        http:
        - route:
          - destination: {host: httpbin.org, port: {number: 80}}
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        hosts: [httpbin.org]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: DNS
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        host: httpbin.org
        trafficPolicy:
          connectionPool: {tcp: {maxConnections: 10}}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: some-ca, namespace: istio-system}
      stringData: {note: "not a certificate"}
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: deny-admin, namespace: istio-system}
      spec:
        selector: {matchLabels: {istio: egressgateway}}
        action: DENY
        rules:
        - to: [{operation: {paths: ["/admin/*"]}}]
      ---
      apiVersion: networking.istio.io/v1alpha3
      kind: EnvoyFilter
      metadata: {name: add-header, namespace: istio-system}
      spec:
        workloadSelector: {labels: {istio: egressgateway}}
        configPatches:
        - applyTo: ROUTE_CONFIGURATION
          match: {context: GATEWAY}
          patch:
            operation: MERGE
            value:
              response_headers_to_add:
              - header: {key: x-egress, value: outpost}
      ---
      apiVersion: networking.istio.io/v1
      kind: Sidecar
      metadata: {name: default, namespace: apps}
      spec:
        egress:
        - hosts: ["./*", "istio-system/*"]
      """;

  private static final List<String> EVERY_RESOURCE =
      List.of(
          "AuthorizationPolicy istio-system/deny-admin",
          "DestinationRule istio-system/httpbin",
          "EnvoyFilter istio-system/add-header",
          "Gateway istio-system/gw",
          "Secret istio-system/some-ca",
          "ServiceEntry istio-system/httpbin",
          "Sidecar apps/default",
          "VirtualService istio-system/httpbin");

  private final SnapshotAssembler assembler = new SnapshotAssembler();

  private ConfigSnapshot assemble(String text, ConfigSnapshot previous, Map<String, Instant> inFlux) {
    return assembler.assemble(List.of(new SourceFile(FILE, text)), previous, inFlux);
  }

  private static List<String> resources(ConfigSnapshot s) {
    List<Record> all = new ArrayList<>();
    all.addAll(s.serviceEntries());
    all.addAll(s.gateways());
    all.addAll(s.virtualServices());
    all.addAll(s.destinationRules());
    all.addAll(s.secrets());
    all.addAll(s.sidecars());
    all.addAll(s.authorizationPolicies());
    all.addAll(s.envoyFilters());
    return all.stream().map(r -> ResourceKind.keyOf(r).subject()).sorted().toList();
  }

  @Test
  void theFixtureIsValidAndHasEveryKind() {
    ConfigSnapshot good = assemble(ALL_KINDS, ConfigSnapshot.EMPTY, Map.of());
    assertFalse(good.diagnostics().stream().anyMatch(d -> d.isError()), good.diagnostics().toString());
    assertEquals(EVERY_RESOURCE, resources(good));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n  \n", "# being rewritten\n", "---\n", "--- # next\n...\n"})
  void anEmptyFileInFluxKeepsEveryResourceOfEveryKindThenABrokenRewriteKeepsItsLastGoodVersion(String empty) {
    ConfigSnapshot good = assemble(ALL_KINDS, ConfigSnapshot.EMPTY, Map.of());

    ConfigSnapshot truncated = assemble(empty, good, Map.of(FILE, UNTIL));
    assertEquals(EVERY_RESOURCE, resources(truncated));
    assertEquals(good.virtualServices(), truncated.virtualServices());
    assertEquals(good.envoyFilters(), truncated.envoyFilters());
    assertDiagnostic(truncated, Severity.WARNING, "", "stays in effect until 2030-01-01T00:00:10Z");
    assertEquals(EVERY_RESOURCE.size(), truncated.diagnostics().size(), truncated.diagnostics().toString());

    // The content comes back with one mistake: the VirtualService falls back to its last good version.
    ConfigSnapshot broken = assemble(ALL_KINDS.replace("gateways: [gw]", "gateways: gw"), truncated, Map.of());
    assertEquals(EVERY_RESOURCE, resources(broken));
    assertEquals(good.virtualServices(), broken.virtualServices());
    assertDiagnostic(broken, Severity.WARNING, "", "its last good version (from egress.yaml, document 2) stays in effect");
  }

  @Test
  void anEmptyFileNoLongerInFluxDeletesItsResources() {
    ConfigSnapshot good = assemble(ALL_KINDS, ConfigSnapshot.EMPTY, Map.of());
    ConfigSnapshot kept = assemble("", good, Map.of(FILE, UNTIL));
    assertEquals(EVERY_RESOURCE, resources(kept));

    ConfigSnapshot expired = assemble("", kept, Map.of());
    assertEquals(List.of(), resources(expired));
    assertEquals(List.of(), expired.diagnostics());
  }

  @Test
  void aFileInFluxThatDefinesAResourceAgainUsesTheNewVersion() {
    ConfigSnapshot good = assemble(ALL_KINDS, ConfigSnapshot.EMPTY, Map.of());
    String fewer = ALL_KINDS.substring(0, ALL_KINDS.indexOf("---"));
    ConfigSnapshot partly = assemble(fewer, good, Map.of(FILE, UNTIL));
    assertEquals(EVERY_RESOURCE, resources(partly));
    assertTrue(partly.diagnostics().stream().noneMatch(d -> d.subject().equals("Gateway istio-system/gw")));
  }

  @Test
  void aFileGoneWithItsDirectoryIsKeptWhileInFlux() {
    ConfigSnapshot good = assemble(ALL_KINDS, ConfigSnapshot.EMPTY, Map.of());
    ConfigSnapshot kept = assembler.assemble(List.of(), good, Map.of(FILE, UNTIL));
    assertEquals(EVERY_RESOURCE, resources(kept));
  }

  /**
   * Written in pieces, a file is read at some cut: a document that cannot even be identified as a
   * resource (no kind, no name yet) says the file is incomplete, like a syntax error does.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "apiVersion: networking.istio.io/v1\nkind: Virtual",
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n",
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {namespace: istio-system}\n",
        "apiVersion: networking.istio.io/v1\n",
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: httpbin, namespace: ist",
      })
  void aDocumentCutShortKeepsTheLastGoodVersionsOfTheFile(String cut) {
    ConfigSnapshot good = assemble(ALL_KINDS, ConfigSnapshot.EMPTY, Map.of());
    String gatewayDocument = ALL_KINDS.substring(0, ALL_KINDS.indexOf("---") + 4);
    ConfigSnapshot halfWritten = assemble(gatewayDocument + cut, good, Map.of());
    assertEquals(EVERY_RESOURCE, resources(halfWritten), halfWritten.diagnostics().toString());
    assertEquals(good.virtualServices(), halfWritten.virtualServices());
  }

  @Test
  void anUnreadableFileKeepsItsLastGoodVersions() {
    ConfigSnapshot good = assemble(ALL_KINDS, ConfigSnapshot.EMPTY, Map.of());
    ConfigSnapshot unreadable = assembler.assemble(List.of(), good, Map.of(), java.util.Set.of(FILE));
    assertEquals(EVERY_RESOURCE, resources(unreadable));
    assertDiagnostic(
        unreadable, Severity.WARNING, "", "could not be read because egress.yaml is unreadable (see the error on the file)");
  }

  @Test
  void aResourceOfAKindOutpostDoesNotReadIsNotACutShortDocument() {
    ConfigSnapshot good = assemble(ALL_KINDS, ConfigSnapshot.EMPTY, Map.of());
    String deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n";
    ConfigSnapshot replaced = assemble(deployment, good, Map.of());
    assertEquals(List.of(), resources(replaced), "removing every resource from a complete file deletes them");
  }

  @Test
  void blankMeansNothingButWhitespaceCommentsAndDocumentMarkers() {
    assertTrue(SnapshotAssembler.isBlank(""));
    assertTrue(SnapshotAssembler.isBlank("\uFEFF\n\t\n# only a comment\n---\n..."));
    assertFalse(SnapshotAssembler.isBlank("{}"));
    assertFalse(SnapshotAssembler.isBlank("# c\nkind: Gateway"));
    assertFalse(SnapshotAssembler.isBlank("[]"));
  }
}
