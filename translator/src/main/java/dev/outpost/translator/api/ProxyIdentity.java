package dev.outpost.translator.api;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who a connected proxy is, as far as translation cares. In file mode this comes from the node
 * metadata; in Kubernetes mode from the API server (DESIGN.md section 4).
 */
public record ProxyIdentity(
    String nodeId,
    ProxyRole role,
    String namespace,
    String serviceAccount,
    ImmutableSortedMap<String, String> labels) {

  public ProxyIdentity {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    Objects.requireNonNull(labels, "labels");
  }

  public static ProxyIdentity of(
      String nodeId, ProxyRole role, String namespace, String serviceAccount, Map<String, String> labels) {
    return new ProxyIdentity(nodeId, role, namespace, serviceAccount, ImmutableSortedMap.copyOf(labels));
  }
}
