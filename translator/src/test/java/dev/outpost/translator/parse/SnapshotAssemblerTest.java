package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static dev.outpost.translator.parse.Inputs.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotAssemblerTest {

  private static final String SE_A =
      """
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: a}
      spec:
        hosts: [a.example.com]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: DNS
      """;

  private static String seNamed(String name, String host) {
    return SE_A.replace("name: a}", "name: " + name + "}").replace("a.example.com", host);
  }

  private static List<String> names(ConfigSnapshot s) {
    return s.serviceEntries().stream()
        .map(e -> e.metadata().namespace() + "/" + e.metadata().name())
        .collect(Collectors.toList());
  }

  @Test
  void missingNamespaceIsDefault() {
    ConfigSnapshot s = assemble(SE_A);
    assertNoDiagnostics(s);
    assertEquals(List.of("default/a"), names(s));
  }

  @Test
  void readsMultiDocumentYamlAndSkipsEmptyDocuments() {
    ConfigSnapshot s =
        assemble(
            "---\n"
                + seNamed("b", "b.example.com")
                + "---\n# just a comment\n---\n"
                + SE_A
                + "---\n");
    assertNoDiagnostics(s);
    assertEquals(List.of("default/a", "default/b"), names(s), "sorted by namespace/name");
  }

  @Test
  void readsJsonObjectArrayAndConcatenatedObjects() {
    String json =
        """
        {"apiVersion": "networking.istio.io/v1beta1", "kind": "ServiceEntry",
         "metadata": {"name": "j", "namespace": "ns"},
         "spec": {"hosts": ["j.example.com"], "ports": [{"number": 443, "name": "tls", "protocol": "TLS"}],
                  "resolution": "DNS"}}
        """;
    assertEquals(List.of("ns/j"), names(assemble(json)));
    assertEquals(
        List.of("ns/j", "ns/k"),
        names(assemble("[" + json + "," + json.replace("\"j\"", "\"k\"") + "]")));
    ConfigSnapshot concatenated = assemble(json + "\n" + json.replace("\"j\"", "\"k\""));
    assertNoDiagnostics(concatenated);
    assertEquals(List.of("ns/j", "ns/k"), names(concatenated));
  }

  @Test
  void readsKindList() {
    String list =
        """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: networking.istio.io/v1alpha3
          kind: ServiceEntry
          metadata: {name: x}
          spec: {hosts: [x.example.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS}
        - apiVersion: apps/v1
          kind: Deployment
          metadata: {name: y}
        """;
    ConfigSnapshot s = assemble(list);
    assertEquals(List.of("default/x"), names(s));
    assertEquals("test.yaml, document 1, item 1", s.serviceEntries().get(0).metadata().origin());
    assertDiagnostic(
        s,
        Severity.WARNING,
        "document 1, item 2",
        "kind Deployment (apiVersion apps/v1) is not read by Outpost and is ignored");
  }

  @Test
  void otherKindsAndApiVersionsAreIgnoredWithAWarning() {
    ConfigSnapshot s =
        assemble(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            ---
            apiVersion: networking.istio.io/v2
            kind: ServiceEntry
            metadata: {name: future}
            """);
    assertEquals(
        List.of(
            "WARNING file test.yaml: document 1: kind Deployment (apiVersion apps/v1) is not read"
                + " by Outpost and is ignored",
            "WARNING file test.yaml: document 2: kind ServiceEntry (apiVersion"
                + " networking.istio.io/v2) is not read by Outpost and is ignored; use apiVersion"
                + " networking.istio.io/v1 (or v1beta1, v1alpha3)"),
        lines(s));
  }

  @Test
  void brokenYamlNamesFileAndDocumentAndOtherFilesStillLoad() {
    ConfigSnapshot s =
        assemble(
            ConfigSnapshot.EMPTY,
            new SourceFile("a.yaml", SE_A + "---\nspec: [unclosed\n"),
            new SourceFile("b.yaml", seNamed("b", "b.example.com")));
    assertEquals(List.of("default/a", "default/b"), names(s));
    Diagnostic d = assertDiagnostic(s, Severity.ERROR, "document 2", "cannot be parsed");
    assertEquals("file a.yaml", d.subject());
    assertTrue(d.message().contains("line"), d.message());
  }

  @Test
  void binaryJunkIsAFileError() {
    ConfigSnapshot s =
        assemble(
            ConfigSnapshot.EMPTY,
            new SourceFile("junk.bin", "\u0000\u0001\u0002PNG\u0000\uFFFD"),
            new SourceFile("ok.yaml", SE_A));
    assertEquals(List.of("default/a"), names(s));
    assertEquals("file junk.bin", Inputs.errors(s).get(0).subject());
  }

  @Test
  void duplicateKeysAreAnError() {
    ConfigSnapshot s = assemble(SE_A + "  resolution: STATIC\n");
    assertDiagnostic(s, Severity.ERROR, "document 1", "cannot be parsed");
    assertTrue(s.serviceEntries().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kind: ServiceEntry\nmetadata: {name: x}\n",
        "apiVersion: networking.istio.io/v1\nmetadata: {name: x}\n",
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nspec: {}\n",
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {namespace: x}\n",
        "- just\n- a list\n",
        "just a string\n"
      })
  void documentsThatAreNotResourcesAreFileErrors(String doc) {
    ConfigSnapshot s = assemble(doc);
    assertEquals(1, s.diagnostics().size(), lines(s).toString());
    Diagnostic d = s.diagnostics().get(0);
    assertEquals(Severity.ERROR, d.severity());
    assertEquals("file test.yaml", d.subject());
    assertEquals("document 1", d.field());
  }

  @Test
  void invalidResourceIsRejectedAndOthersStillLoad() {
    ConfigSnapshot s = assemble(SE_A + "---\n" + seNamed("bad", "bad..example.com"));
    assertEquals(List.of("default/a"), names(s));
    assertEquals(
        List.of(
            "ERROR ServiceEntry default/bad: spec.hosts[0]: \"bad..example.com\" is not a valid"
                + " host name: \"\" is not a DNS label (letters, digits and '-', 1-63 characters,"
                + " not starting or ending with '-')"),
        lines(s));
  }

  @Test
  void invalidMetadataNameIsAnError() {
    ConfigSnapshot s = assemble(SE_A.replace("name: a}", "name: Bad_Name}"));
    Inputs.assertRejected(s, "metadata.name", "is not a valid name");
  }

  @Test
  void duplicatesAcrossFilesFirstFileWins() {
    ConfigSnapshot s =
        assemble(
            ConfigSnapshot.EMPTY,
            new SourceFile("b.yaml", seNamed("a", "second.example.com")),
            new SourceFile("a.yaml", SE_A));
    assertEquals(List.of("a.example.com"), s.serviceEntries().get(0).hosts());
    Diagnostic d = assertDiagnostic(s, Severity.ERROR, "", "is defined twice");
    assertEquals("ServiceEntry default/a", d.subject());
    assertTrue(
        d.message().contains("a.yaml, document 1") && d.message().contains("b.yaml, document 1"),
        d.message());
  }

  @Test
  void sameNameInDifferentNamespacesOrKindsIsNotADuplicate() {
    String dr =
        """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: a}
        spec: {host: a.example.com}
        """;
    ConfigSnapshot s =
        assemble(
            SE_A + "---\n" + SE_A.replace("name: a}", "name: a, namespace: other}") + "---\n" + dr);
    assertNoDiagnostics(s);
    assertEquals(2, s.serviceEntries().size());
    assertEquals(1, s.destinationRules().size());
  }

  @Test
  void invalidResourceKeepsItsLastGoodVersion() {
    ConfigSnapshot good = assemble(ConfigSnapshot.EMPTY, new SourceFile("a.yaml", SE_A));
    ConfigSnapshot bad =
        assemble(good, new SourceFile("a.yaml", SE_A.replace("number: 80", "number: 0")));
    assertEquals(good.serviceEntries(), bad.serviceEntries());
    assertDiagnostic(bad, Severity.ERROR, "spec.ports[0].number", "1-65535");
    Diagnostic kept =
        assertDiagnostic(bad, Severity.WARNING, "", "last good version (from a.yaml, document 1)");
    assertEquals("ServiceEntry default/a", kept.subject());
  }

  @Test
  void withoutAPreviousVersionAnInvalidResourceIsDropped() {
    ConfigSnapshot previous =
        assemble(ConfigSnapshot.EMPTY, new SourceFile("a.yaml", seNamed("other", "o.example.com")));
    ConfigSnapshot bad =
        assemble(previous, new SourceFile("a.yaml", SE_A.replace("number: 80", "number: 0")));
    assertTrue(
        bad.serviceEntries().isEmpty(),
        "'other' was removed from the files and 'a' never was valid");
    assertFalse(lines(bad).stream().anyMatch(l -> l.contains("last good")));
  }

  @Test
  void previousDiagnosticsAreNotCarriedOver() {
    ConfigSnapshot previous = assemble(SE_A + "  hostz: []\n");
    assertEquals(1, previous.diagnostics().size());
    assertNoDiagnostics(assemble(previous, new SourceFile("test.yaml", SE_A)));
  }

  @Test
  void fileWithSyntaxErrorKeepsLastGoodVersionsOfItsResources() {
    ConfigSnapshot good =
        assemble(
            ConfigSnapshot.EMPTY,
            new SourceFile("a.yaml", SE_A + "---\n" + seNamed("b", "b.example.com")));
    ConfigSnapshot broken = assemble(good, new SourceFile("a.yaml", SE_A + "---\nkind: [\n"));
    assertEquals(List.of("default/a", "default/b"), names(broken));
    assertDiagnostic(broken, Severity.WARNING, "", "a.yaml has a syntax error");
    // A resource that was deleted from a file that parses fine is really gone.
    ConfigSnapshot deleted = assemble(good, new SourceFile("a.yaml", SE_A));
    assertEquals(List.of("default/a"), names(deleted));
  }

  @Test
  void outputIsDeterministicWhateverTheFileOrder() {
    SourceFile one =
        new SourceFile(
            "1.yaml",
            seNamed("z", "z.example.com") + "---\n" + seNamed("bad", "x..y") + "  extra: 1\n");
    SourceFile two =
        new SourceFile(
            "2.yaml", SE_A + "---\n" + seNamed("m", "m.example.com").replace("namespace", "x"));
    ConfigSnapshot a = assemble(ConfigSnapshot.EMPTY, one, two);
    ConfigSnapshot b = assemble(ConfigSnapshot.EMPTY, two, one);
    assertEquals(a, b);
    assertEquals(List.of("default/a", "default/m", "default/z"), names(a));
    List<Diagnostic> sorted =
        a.diagnostics().stream().sorted(Diagnostic.ORDER).collect(Collectors.toList());
    assertEquals(sorted, a.diagnostics());
  }

  @Test
  void authorizationPoliciesAndEnvoyFiltersAreSortedAndKeptWhenTheirFileBreaks() {
    String policies =
        """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: z, namespace: b}
        ---
        apiVersion: security.istio.io/v1beta1
        kind: AuthorizationPolicy
        metadata: {name: y, namespace: a}
        spec: {action: DENY, rules: [{}]}
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: {name: x, namespace: b}
        spec: {configPatches: [{applyTo: CLUSTER, patch: {operation: REMOVE}}]}
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: {name: w, namespace: a}
        spec: {configPatches: [{applyTo: LISTENER, patch: {operation: REMOVE}}]}
        """;
    ConfigSnapshot s = assemble(ConfigSnapshot.EMPTY, new SourceFile("p.yaml", policies));
    assertNoDiagnostics(s);
    assertEquals(
        List.of("a/y", "b/z"),
        s.authorizationPolicies().stream()
            .map(p -> p.metadata().namespace() + "/" + p.metadata().name())
            .toList());
    assertEquals(
        List.of("a/w", "b/x"),
        s.envoyFilters().stream()
            .map(f -> f.metadata().namespace() + "/" + f.metadata().name())
            .toList());
    // The previous snapshot is indexed with both kinds: a syntax error before them keeps them.
    ConfigSnapshot broken = assemble(s, new SourceFile("p.yaml", "kind: [\n---\n" + policies));
    assertEquals(s.authorizationPolicies(), broken.authorizationPolicies());
    assertEquals(s.envoyFilters(), broken.envoyFilters());
    assertDiagnostic(broken, Severity.WARNING, "", "p.yaml has a syntax error");
  }

  @Test
  void topLevelTypoIsReportedWithSuggestion() {
    ConfigSnapshot s = assemble(SE_A.replace("spec:", "sepc:"));
    assertDiagnostic(s, Severity.WARNING, "sepc", "did you mean \"spec\"?");
    assertDiagnostic(s, Severity.ERROR, "spec", "is required");
  }

  @Test
  void statusAndServerBookkeepingAreAccepted() {
    ConfigSnapshot s =
        assemble(
            SE_A.replace(
                    "metadata: {name: a}",
                    "metadata: {name: a, uid: 123e4567, resourceVersion: \"42\", generation: 3,"
                        + " creationTimestamp: \"2024-01-01T00:00:00Z\", labels: {app: a},"
                        + " annotations: {note: hi}}")
                + "status: {conditions: []}\n");
    assertNoDiagnostics(s);
    assertEquals("a", s.serviceEntries().get(0).metadata().labels().get("app"));
    assertEquals("hi", s.serviceEntries().get(0).metadata().annotations().get("note"));
  }
}
