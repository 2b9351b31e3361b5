package dev.outpost.k8s;

import java.util.Objects;

/**
 * One Istio object the watcher read into a snapshot: enough to find it again (API version, kind,
 * namespace, name), to tell a re-created object from the old one (uid), and to say which version
 * of it a status describes ({@code generation}; 0 when the API server did not set one).
 */
public record ResourceRef(
    String apiVersion, String kind, String namespace, String name, String uid, long generation) {

  public ResourceRef {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
  }

  /** How the translator's diagnostics name this object: {@code VirtualService default/x}. */
  public String subject() {
    return kind + " " + namespace + "/" + name;
  }

  /** {@code networking.istio.io} of {@code networking.istio.io/v1}. */
  String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  String version() {
    return apiVersion.substring(apiVersion.indexOf('/') + 1);
  }
}
