package dev.outpost.translator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.outpost.translator.check.EnvoyTypeRegistry;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses a patch value whose scalars have the wrong JSON kind for their proto field: a number or
 * bool where a string goes ({@code name: 1}), a list where one value goes ({@code name: [x]}), a
 * string where a bool goes. protobuf-java's JsonFormat quietly turns these into the field's type
 * (it reads any JSON primitive, and a one-element list, as a string), where Istio's protojson and
 * Envoy refuse them; so an EnvoyFilter Istio would reject would reach Envoy changed.
 *
 * <p>Follows the proto3 JSON mapping: numbers may also be written as strings (64-bit integers
 * always are), enums as names or numbers; the well-known types keep their own JSON forms and are
 * left to JsonFormat, except the string and bool wrappers. Unknown fields are left to JsonFormat,
 * which reports them.
 */
final class JsonScalarTypes {
  private JsonScalarTypes() {}

  /** Where the value first has the wrong kind, and why; empty when every scalar fits. */
  static Optional<PatchException> check(JsonNode value, Descriptor type, String path) {
    return message(value, type, path);
  }

  private static Optional<PatchException> message(JsonNode node, Descriptor type, String path) {
    if (!node.isObject()) {
      return Optional.empty(); // a message in the wrong form: JsonFormat reports it
    }
    if (type.getFullName().equals("google.protobuf.Any")) {
      return any(node, path);
    }
    if (type.getFullName().startsWith("google.protobuf.")) {
      return Optional.empty(); // Struct, Value, Duration ...: their own JSON forms
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      FieldDescriptor field = fieldNamed(type, entry.getKey());
      if (field != null) {
        Optional<PatchException> problem = field(entry.getValue(), field, path + "." + entry.getKey());
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<PatchException> any(JsonNode node, String path) {
    JsonNode typeUrl = node.get("@type");
    if (typeUrl == null || !typeUrl.isTextual()) {
      return Optional.empty(); // JsonFormat reports a missing or malformed @type
    }
    Optional<Descriptor> type = EnvoyTypeRegistry.descriptorForTypeUrl(typeUrl.asText());
    if (type.isEmpty()) {
      return Optional.empty();
    }
    if (type.get().getFullName().startsWith("google.protobuf.")) {
      JsonNode wrapped = node.get("value"); // a well-known type inside an Any: {"@type", "value"}
      return wrapped == null ? Optional.empty() : wellKnown(wrapped, type.get(), path + ".value");
    }
    return message(node, type.get(), path);
  }

  private static Optional<PatchException> field(JsonNode node, FieldDescriptor field, String path) {
    if (node.isNull()) {
      return Optional.empty(); // null means "default" in proto3 JSON
    }
    if (field.isMapField()) {
      if (!node.isObject()) {
        return Optional.empty(); // JsonFormat reports it
      }
      FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        Optional<PatchException> problem = single(entry.getValue(), valueField, path + "." + entry.getKey());
        if (problem.isPresent()) {
          return problem;
        }
      }
      return Optional.empty();
    }
    if (field.isRepeated()) {
      if (!node.isArray()) {
        return Optional.of(wrong(path, "must be a list", node));
      }
      for (int i = 0; i < node.size(); i++) {
        Optional<PatchException> problem = single(node.get(i), field, path + "[" + i + "]");
        if (problem.isPresent()) {
          return problem;
        }
      }
      return Optional.empty();
    }
    return single(node, field, path);
  }

  private static Optional<PatchException> single(JsonNode node, FieldDescriptor field, String path) {
    if (node.isNull()) {
      return Optional.empty();
    }
    if (node.isArray()) {
      return Optional.of(wrong(path, "must be one value", node));
    }
    return switch (field.getJavaType()) {
      case STRING -> node.isTextual() ? Optional.empty() : Optional.of(wrong(path, "must be a string", node));
      case BOOLEAN -> node.isBoolean() ? Optional.empty() : Optional.of(wrong(path, "must be true or false", node));
      case INT, LONG, FLOAT, DOUBLE ->
          node.isNumber() || node.isTextual() ? Optional.empty() : Optional.of(wrong(path, "must be a number", node));
      case ENUM ->
          node.isTextual() || node.isIntegralNumber() ? Optional.empty() : Optional.of(wrong(path, "must be an enum name", node));
      case BYTE_STRING -> node.isTextual() ? Optional.empty() : Optional.of(wrong(path, "must be base64 text", node));
      case MESSAGE -> field.getMessageType().getFullName().startsWith("google.protobuf.")
          ? wellKnown(node, field.getMessageType(), path)
          : message(node, field.getMessageType(), path);
    };
  }

  /** The wrappers whose JSON form is a bare string or bool; other well-known types are free-form. */
  private static Optional<PatchException> wellKnown(JsonNode node, Descriptor type, String path) {
    return switch (type.getFullName()) {
      case "google.protobuf.StringValue" ->
          node.isTextual() ? Optional.empty() : Optional.of(wrong(path, "must be a string", node));
      case "google.protobuf.BoolValue" ->
          node.isBoolean() ? Optional.empty() : Optional.of(wrong(path, "must be true or false", node));
      case "google.protobuf.Any" -> any(node, path);
      default -> Optional.empty();
    };
  }

  private static FieldDescriptor fieldNamed(Descriptor type, String name) {
    FieldDescriptor byProtoName = type.findFieldByName(name);
    if (byProtoName != null) {
      return byProtoName;
    }
    for (FieldDescriptor field : type.getFields()) {
      if (field.getJsonName().equals(name)) {
        return field;
      }
    }
    return null;
  }

  private static PatchException wrong(String path, String rule, JsonNode node) {
    return new PatchException(
        path, rule + ", not " + kind(node) + " (Envoy and Istio refuse it; JSON types are not converted)");
  }

  private static String kind(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isBoolean()) {
      return "a bool (" + node.asText() + ")";
    }
    if (node.isNumber()) {
      String text = node.asText();
      return "a number (" + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + ")";
    }
    return "a string";
  }
}
