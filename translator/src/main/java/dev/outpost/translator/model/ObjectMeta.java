package dev.outpost.translator.model;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Objects;

/**
 * The Kubernetes metadata Outpost uses. {@code origin} says where the object came from (a file
 * path and document index in file mode, the API server in Kubernetes mode), for diagnostics.
 */
public record ObjectMeta(
    String name,
    String namespace,
    ImmutableSortedMap<String, String> labels,
    ImmutableSortedMap<String, String> annotations,
    String origin) {

  public ObjectMeta {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(annotations, "annotations");
    Objects.requireNonNull(origin, "origin");
  }
}
