package dev.outpost.translator.check;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Visits a resource and every message inside it, in field-number order: singular, repeated and
 * map-valued message fields, and the content of every {@code google.protobuf.Any}, unpacked into
 * its generated class (Anys nest: listener → HTTP connection manager → http_filters[].typed_config
 * → router).
 *
 * <p>Paths use proto field names, with an Any's content under the Any's own field name ({@code
 * .filter_chains[0].filters[0].typed_config.stat_prefix}): the same path a user sees in Envoy's
 * JSON config dump, where an Any is printed as its content plus {@code @type}.
 */
final class MessageWalker {
  private static final String ANY = Any.getDescriptor().getFullName();

  /** What the walker reports. */
  interface Visitor {
    /**
     * Called once for every message, the resource itself first (path ""). {@code pgvApplies} is
     * false inside a field whose PGV rules say {@code message.skip}, where Envoy does not
     * validate either.
     */
    void message(String path, Message message, boolean pgvApplies);

    /** An Any that cannot be opened: Envoy would reject the resource. */
    void problem(String path, String problem);
  }

  private final Visitor visitor;

  private MessageWalker(Visitor visitor) {
    this.visitor = visitor;
  }

  static void walk(Message resource, Visitor visitor) {
    new MessageWalker(visitor).visit("", resource, true);
  }

  private void visit(String path, Message message, boolean pgvApplies) {
    visitor.message(path, message, pgvApplies);
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      boolean childPgv = pgvApplies && !skipsValidation(field);
      String fieldPath = path + "." + field.getName();
      if (field.isMapField()) {
        for (Object item : (List<?>) entry.getValue()) {
          visitMapEntry(fieldPath, field, (Message) item, childPgv);
        }
      } else if (field.isRepeated()) {
        List<?> items = (List<?>) entry.getValue();
        for (int i = 0; i < items.size(); i++) {
          visitValue(fieldPath + "[" + i + "]", (Message) items.get(i), childPgv);
        }
      } else {
        visitValue(fieldPath, (Message) entry.getValue(), childPgv);
      }
    }
  }

  private void visitMapEntry(String fieldPath, FieldDescriptor field, Message entry, boolean pgv) {
    FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
    FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
    if (valueField.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return;
    }
    String key = String.valueOf(entry.getField(keyField));
    visitValue(fieldPath + "[\"" + key + "\"]", (Message) entry.getField(valueField), pgv);
  }

  private void visitValue(String path, Message value, boolean pgvApplies) {
    if (value.getDescriptorForType().getFullName().equals(ANY)) {
      unpack(path, value).ifPresent(content -> visit(path, content, pgvApplies));
    } else {
      visit(path, value, pgvApplies);
    }
  }

  private Optional<Message> unpack(String path, Message anyMessage) {
    Any any = anyMessage instanceof Any typed ? typed : Any.newBuilder().mergeFrom(anyMessage).build();
    if (any.getTypeUrl().isEmpty()) {
      visitor.problem(path, "Any without a type URL: Envoy cannot tell what it holds");
      return Optional.empty();
    }
    Optional<Class<? extends Message>> type = EnvoyTypeRegistry.messageClassForTypeUrl(any.getTypeUrl());
    if (type.isEmpty()) {
      visitor.problem(
          path,
          "unknown type URL \"" + any.getTypeUrl() + "\": not a message of the Envoy API;"
              + " Envoy rejects extension configs it does not know");
      return Optional.empty();
    }
    try {
      return Optional.of(any.unpack(type.get()));
    } catch (InvalidProtocolBufferException e) {
      visitor.problem(
          path,
          "content of type \"" + any.getTypeUrl() + "\" cannot be decoded: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean skipsValidation(FieldDescriptor field) {
    return field.getOptions().hasExtension(Validate.rules)
        && field.getOptions().getExtension(Validate.rules).getMessage().getSkip();
  }
}
