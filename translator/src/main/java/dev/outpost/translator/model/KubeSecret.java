package dev.outpost.translator.model;

import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.ByteString;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes {@code v1 Secret}, e.g. TLS certificates for credentialName. {@code data} holds the
 * decoded bytes of {@code data} with {@code stringData} merged in (stringData wins, as the API
 * server does). {@link #toString()} prints key names and sizes only, never values: these are
 * private keys.
 *
 * @param type the secret type, e.g. {@code kubernetes.io/tls} ({@code Opaque} when absent)
 */
public record KubeSecret(
    ObjectMeta metadata, String type, ImmutableSortedMap<String, ByteString> data) {

  public KubeSecret {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
  }

  /** The value under {@code key}, if present. */
  public Optional<ByteString> get(String key) {
    return Optional.ofNullable(data.get(key));
  }

  @Override
  public String toString() {
    StringBuilder keys = new StringBuilder();
    data.forEach(
        (k, v) ->
            keys.append(keys.length() == 0 ? "" : ", ")
                .append(k)
                .append("=<")
                .append(v.size())
                .append(" bytes>"));
    return "KubeSecret["
        + metadata.namespace()
        + "/"
        + metadata.name()
        + ", type="
        + type
        + ", data={"
        + keys
        + "}]";
  }
}
