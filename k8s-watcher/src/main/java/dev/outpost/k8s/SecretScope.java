package dev.outpost.k8s;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * Which Secrets the watcher reads. Not every Secret in the cluster: a proxy may use only Secrets of
 * its own namespace (the translator resolves {@code credentialName} there, as Istio does for
 * gateways), so the watcher reads the namespaces where Outpost's gateway proxies run and nothing
 * else. That keeps other teams' private keys out of Outpost's memory and lets RBAC grant Secret
 * reads with a namespaced Role instead of a ClusterRole.
 *
 * <p>Within those namespaces, only Secrets that can hold TLS material are read: {@code
 * kubernetes.io/tls} and {@code Opaque} (Istio's "generic" form, keys {@code cert}/{@code
 * key}/{@code cacert}). The API server already leaves out service-account tokens and Helm's
 * release records (a field selector on {@code type}, as istiod uses): they are the bulk of the
 * Secrets in most namespaces and large.
 */
final class SecretScope {
  static final ImmutableSet<String> TYPES = ImmutableSet.of("kubernetes.io/tls", "Opaque");

  /** Left out by the API server: {@code fieldSelector=type!=A,type!=B}. */
  static final ImmutableList<String> EXCLUDED_BY_SERVER =
      ImmutableList.of("kubernetes.io/service-account-token", "helm.sh/release.v1");

  private final ImmutableSet<String> namespaces;

  SecretScope(ImmutableSet<String> namespaces) {
    if (namespaces.isEmpty()) {
      throw new IllegalArgumentException("Secrets are read from named namespaces only");
    }
    this.namespaces = namespaces;
  }

  ImmutableSet<String> namespaces() {
    return namespaces;
  }

  /** Whether a Secret the API server sent goes into the snapshot. */
  static boolean readable(Secret secret) {
    // A Secret without type is Opaque (the API server defaults it; files may omit it).
    String type = secret.getType() == null || secret.getType().isEmpty() ? "Opaque" : secret.getType();
    return TYPES.contains(type);
  }
}
