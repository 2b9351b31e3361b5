package dev.outpost.translator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.Descriptors.Descriptor;
import dev.outpost.translator.check.EnvoyTypeRegistry;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites the {@code Any}s of a patch value (JSON objects with an {@code @type}) so that each
 * names its real Envoy type: a {@code udpa.type.v1.TypedStruct} or {@code xds.type.v3.TypedStruct}
 * (the form Istio's guides use, {@code type_url} + {@code value}) becomes the message its {@code
 * type_url} names, built from the JSON of its {@code value}.
 *
 * <p>Why not keep the TypedStruct, as Istio does: Envoy converts it when it loads the config, so
 * a mistake inside it is only found by Envoy, as a NACK. As the real type, the content passes
 * through Envoy's own PGV constraints in the snapshot checker, and the config dump shows what
 * Envoy runs. Every {@code @type} is also checked against the Envoy API here, so an unknown one is
 * reported with its place in the value.
 */
final class TypedStructs {
  static final ImmutableSet<String> TYPED_STRUCTS =
      ImmutableSet.of("udpa.type.v1.TypedStruct", "xds.type.v3.TypedStruct");

  /**
   * Well-known types whose JSON is not an object: inside an Any their JSON goes under {@code
   * value} (the proto3 JSON mapping of Any).
   */
  private static final ImmutableSet<String> SPECIAL_JSON =
      ImmutableSet.of(
          "google.protobuf.Any",
          "google.protobuf.Duration",
          "google.protobuf.Timestamp",
          "google.protobuf.FieldMask",
          "google.protobuf.Struct",
          "google.protobuf.Value",
          "google.protobuf.ListValue",
          "google.protobuf.BoolValue",
          "google.protobuf.BytesValue",
          "google.protobuf.DoubleValue",
          "google.protobuf.FloatValue",
          "google.protobuf.Int32Value",
          "google.protobuf.Int64Value",
          "google.protobuf.StringValue",
          "google.protobuf.UInt32Value",
          "google.protobuf.UInt64Value");

  private static final String TYPE = "@type";

  private TypedStructs() {}

  /**
   * The value with every TypedStruct replaced by its real type, recursively.
   *
   * @param path where {@code node} is, for messages ({@code patch.value...})
   * @throws PatchException for an {@code @type} or {@code type_url} the Envoy API does not know, or
   *     a TypedStruct without a usable {@code type_url}/{@code value}
   */
  static JsonNode expand(JsonNode node, String path) throws PatchException {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode element = node.get(i);
        JsonNode expanded = expand(element, path + "[" + i + "]");
        if (expanded != element) {
          ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, expanded);
        }
      }
      return node;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode object = (ObjectNode) node;
    JsonNode type = object.get(TYPE);
    if (type != null) {
      String typeName = knownType(type, path + "." + TYPE);
      if (TYPED_STRUCTS.contains(typeName)) {
        return expand(fromTypedStruct(object, typeName, path), path);
      }
    }
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode expanded = expand(field.getValue(), path + "." + field.getKey());
      if (expanded != field.getValue()) {
        field.setValue(expanded);
      }
    }
    return object;
  }

  private static ObjectNode fromTypedStruct(ObjectNode typedStruct, String typeName, String path)
      throws PatchException {
    JsonNode typeUrl = firstOf(typedStruct, "type_url", "typeUrl");
    if (typeUrl == null || !typeUrl.isTextual() || typeUrl.asText().isEmpty()) {
      throw new PatchException(
          path + ".type_url",
          "a " + typeName + " needs type_url, the type of the config it carries (e.g."
              + " type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit)");
    }
    for (Iterator<String> names = typedStruct.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(TYPE) && !name.equals("type_url") && !name.equals("typeUrl")
          && !name.equals("value")) {
        throw new PatchException(
            path + "." + name,
            "a " + typeName + " has only type_url and value; put the config under value");
      }
    }
    String realType = knownType(typeUrl, path + ".type_url");
    JsonNode value = typedStruct.get("value");
    if (value != null && !value.isNull() && !value.isObject()) {
      throw new PatchException(
          path + ".value", "the value of a " + typeName + " must be a mapping (a Struct)");
    }
    ObjectNode real = JsonNodeFactory.instance.objectNode();
    real.put(TYPE, typeUrl.asText());
    if (SPECIAL_JSON.contains(realType)) {
      real.set("value", value == null ? JsonNodeFactory.instance.objectNode() : value);
    } else if (value != null && value.isObject()) {
      real.setAll((ObjectNode) value);
    }
    return real;
  }

  /** The full name of the type an {@code @type}/{@code type_url} names, if Envoy's API has it. */
  private static String knownType(JsonNode typeUrl, String path) throws PatchException {
    if (!typeUrl.isTextual()) {
      throw new PatchException(path, "must be a type URL string");
    }
    Optional<Descriptor> descriptor = EnvoyTypeRegistry.descriptorForTypeUrl(typeUrl.asText());
    if (descriptor.isEmpty()) {
      throw new PatchException(
          path,
          "\"" + typeUrl.asText() + "\" is not a type of the Envoy API Outpost serves; check the"
              + " spelling and the version (v3), e.g."
              + " type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua");
    }
    return descriptor.get().getFullName();
  }

  private static JsonNode firstOf(ObjectNode object, String... names) {
    for (String name : names) {
      JsonNode value = object.get(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
