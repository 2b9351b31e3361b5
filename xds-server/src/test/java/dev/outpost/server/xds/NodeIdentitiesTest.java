package dev.outpost.server.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeIdentitiesTest {
  @Test
  void readsMetadataAndGroupsIgnoringNodeId() throws Exception {
    ProxyIdentity a = NodeIdentities.fromNode(node("gw-a", "gateway", Map.of("istio", "egressgateway", "app", "x")));
    ProxyIdentity b = NodeIdentities.fromNode(node("gw-b", "gateway", Map.of("app", "x", "istio", "egressgateway")));

    assertEquals(ProxyRole.GATEWAY, a.role());
    assertEquals("istio-system", a.namespace());
    assertEquals("sa", a.serviceAccount());
    assertEquals(GroupKey.of(a), GroupKey.of(b));
    assertEquals("gateway|istio-system|sa|app=x,istio=egressgateway", GroupKey.of(a).toString());
  }

  @Test
  void missingRoleMeansGateway() throws Exception {
    Node node = Node.newBuilder().setId("n").build();
    assertEquals(ProxyRole.GATEWAY, NodeIdentities.fromNode(node).role());
  }

  @Test
  void invalidMetadataIsRefusedWithAReason() {
    var badRole = assertThrows(NodeIdentities.InvalidNodeException.class, () -> NodeIdentities.fromNode(node("n", "router", Map.of())));
    assertTrue(badRole.getMessage().contains("use \"gateway\" or \"client\""), badRole.getMessage());

    Node numericLabel =
        Node.newBuilder()
            .setId("n")
            .setMetadata(
                Struct.newBuilder()
                    .putFields(
                        "LABELS",
                        Value.newBuilder()
                            .setStructValue(Struct.newBuilder().putFields("version", Value.newBuilder().setNumberValue(2).build()))
                            .build()))
            .build();
    var badLabel = assertThrows(NodeIdentities.InvalidNodeException.class, () -> NodeIdentities.fromNode(numericLabel));
    assertTrue(badLabel.getMessage().contains("LABELS.version"), badLabel.getMessage());

    assertThrows(NodeIdentities.InvalidNodeException.class, () -> NodeIdentities.fromNode(Node.getDefaultInstance()));
  }

  @Test
  void aPresentButMalformedRoleNamespaceOrServiceAccountIsRefusedNotDefaulted() {
    // ROLE: {"x": 1} used to become "gateway", and a numeric NAMESPACE an empty one.
    Value struct = Value.newBuilder().setStructValue(Struct.newBuilder().putFields("x", number(1))).build();
    for (Map.Entry<String, Value> field :
        Map.of(
                "ROLE", struct,
                "NAMESPACE", number(7),
                "SERVICE_ACCOUNT", Value.newBuilder().setBoolValue(true).build())
            .entrySet()) {
      Node node = Node.newBuilder().setId("n").setMetadata(Struct.newBuilder().putFields(field.getKey(), field.getValue())).build();
      var refused = assertThrows(NodeIdentities.InvalidNodeException.class, () -> NodeIdentities.fromNode(node), field.getKey());
      assertTrue(refused.getMessage().contains("metadata " + field.getKey() + " must be a string"), refused.getMessage());
    }
    Node boolRole = Node.newBuilder().setId("n").setMetadata(Struct.newBuilder().putFields("ROLE", Value.newBuilder().setBoolValue(false).build())).build();
    assertThrows(NodeIdentities.InvalidNodeException.class, () -> NodeIdentities.fromNode(boolRole));
  }

  @Test
  void identityFieldsMustBeWhatKubernetesAccepts() throws Exception {
    assertRefused(withMetadata("n", "NAMESPACE", "Istio_System"), "metadata NAMESPACE \"Istio_System\" is not a Kubernetes namespace name");
    assertRefused(withMetadata("n", "NAMESPACE", "a".repeat(64)), "at most 63");
    assertRefused(withMetadata("n", "SERVICE_ACCOUNT", "sa\nINFO forged"), "is not a Kubernetes service account name");
    assertRefused(withMetadata("n", "SERVICE_ACCOUNT", "a".repeat(254)), "at most 253");
    assertEquals("a".repeat(63), NodeIdentities.fromNode(withMetadata("n", "NAMESPACE", "a".repeat(63))).namespace());
    assertEquals("", NodeIdentities.fromNode(withMetadata("n", "NAMESPACE", "")).namespace(), "empty means not given");
  }

  @Test
  void labelsAreBoundedByKubernetesRules() throws Exception {
    String longestKey = "p".repeat(253) + "/" + "n".repeat(63);
    ProxyIdentity atTheLimits = NodeIdentities.fromNode(node("n", "gateway", labels(64, longestKey, "v".repeat(63))));
    assertEquals(64, atTheLimits.labels().size());

    assertRefused(node("n", "gateway", labels(65, "k", "v")), "LABELS has 65 labels; at most 64");
    assertRefused(node("n", "gateway", Map.of("n".repeat(64), "v")), "has a name of 64 characters; at most 63");
    assertRefused(node("n", "gateway", Map.of("p".repeat(254) + "/app", "v")), "has a prefix of 254 characters; at most 253");
    assertRefused(node("n", "gateway", Map.of("app", "v".repeat(64))), "is 64 characters long; at most 63");
    assertRefused(node("n", "gateway", Map.of("bad key", "v")), "is not a Kubernetes label key");
    assertRefused(node("n", "gateway", Map.of("app", "-x")), "is not a Kubernetes label value");
  }

  @Test
  void oversizedNodesAreRefusedWithoutEchoingThem() {
    String hugeId = "x".repeat(100_000);
    var longId = assertRefused(Node.newBuilder().setId(hugeId).build(), "node.id is 100000 characters long");
    assertTrue(longId.getMessage().contains("at most 1024"), longId.getMessage());

    Node bigMetadata = withMetadata("n", "NOTES", "y".repeat(20_000));
    var big = assertRefused(bigMetadata, "node.metadata is 200");
    assertTrue(big.getMessage().contains("at most 16384 (16 KiB)"), big.getMessage());
    for (var refused : java.util.List.of(longId, big)) {
      assertTrue(refused.getMessage().length() < 400, "the message quotes at most a short prefix: " + refused.getMessage().length());
    }
    // A node at the limit is served.
    Node justFits = withMetadata("n", "NOTES", "y".repeat(16 * 1024 - 100));
    assertTrue(justFits.getMetadata().getSerializedSize() <= 16 * 1024);
    assertRefusedNot(justFits);
  }

  private static void assertRefusedNot(Node node) {
    try {
      NodeIdentities.fromNode(node);
    } catch (NodeIdentities.InvalidNodeException e) {
      throw new AssertionError("refused: " + e.getMessage(), e);
    }
  }

  private static NodeIdentities.InvalidNodeException assertRefused(Node node, String expected) {
    var refused = assertThrows(NodeIdentities.InvalidNodeException.class, () -> NodeIdentities.fromNode(node));
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    return refused;
  }

  private static Map<String, String> labels(int count, String firstKey, String firstValue) {
    Map<String, String> labels = new java.util.HashMap<>();
    labels.put(firstKey, firstValue);
    for (int i = 1; i < count; i++) {
      labels.put("label-" + i, "v");
    }
    return labels;
  }

  private static Node withMetadata(String id, String key, String value) {
    return Node.newBuilder()
        .setId(id)
        .setMetadata(Struct.newBuilder().putFields(key, Value.newBuilder().setStringValue(value).build()))
        .build();
  }

  private static Value number(double n) {
    return Value.newBuilder().setNumberValue(n).build();
  }

  private static Node node(String id, String role, Map<String, String> labels) {
    Struct.Builder labelStruct = Struct.newBuilder();
    labels.forEach((k, v) -> labelStruct.putFields(k, Value.newBuilder().setStringValue(v).build()));
    return Node.newBuilder()
        .setId(id)
        .setMetadata(
            Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue("istio-system").build())
                .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("sa").build())
                .putFields("ROLE", Value.newBuilder().setStringValue(role).build())
                .putFields("LABELS", Value.newBuilder().setStructValue(labelStruct).build()))
        .build();
  }
}
