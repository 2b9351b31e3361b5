package dev.outpost.translator.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Makes a printed Secret resource safe and readable in a golden file: a private key's inline bytes
 * become {@code [redacted]}, as in Envoy's config_dump; certificate and CA bytes become {@code <N
 * bytes, sha256 PREFIX>}, enough to see which PEM went where and when it changes, without pages of
 * base64.
 */
final class SecretRedaction {
  static final String REDACTED = "[redacted]";

  private SecretRedaction() {}

  static void redact(JsonNode node) {
    redact(node, false);
  }

  private static void redact(JsonNode node, boolean privateKey) {
    if (!(node instanceof ObjectNode object)) {
      node.forEach(child -> redact(child, privateKey));
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals("inlineBytes") || name.equals("inlineString")) {
        field.setValue(
            object.textNode(privateKey ? REDACTED : summary(name, field.getValue().asText())));
      } else {
        redact(field.getValue(), privateKey || name.equals("privateKey"));
      }
    }
  }

  private static String summary(String field, String value) {
    byte[] bytes =
        field.equals("inlineBytes")
            ? Base64.getDecoder().decode(value)
            : value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return "<" + bytes.length + " bytes, sha256 "
        + Hashing.sha256().hashBytes(bytes).toString().substring(0, 12) + ">";
  }
}
