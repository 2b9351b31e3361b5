package dev.outpost.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.parse.SnapshotAssembler;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusReportTest {
  private static final String VALID =
      """
      {"apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry",
       "metadata": {"name": "good", "namespace": "default"},
       "spec": {"hosts": ["good.example.com"], "ports": [{"number": 443, "name": "tls", "protocol": "TLS"}],
                "resolution": "DNS"}}
      """;
  private static final String INVALID = VALID.replace("\"good\"", "\"bad\"").replace("\"hosts\": [\"good.example.com\"], ", "");

  private static ResourceRef ref(String name) {
    return new ResourceRef("networking.istio.io/v1", "ServiceEntry", "default", name, "uid-" + name, 1);
  }

  @Test
  void matchesFindingsToTheObjectsReadAndCountsEachOnce() {
    ConfigSnapshot snapshot =
        new SnapshotAssembler()
            .assemble(
                List.of(
                    new SourceFile("kubernetes:ServiceEntry/default/good", VALID),
                    new SourceFile("kubernetes:ServiceEntry/default/bad", INVALID)),
                ConfigSnapshot.EMPTY);
    Diagnostic fromTranslation = Diagnostic.warning("ServiceEntry default/good", "spec.ports[0]", "unused");
    Diagnostic aboutASecret = Diagnostic.error("Secret istio-system/x", "data", "no tls.crt");
    StatusReport report =
        StatusReport.of(
            snapshot,
            List.of(List.of(fromTranslation), List.of(fromTranslation, aboutASecret)),
            Set.of(ref("good"), ref("bad")));

    ResourceOutcome good = report.outcomes().get(ref("good"));
    assertTrue(good.inEffect());
    assertEquals(List.of(), good.validation());
    assertEquals(List.of(fromTranslation), good.translation());

    ResourceOutcome bad = report.outcomes().get(ref("bad"));
    assertFalse(bad.inEffect());
    assertTrue(bad.invalid(), bad.toString());
    assertEquals(2, report.outcomes().size());
  }

  @Test
  void anInvalidSidecarWithALastGoodVersionIsInEffect() {
    String good =
        """
        {"apiVersion": "networking.istio.io/v1", "kind": "Sidecar",
         "metadata": {"name": "default", "namespace": "apps"},
         "spec": {"egress": [{"hosts": ["./*"]}]}}
        """;
    String file = "kubernetes:Sidecar/apps/default";
    SnapshotAssembler assembler = new SnapshotAssembler();
    ConfigSnapshot first = assembler.assemble(List.of(new SourceFile(file, good)), ConfigSnapshot.EMPTY);
    ConfigSnapshot second =
        assembler.assemble(List.of(new SourceFile(file, good.replace("./*", "no-namespace.example.com"))), first);
    ResourceRef ref = new ResourceRef("networking.istio.io/v1", "Sidecar", "apps", "default", "uid", 2);

    ResourceOutcome outcome = StatusReport.of(second, List.of(), Set.of(ref)).outcomes().get(ref);
    assertTrue(outcome.invalid(), outcome.toString());
    assertTrue(outcome.inEffect(), "the last good Sidecar is still served: LastGoodVersionInEffect");
  }

  @Test
  void invalidPoliciesAndFiltersWithALastGoodVersionAreInEffect() {
    String policy =
        """
        {"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
         "metadata": {"name": "p", "namespace": "istio-system"},
         "spec": {"rules": [{"to": [{"operation": {"ports": ["443"]}}]}]}}
        """;
    String filter =
        """
        {"apiVersion": "networking.istio.io/v1alpha3", "kind": "EnvoyFilter",
         "metadata": {"name": "f", "namespace": "istio-system"},
         "spec": {"configPatches": [{"applyTo": "CLUSTER", "patch": {"operation": "REMOVE"}}]}}
        """;
    String policyFile = "kubernetes:AuthorizationPolicy/istio-system/p";
    String filterFile = "kubernetes:EnvoyFilter/istio-system/f";
    SnapshotAssembler assembler = new SnapshotAssembler();
    ConfigSnapshot first =
        assembler.assemble(
            List.of(new SourceFile(policyFile, policy), new SourceFile(filterFile, filter)),
            ConfigSnapshot.EMPTY);
    ConfigSnapshot second =
        assembler.assemble(
            List.of(
                new SourceFile(policyFile, policy.replace("443", "0")),
                new SourceFile(filterFile, filter.replace("REMOVE", "INSERT_FIRST"))),
            first);
    ResourceRef policyRef =
        new ResourceRef("security.istio.io/v1", "AuthorizationPolicy", "istio-system", "p", "uid", 2);
    ResourceRef filterRef =
        new ResourceRef("networking.istio.io/v1alpha3", "EnvoyFilter", "istio-system", "f", "uid", 2);

    StatusReport report = StatusReport.of(second, List.of(), Set.of(policyRef, filterRef));
    for (ResourceRef ref : List.of(policyRef, filterRef)) {
      ResourceOutcome outcome = report.outcomes().get(ref);
      assertTrue(outcome.invalid(), outcome.toString());
      assertTrue(outcome.inEffect(), ref.kind() + ": the last good version is still served");
    }
  }
}
