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
