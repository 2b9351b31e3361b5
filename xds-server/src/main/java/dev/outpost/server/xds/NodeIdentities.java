package dev.outpost.server.xds;

import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a proxy's identity from its Envoy node: {@code node.id} and the metadata keys {@code
 * NAMESPACE}, {@code SERVICE_ACCOUNT}, {@code LABELS} (a struct of strings) and {@code ROLE}
 * ({@code gateway} when absent). These are the keys {@code outpost bootstrap} writes. Bounded and
 * checked by {@link NodeLimits}.
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

  /**
   * The identity the node claims. Refused (with a message naming the field and the limit): a node
   * over {@link NodeLimits}, and a field that is present but not a string of the right form; only
   * an absent {@code ROLE} means {@code gateway}, never a malformed one.
   */
  public static ProxyIdentity fromNode(Node node) throws InvalidNodeException {
    if (node.getId().isEmpty()) {
      throw new InvalidNodeException(
          "the first request on an xDS stream must carry node.id (set node.id in the Envoy bootstrap)");
    }
    NodeLimits.checkSize(node);
    String nodeId = NodeLimits.quote(node.getId());
    Struct metadata = node.getMetadata();
    String roleText = stringField(node, ROLE).orElse(ProxyRole.GATEWAY.wireName());
    ProxyRole role =
        ProxyRole.fromWireName(roleText)
            .orElseThrow(
                () ->
                    new InvalidNodeException(
                        "node "
                            + nodeId
                            + ": metadata ROLE "
                            + NodeLimits.quote(roleText)
                            + " is not a role; use \"gateway\" or \"client\""));
    ImmutableSortedMap.Builder<String, String> labels = ImmutableSortedMap.naturalOrder();
    Value labelsValue = metadata.getFieldsMap().get(LABELS);
    if (labelsValue != null) {
      if (!labelsValue.hasStructValue()) {
        throw new InvalidNodeException(
            "node " + nodeId + ": metadata LABELS must be a map of label name to string value, not " + kind(labelsValue));
      }
      NodeLimits.checkLabels(node.getId(), labelsValue.getStructValue());
      for (Map.Entry<String, Value> label : labelsValue.getStructValue().getFieldsMap().entrySet()) {
        if (!label.getValue().hasStringValue()) {
          throw new InvalidNodeException(
              "node "
                  + nodeId
                  + ": metadata LABELS."
                  + label.getKey()
                  + " must be a string, not " + kind(label.getValue()) + " (quote it in the bootstrap YAML)");
        }
        labels.put(label.getKey(), label.getValue().getStringValue());
      }
    }
    String namespace = stringField(node, NAMESPACE).orElse("");
    NodeLimits.checkName(node.getId(), NAMESPACE, namespace);
    String serviceAccount = stringField(node, SERVICE_ACCOUNT).orElse("");
    NodeLimits.checkName(node.getId(), SERVICE_ACCOUNT, serviceAccount);
    return new ProxyIdentity(node.getId(), role, namespace, serviceAccount, labels.build());
  }

  /** The field's text; empty when absent. Present but not a string is refused, not defaulted. */
  private static Optional<String> stringField(Node node, String key) throws InvalidNodeException {
    Value value = node.getMetadata().getFieldsMap().get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.hasStringValue()) {
      throw new InvalidNodeException(
          "node " + NodeLimits.quote(node.getId()) + ": metadata " + key + " must be a string, not " + kind(value)
              + " (quote it in the bootstrap YAML)");
    }
    return Optional.of(value.getStringValue());
  }

  /** What a metadata value is, for a message: never its content, which may be large. */
  private static String kind(Value value) {
    return switch (value.getKindCase()) {
      case NULL_VALUE -> "null";
      case NUMBER_VALUE -> "a number";
      case STRING_VALUE -> "a string";
      case BOOL_VALUE -> "a boolean";
      case STRUCT_VALUE -> "a map";
      case LIST_VALUE -> "a list";
      case KIND_NOT_SET -> "an empty value";
    };
  }
}
