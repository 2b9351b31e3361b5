package dev.outpost.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.translator.api.SourceFile;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class ResourceFilesTest {

  private static GenericKubernetesResource fromApiServer() {
    return Serialization.unmarshal(
        """
        metadata:
          name: httpbin
          namespace: default
          resourceVersion: "42"
          managedFields:
          - manager: kubectl
            operation: Apply
        spec:
          hosts: [httpbin.org]
        status:
          conditions:
          - type: Reconciled
            status: "True"
        """,
        GenericKubernetesResource.class);
  }

  @Test
  void stripsBookkeepingAndFillsApiVersionAndKindWithoutTouchingTheCachedObject() throws Exception {
    GenericKubernetesResource object = fromApiServer();
    SourceFile file = ResourceFiles.toSourceFile(object, "networking.istio.io/v1beta1", "VirtualService");

    assertEquals("kubernetes:VirtualService/default/httpbin", file.name());
    JsonNode json = Serialization.jsonMapper().readTree(file.text());
    assertEquals("networking.istio.io/v1beta1", json.get("apiVersion").asText());
    assertEquals("VirtualService", json.get("kind").asText());
    assertFalse(json.has("status"));
    assertFalse(json.get("metadata").has("managedFields"));
    assertEquals("httpbin.org", json.get("spec").get("hosts").get(0).asText());

    assertNotNull(object.getMetadata().getManagedFields());
    assertFalse(object.getMetadata().getManagedFields().isEmpty(), "the informer's object is shared");
    assertTrue(object.getAdditionalProperties().containsKey("status"));
  }

  @Test
  void keepsTheApiVersionTheObjectCarries() throws Exception {
    GenericKubernetesResource object = fromApiServer();
    object.setApiVersion("networking.istio.io/v1");
    object.setKind("VirtualService");
    SourceFile file = ResourceFiles.toSourceFile(object, "networking.istio.io/v1beta1", "VirtualService");
    assertEquals("networking.istio.io/v1", Serialization.jsonMapper().readTree(file.text()).get("apiVersion").asText());
  }

  /**
   * An object too deep to parse is reported as the object, not as a "file": that is the name the
   * status writer reports findings on, and the name a user knows.
   */
  @Test
  void aFindingAboutAnObjectThatCannotBeParsedNamesTheObject() {
    GenericKubernetesResource object = fromApiServer();
    String deep = "{\"a\":".repeat(500) + "1" + "}".repeat(500);
    object.setAdditionalProperty("spec", Serialization.unmarshal(deep, java.util.Map.class));
    SourceFile file = ResourceFiles.toSourceFile(object, "networking.istio.io/v1", "EnvoyFilter");
    dev.outpost.translator.model.ConfigSnapshot snapshot =
        ResourceFiles.nameObjectsInDiagnostics(
            new dev.outpost.translator.parse.SnapshotAssembler()
                .assemble(java.util.List.of(file), dev.outpost.translator.model.ConfigSnapshot.EMPTY));
    assertEquals(1, snapshot.diagnostics().size(), snapshot.diagnostics().toString());
    assertEquals("EnvoyFilter default/httpbin", snapshot.diagnostics().get(0).subject());
    assertTrue(snapshot.diagnostics().get(0).message().contains("nested more than"), snapshot.diagnostics().toString());
  }
}
