package dev.outpost.server.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Protobuf messages as YAML, through their canonical JSON (the mapping Envoy itself reads), and
 * back. Anys are expanded with the given type registry.
 */
public final class ProtoYaml {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  private final JsonFormat.TypeRegistry registry;

  public ProtoYaml(JsonFormat.TypeRegistry registry) {
    this.registry = registry;
  }

  public String print(Message message) {
    try {
      JsonNode tree = JSON.readTree(JsonFormat.printer().usingTypeRegistry(registry).preservingProtoFieldNames().print(message));
      return YAML.writeValueAsString(tree);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses YAML into {@code builder}; unknown fields are errors, as in Envoy. */
  public <B extends Message.Builder> B parse(String yaml, B builder) throws IOException {
    String json = JSON.writeValueAsString(YAML.readTree(yaml));
    JsonFormat.parser().usingTypeRegistry(registry).merge(json, builder);
    return builder;
  }
}
