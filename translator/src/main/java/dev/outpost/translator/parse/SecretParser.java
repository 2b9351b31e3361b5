package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.ByteString;
import dev.outpost.translator.model.KubeSecret;
import dev.outpost.translator.model.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a Kubernetes Secret. Diagnostics name keys, never values, and never echo what a value looks
 * like: these are private keys.
 */
final class SecretParser {
  /** kubectl apply copies the whole object, data included, into this annotation. */
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private SecretParser() {}

  static KubeSecret parse(ObjectMeta meta, FieldReader root) {
    String type = root.string("type").orElse("Opaque");
    Map<String, ByteString> data = new TreeMap<>();
    for (FieldReader.Element e : root.entries("data")) {
      if (!validKey(root, e)) {
        continue;
      }
      if (!e.node().isTextual()) {
        root.findings().error(e.path(), "must be a base64 string");
        continue;
      }
      try {
        // Kubernetes (Go's base64) ignores line breaks inside the value.
        byte[] decoded =
            Base64.getDecoder().decode(e.node().textValue().replaceAll("[\\r\\n]", ""));
        data.put(e.key(), ByteString.copyFrom(decoded));
      } catch (IllegalArgumentException ex) {
        root.findings()
            .error(
                e.path(),
                "is not valid base64; encode the value with base64, or put it under stringData as"
                    + " plain text");
      }
    }
    for (FieldReader.Element e : root.entries("stringData")) {
      if (!validKey(root, e)) {
        continue;
      }
      if (!e.node().isTextual()) {
        root.findings().error(e.path(), "must be a string (quote it)");
        continue;
      }
      // As the API server does: stringData overrides data for the same key.
      data.put(e.key(), ByteString.copyFrom(e.node().textValue(), StandardCharsets.UTF_8));
    }
    root.bool("immutable");
    root.finish();
    if (type.equals("kubernetes.io/tls")) {
      for (String required : new String[] {"tls.crt", "tls.key"}) {
        if (!data.containsKey(required)) {
          root.error("data", "a kubernetes.io/tls Secret needs the key " + required);
        }
      }
    }
    return new KubeSecret(withoutLastApplied(meta), type, ImmutableSortedMap.copyOf(data));
  }

  private static boolean validKey(FieldReader root, FieldReader.Element e) {
    if (!Names.isSecretKey(e.key())) {
      root.findings()
          .error(
              e.path(),
              "\"" + e.key() + "\" is not a valid key: letters, digits, '-', '_' and '.'");
      return false;
    }
    return true;
  }

  /** Drops the annotation that would otherwise carry the secret's data into debug output. */
  private static ObjectMeta withoutLastApplied(ObjectMeta meta) {
    if (!meta.annotations().containsKey(LAST_APPLIED)) {
      return meta;
    }
    ImmutableSortedMap.Builder<String, String> kept = ImmutableSortedMap.naturalOrder();
    meta.annotations()
        .forEach(
            (k, v) -> {
              if (!k.equals(LAST_APPLIED)) {
                kept.put(k, v);
              }
            });
    return new ObjectMeta(
        meta.name(), meta.namespace(), meta.labels(), kept.build(), meta.origin());
  }
}
