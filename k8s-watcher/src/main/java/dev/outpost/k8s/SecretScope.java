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
 * <p>Within those namespaces the type decides. Like istiod, the API server is asked to leave out
 * service-account tokens and Helm's release records (a {@code type!=} field selector): they are
 * the bulk of the Secrets in most namespaces, and large. The built-in types that cannot hold a
 * certificate (registry credentials, basic-auth, ssh-auth, bootstrap tokens) are dropped here.
 * Every other type is read, {@code kubernetes.io/tls} and {@code Opaque} and custom ones alike,
 * because Istio looks only at the keys ({@code tls.crt}/{@code tls.key}/{@code ca.crt} or {@code
 * cert}/{@code key}/{@code cacert}) and manifests written for it must work unchanged.
 */
final class SecretScope {
  /** Left out by the API server: {@code fieldSelector=type!=A,type!=B}. */
  static final ImmutableList<String> EXCLUDED_BY_SERVER =
      ImmutableList.of("kubernetes.io/service-account-token", "helm.sh/release.v1");

  /** Built-in types that never carry TLS material; dropped before the snapshot. */
  static final ImmutableSet<String> NOT_TLS =
      ImmutableSet.of(
          "kubernetes.io/service-account-token",
          "helm.sh/release.v1",
          "kubernetes.io/dockercfg",
          "kubernetes.io/dockerconfigjson",
          "kubernetes.io/basic-auth",
          "kubernetes.io/ssh-auth",
          "bootstrap.kubernetes.io/token");

  private SecretScope() {}

  /** Whether a Secret the API server sent goes into the snapshot. */
  static boolean readable(Secret secret) {
    return secret.getType() == null || !NOT_TLS.contains(secret.getType());
  }
}
