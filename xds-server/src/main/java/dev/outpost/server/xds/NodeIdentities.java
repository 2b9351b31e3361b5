package dev.outpost.server.xds;

import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;

/**
 * Reads a proxy's identity from its Envoy node: {@code node.id} and the metadata keys {@code
 * NAMESPACE}, {@code SERVICE_ACCOUNT}, {@code LABELS} (a struct of strings) and {@code ROLE}
 * ({@code gateway} when absent). These are the keys {@code outpost bootstrap} writes.
 */
public final class NodeIdentities {
  public static final String NAMESPACE = "NAMESPACE";
  public static final String SERVICE_ACCOUNT = "SERVICE_ACCOUNT";
  public static final String LABELS = "LABELS";
  public static final String ROLE = "ROLE";

  private NodeIdentities() {}

  /** Thrown when a node's metadata cannot be understood; the message says what to fix. */
  public static final class InvalidNodeException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidNodeException(String message) {
      super(message);
    }
  }

  public static ProxyIdentity fromNode(Node node) throws InvalidNodeException {
    if (node.getId().isEmpty()) {
      throw new InvalidNodeException(
          "the first request on an xDS stream must carry node.id (set node.id in the Envoy bootstrap)");
    }
    Struct metadata = node.getMetadata();
    String roleText = stringField(metadata, ROLE, ProxyRole.GATEWAY.wireName());
    ProxyRole role =
        ProxyRole.fromWireName(roleText)
            .orElseThrow(
                () ->
                    new InvalidNodeException(
                        "node "
                            + node.getId()
                            + ": metadata ROLE \""
                            + roleText
                            + "\" is not a role; use \"gateway\" or \"client\""));
    ImmutableSortedMap.Builder<String, String> labels = ImmutableSortedMap.naturalOrder();
    Value labelsValue = metadata.getFieldsMap().get(LABELS);
    if (labelsValue != null) {
      if (!labelsValue.hasStructValue()) {
        throw new InvalidNodeException(
            "node " + node.getId() + ": metadata LABELS must be a map of label name to string value");
      }
      for (Map.Entry<String, Value> label : labelsValue.getStructValue().getFieldsMap().entrySet()) {
        if (!label.getValue().hasStringValue()) {
          throw new InvalidNodeException(
              "node "
                  + node.getId()
                  + ": metadata LABELS."
                  + label.getKey()
                  + " must be a string (quote it in the bootstrap YAML)");
        }
        labels.put(label.getKey(), label.getValue().getStringValue());
      }
    }
    return new ProxyIdentity(
        node.getId(),
        role,
        stringField(metadata, NAMESPACE, ""),
        stringField(metadata, SERVICE_ACCOUNT, ""),
        labels.build());
  }

  private static String stringField(Struct metadata, String key, String fallback) {
    Value value = metadata.getFieldsMap().get(key);
    return value != null && value.hasStringValue() ? value.getStringValue() : fallback;
  }
}
