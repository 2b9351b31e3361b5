package dev.outpost.translator.model;

import java.util.Objects;

/**
 * What the translator needs of a Pod behind a Service's endpoints: its labels (in {@code
 * metadata}), which DestinationRule subsets select, and its service account, which is the identity
 * an {@code ISTIO_MUTUAL} connection to it verifies. In Kubernetes mode the watcher hands over only
 * pods that EndpointSlices point at, with only these fields.
 */
public record KubePod(ObjectMeta metadata, String serviceAccount) {
  public KubePod {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
  }
}
