package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static dev.outpost.translator.parse.Inputs.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.MeshConfig;
import dev.outpost.translator.model.OutboundTrafficMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshConfigParserTest {
  private static final String SUBJECT = "ConfigMap istio-system/istio";
  private static final String MODE_FIELD = "data.mesh: outboundTrafficPolicy.mode";

  /** The ConfigMap as Istio's installer writes it, with {@code mesh} holding the given YAML. */
  private static String meshConfigMap(String namespace, String name, String mesh) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: %s}
        data:
          meshNetworks: |-
            networks: {}
          mesh: |-
        %s"""
        .formatted(name, namespace, mesh.indent(4));
  }

  private static String meshConfigMap(String mesh) {
    return meshConfigMap("istio-system", "istio", mesh);
  }

  private static MeshConfig only(ConfigSnapshot s) {
    assertEquals(1, s.meshConfigs().size(), () -> "one mesh config expected; " + lines(s));
    return s.meshConfigs().get(0);
  }

  private static OutboundTrafficMode modeOf(ConfigSnapshot s) {
    return only(s).outboundTrafficMode();
  }

  @Test
  void readsTheModeAndPassesOverEveryOtherKey() {
    ConfigSnapshot s =
        assemble(
            meshConfigMap(
                """
                accessLogFile: /dev/stdout
                defaultConfig:
                  discoveryAddress: istiod.istio-system.svc:15012
                  proxyMetadata: {}
                enablePrometheusMerge: true
                rootNamespace: istio-system
                trustDomain: cluster.local
                someFutureSetting: {a: b}
                outboundTrafficPolicy:
                  mode: ALLOW_ANY
                """));
    assertNoDiagnostics(s);
    MeshConfig mesh = only(s);
    assertEquals(OutboundTrafficMode.ALLOW_ANY, mesh.outboundTrafficMode());
    assertEquals("istio", mesh.metadata().name());
    assertEquals(MeshConfig.ROOT_NAMESPACE, mesh.metadata().namespace());
    assertEquals(
        OutboundTrafficMode.REGISTRY_ONLY,
        modeOf(assemble(meshConfigMap("outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n"))));
  }

  @Test
  void withoutTheModeItIsRegistryOnly() {
    for (String mesh : List.of("accessLogFile: /dev/stdout\n", "outboundTrafficPolicy: {}\n", "")) {
      ConfigSnapshot s = assemble(meshConfigMap(mesh));
      assertNoDiagnostics(s);
      assertEquals(OutboundTrafficMode.REGISTRY_ONLY, modeOf(s), mesh);
    }
    ConfigSnapshot noMeshKey =
        assemble(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data: {meshNetworks: "networks: {}"}
            """);
    assertNoDiagnostics(noMeshKey);
    assertEquals(OutboundTrafficMode.REGISTRY_ONLY, modeOf(noMeshKey));
  }

  @Test
  void aBadModeIsAnErrorAndFailsClosed() {
    ConfigSnapshot s = assemble(meshConfigMap("outboundTrafficPolicy:\n  mode: allow_any\n"));
    assertEquals(
        List.of(
            Diagnostic.error(
                SUBJECT,
                MODE_FIELD,
                "\"allow_any\" is not a valid mode; use REGISTRY_ONLY or ALLOW_ANY; Outpost uses"
                    + " REGISTRY_ONLY (only declared hosts leave) until this is fixed")),
        s.diagnostics());
    assertEquals(OutboundTrafficMode.REGISTRY_ONLY, modeOf(s), "kept in the snapshot, fail closed");
  }

  @Test
  void aBadModeReplacesAnEarlierAllowAnyInsteadOfKeepingIt() {
    SourceFile good = new SourceFile("mesh.yaml", meshConfigMap("outboundTrafficPolicy: {mode: ALLOW_ANY}\n"));
    ConfigSnapshot first = assemble(ConfigSnapshot.EMPTY, good);
    assertEquals(OutboundTrafficMode.ALLOW_ANY, modeOf(first));
    SourceFile bad = new SourceFile("mesh.yaml", meshConfigMap("outboundTrafficPolicy: {mode: ALLOW}\n"));
    ConfigSnapshot second = assemble(first, bad);
    assertEquals(OutboundTrafficMode.REGISTRY_ONLY, modeOf(second));
    assertEquals(1, second.diagnostics().size(), () -> lines(second).toString());
    assertDiagnostic(second, Severity.ERROR, MODE_FIELD, "\"ALLOW\" is not a valid mode");
  }

  @Test
  void invalidYamlInMeshIsAnErrorAndFailsClosed() {
    ConfigSnapshot s = assemble(meshConfigMap("outboundTrafficPolicy:\n  mode: ALLOW_ANY\n bad: [\n"));
    Diagnostic d = assertDiagnostic(s, Severity.ERROR, "data.mesh", "is not valid YAML: ");
    assertEquals(SUBJECT, d.subject());
    assertEquals(true, d.message().endsWith("Outpost uses REGISTRY_ONLY (only declared hosts leave) until this is fixed"), d.message());
    assertEquals(OutboundTrafficMode.REGISTRY_ONLY, modeOf(s));
  }

  @Test
  void wrongShapesAreErrorsAndFailClosed() {
    ConfigSnapshot notAMapping = assemble(meshConfigMap("- a\n- b\n"));
    assertDiagnostic(notAMapping, Severity.ERROR, "data.mesh", "must be a YAML mapping (Istio's MeshConfig), but is a list");
    assertEquals(OutboundTrafficMode.REGISTRY_ONLY, modeOf(notAMapping));

    ConfigSnapshot policyNotAMapping = assemble(meshConfigMap("outboundTrafficPolicy: ALLOW_ANY\n"));
    assertDiagnostic(
        policyNotAMapping, Severity.ERROR, "data.mesh: outboundTrafficPolicy", "must be an object");
    assertEquals(OutboundTrafficMode.REGISTRY_ONLY, modeOf(policyNotAMapping));

    ConfigSnapshot modeNotAString = assemble(meshConfigMap("outboundTrafficPolicy: {mode: 1}\n"));
    assertDiagnostic(modeNotAString, Severity.ERROR, MODE_FIELD, "must be a string");
    assertEquals(OutboundTrafficMode.REGISTRY_ONLY, modeOf(modeNotAString));

    // A hand-written file may give mesh as a mapping; a ConfigMap value is always a string.
    ConfigSnapshot meshAsMap =
        assemble(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data:
              mesh:
                outboundTrafficPolicy: {mode: ALLOW_ANY}
            """);
    assertDiagnostic(meshAsMap, Severity.ERROR, "data.mesh", "write it as a block: \"mesh: |\"");
    assertEquals(OutboundTrafficMode.REGISTRY_ONLY, modeOf(meshAsMap));
  }

  @Test
  void aTypoInsideOutboundTrafficPolicyIsAWarning() {
    ConfigSnapshot s = assemble(meshConfigMap("outboundTrafficPolicy: {mdoe: ALLOW_ANY}\n"));
    assertDiagnostic(
        s, Severity.WARNING, "data.mesh: outboundTrafficPolicy.mdoe", "did you mean \"mode\"?");
    assertEquals(OutboundTrafficMode.REGISTRY_ONLY, modeOf(s));
  }

  @Test
  void otherConfigMapsAreIgnoredWithoutADiagnostic() {
    ConfigSnapshot s =
        assemble(
            meshConfigMap("istio-system", "istio-canary", "outboundTrafficPolicy: {mode: ALLOW_ANY}\n")
                + "---\n"
                + meshConfigMap("default", "istio", "outboundTrafficPolicy: {mode: ALLOW_ANY}\n")
                + "---\n"
                + meshConfigMap("apps", "app-settings", "not: [valid\n")
                + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio-ca-root-cert}
                data: {root-cert.pem: x}
                """);
    assertNoDiagnostics(s);
    assertEquals(List.of(), s.meshConfigs());
  }

  @Test
  void topLevelTyposOfTheConfigMapAreWarnings() {
    ConfigSnapshot s =
        assemble(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            immutable: false
            binaryData: {}
            dtaa: {mesh: "outboundTrafficPolicy: {mode: ALLOW_ANY}"}
            """);
    assertDiagnostic(s, Severity.WARNING, "dtaa", "did you mean \"data\"?");
    assertEquals(OutboundTrafficMode.REGISTRY_ONLY, modeOf(s));
  }
}
