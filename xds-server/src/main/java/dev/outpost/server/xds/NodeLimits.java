package dev.outpost.server.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a connecting proxy's node may carry (README, "How Outpost treats bad input"). The node's
 * metadata decides its group, and every new group costs a translation, a gate check and perhaps a
 * mesh certificate; the node is kept for the life of the stream and shown in logs and {@code
 * /debug}. So its size and its identity fields are bounded, and the identity fields must be what
 * Kubernetes would accept for a pod: labels, a namespace and a service account name.
 *
 * <p>Only {@code node.id} and {@code node.metadata} are kept ({@link #essentials}); the rest of the
 * node (Envoy's list of extensions, tens of KiB) is read by nobody and dropped with the first
 * request.
 */
public final class NodeLimits {
  public static final int MAX_NODE_ID_LENGTH = 1024;
  public static final int MAX_METADATA_BYTES = 16 * 1024;
  public static final int MAX_LABELS = 64;
  /** Kubernetes: a label key's name part, and a label value. */
  public static final int MAX_LABEL_NAME_LENGTH = 63;
  /** Kubernetes: a label key's optional prefix, a DNS subdomain. */
  public static final int MAX_LABEL_PREFIX_LENGTH = 253;
  public static final int MAX_LABEL_VALUE_LENGTH = 63;
  /** Kubernetes: a namespace is a DNS label. */
  public static final int MAX_NAMESPACE_LENGTH = 63;
  /** Kubernetes: a service account name is a DNS subdomain. */
  public static final int MAX_SERVICE_ACCOUNT_LENGTH = 253;

  /** How much of an offending value a message quotes. */
  private static final int QUOTED = 40;

  private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private NodeLimits() {}

  /** The part of a node the server keeps for a stream: its id and metadata. */
  public static Node essentials(Node node) {
    return Node.newBuilder().setId(node.getId()).setMetadata(node.getMetadata()).build();
  }

  /** Refuses a node id or metadata over the limits, before anything is read from them. */
  static void checkSize(Node node) throws NodeIdentities.InvalidNodeException {
    if (node.getId().length() > MAX_NODE_ID_LENGTH) {
      throw new NodeIdentities.InvalidNodeException(
          "node.id is " + node.getId().length() + " characters long (" + quote(node.getId()) + "); at most "
              + MAX_NODE_ID_LENGTH + " are allowed");
    }
    int metadataBytes = node.getMetadata().getSerializedSize();
    if (metadataBytes > MAX_METADATA_BYTES) {
      throw new NodeIdentities.InvalidNodeException(
          "node " + quote(node.getId()) + ": node.metadata is " + metadataBytes + " bytes (serialized); at most "
              + MAX_METADATA_BYTES + " (16 KiB) are allowed. Keep only NAMESPACE, SERVICE_ACCOUNT, LABELS and ROLE"
              + " in the bootstrap's node metadata");
    }
  }

  /** LABELS: at most {@link #MAX_LABELS}, each key and value valid as a Kubernetes label. */
  static void checkLabels(String nodeId, Struct labels) throws NodeIdentities.InvalidNodeException {
    if (labels.getFieldsCount() > MAX_LABELS) {
      throw new NodeIdentities.InvalidNodeException(
          "node " + quote(nodeId) + ": metadata LABELS has " + labels.getFieldsCount() + " labels; at most "
              + MAX_LABELS + " are allowed");
    }
    for (Map.Entry<String, Value> label : labels.getFieldsMap().entrySet()) {
      String key = label.getKey();
      Optional<String> keyProblem = labelKeyProblem(key);
      if (keyProblem.isPresent()) {
        throw new NodeIdentities.InvalidNodeException(
            "node " + quote(nodeId) + ": metadata LABELS key " + quote(key) + " " + keyProblem.get());
      }
      if (label.getValue().hasStringValue()) {
        String value = label.getValue().getStringValue();
        Optional<String> valueProblem = labelValueProblem(value);
        if (valueProblem.isPresent()) {
          throw new NodeIdentities.InvalidNodeException(
              "node " + quote(nodeId) + ": metadata LABELS." + key + " value " + quote(value) + " " + valueProblem.get());
        }
      }
    }
  }

  /** NAMESPACE (a DNS label) or SERVICE_ACCOUNT (a DNS subdomain); empty means not given. */
  static void checkName(String nodeId, String field, String value) throws NodeIdentities.InvalidNodeException {
    if (value.isEmpty()) {
      return;
    }
    boolean namespace = field.equals(NodeIdentities.NAMESPACE);
    int max = namespace ? MAX_NAMESPACE_LENGTH : MAX_SERVICE_ACCOUNT_LENGTH;
    if (value.length() > max) {
      throw new NodeIdentities.InvalidNodeException(
          "node " + quote(nodeId) + ": metadata " + field + " " + quote(value) + " is " + value.length()
              + " characters long; at most " + max + " are allowed (a Kubernetes " + (namespace ? "namespace" : "service account")
              + " name)");
    }
    if (!(namespace ? DNS_LABEL : DNS_SUBDOMAIN).matcher(value).matches()) {
      throw new NodeIdentities.InvalidNodeException(
          "node " + quote(nodeId) + ": metadata " + field + " " + quote(value) + " is not a Kubernetes "
              + (namespace ? "namespace name (lowercase letters, digits and '-', starting and ending with a letter or digit)"
                  : "service account name (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)"));
    }
  }

  private static Optional<String> labelKeyProblem(String key) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? "" : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      if (prefix.length() > MAX_LABEL_PREFIX_LENGTH) {
        return Optional.of("has a prefix of " + prefix.length() + " characters; at most "
            + MAX_LABEL_PREFIX_LENGTH + " are allowed (a Kubernetes label key)");
      }
      if (prefix.isEmpty() || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return Optional.of("has a prefix that is not a DNS subdomain (lowercase letters, digits, '-' and '.');"
            + " a Kubernetes label key is [prefix/]name");
      }
    }
    if (name.length() > MAX_LABEL_NAME_LENGTH) {
      return Optional.of("has a name of " + name.length() + " characters; at most "
          + MAX_LABEL_NAME_LENGTH + " are allowed (a Kubernetes label key)");
    }
    if (!LABEL_NAME.matcher(name).matches()) {
      return Optional.of("is not a Kubernetes label key: the name (after an optional prefix/) must be letters,"
          + " digits, '-', '_' and '.', starting and ending with a letter or digit");
    }
    return Optional.empty();
  }

  private static Optional<String> labelValueProblem(String value) {
    if (value.length() > MAX_LABEL_VALUE_LENGTH) {
      return Optional.of("is " + value.length() + " characters long; at most " + MAX_LABEL_VALUE_LENGTH
          + " are allowed (a Kubernetes label value)");
    }
    if (!value.isEmpty() && !LABEL_NAME.matcher(value).matches()) {
      return Optional.of("is not a Kubernetes label value: letters, digits, '-', '_' and '.', starting and"
          + " ending with a letter or digit");
    }
    return Optional.empty();
  }

  /** A short, one-line, quoted prefix of text a client sent: never echo 16 KiB back. */
  static String quote(String untrusted) {
    String prefix = untrusted.length() > QUOTED ? untrusted.substring(0, QUOTED) + "…" : untrusted;
    return "\"" + LogText.of(prefix) + "\"";
  }
}
