package dev.outpost.k8s;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Objects;

/**
 * Who a proxy is, according to the API server: its pod's namespace, service account and labels.
 * The server compares these with the node metadata a connecting Envoy claims.
 */
public record PodIdentity(
    String name,
    String namespace,
    String serviceAccount,
    ImmutableSortedMap<String, String> labels,
    String uid) {

  public PodIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(uid, "uid");
  }

  /** The node id such a pod's proxy uses: {@code POD_NAME.NAMESPACE}. */
  public String nodeId() {
    return name + "." + namespace;
  }
}
