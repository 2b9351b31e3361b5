package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import dev.outpost.k8s.IstioKind;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The CRDs for clusters without Istio serve every version Outpost reads (the versions Istio serves
 * each kind in) and store the newest.
 */
class CrdManifestTest {
  private final List<CustomResourceDefinition> crds = DeployManifests.load().all("crds", CustomResourceDefinition.class);

  @Test
  void oneCrdPerWatchedIstioKind() {
    assertEquals(WatchedResources.ISTIO.size(), crds.size());
  }

  @Test
  void servesEveryVersionTheWatcherMayRead() {
    for (IstioKind kind : IstioKind.EGRESS) {
      CustomResourceDefinition crd = crds.stream()
          .filter(c -> c.getSpec().getGroup().equals(kind.group()) && c.getSpec().getNames().getKind().equals(kind.kind()))
          .findFirst().orElseThrow(() -> new AssertionError("no CRD for " + kind));
      assertEquals(Set.copyOf(kind.versions()),
          crd.getSpec().getVersions().stream().map(CustomResourceDefinitionVersion::getName).collect(Collectors.toSet()), kind.kind());
      assertEquals(kind.plural(), crd.getSpec().getNames().getPlural());
    }
  }

  @Test
  void servesTheVersionsIstioServesAndStoresTheNewest() {
    for (CustomResourceDefinition crd : crds) {
      String name = crd.getMetadata().getName();
      assertEquals(crd.getSpec().getNames().getPlural() + "." + crd.getSpec().getGroup(), name, "CRD name is plural.group");
      assertEquals("Namespaced", crd.getSpec().getScope(), name);
      // Oldest first, as Istio's own CRDs list them: v1alpha3, v1beta1, v1 (networking);
      // v1beta1, v1 (security); v1alpha3 alone (EnvoyFilter).
      List<String> expected = switch (crd.getSpec().getNames().getKind()) {
        case "AuthorizationPolicy" -> List.of("v1beta1", "v1");
        case "EnvoyFilter" -> List.of("v1alpha3");
        default -> List.of("v1alpha3", "v1beta1", "v1");
      };
      assertEquals(expected, crd.getSpec().getVersions().stream().map(CustomResourceDefinitionVersion::getName).toList(), name);
      String newest = expected.get(expected.size() - 1);
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        String where = name + " " + version.getName();
        assertEquals(Boolean.TRUE, version.getServed(), where + " served");
        assertEquals(version.getName().equals(newest), version.getStorage(), where + " storage");
        assertNotNull(version.getSubresources().getStatus(), where + ": status subresource (Outpost writes status through it)");
        JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
        for (String field : List.of("spec", "status")) {
          JSONSchemaProps props = schema.getProperties().get(field);
          assertNotNull(props, where + ": schema for " + field);
          assertEquals("object", props.getType(), where + " " + field);
          assertEquals(Boolean.TRUE, props.getXKubernetesPreserveUnknownFields(), where + ": " + field + " keeps every field");
        }
      }
    }
  }
}
