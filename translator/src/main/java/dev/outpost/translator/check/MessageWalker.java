package dev.outpost.translator.check;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Internal;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.outpost.translator.check.MessageFields.MessageField;
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
  private static final ClassValue<Message> DEFAULT_INSTANCES =
      new ClassValue<>() {
        @Override
        protected Message computeValue(Class<?> type) {
          return Internal.getDefaultInstance(type.asSubclass(Message.class));
        }
      };

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

    /**
     * The content of an Any, before it is visited. {@code anyField} is the field that holds the
     * Any (a map field for a map value); {@code holderField} is the field through which the
     * message holding the Any was reached, null when that message is the resource itself or the
     * content of an Any. Together they say which extension slot the Any fills ({@link
     * ExtensionTypeRules}).
     */
    default void anyContent(
        String path, Message content, FieldDescriptor anyField, FieldDescriptor holderField) {}
  }

  private final Visitor visitor;

  private MessageWalker(Visitor visitor) {
    this.visitor = visitor;
  }

  static void walk(Message resource, Visitor visitor) {
    new MessageWalker(visitor).visit("", resource, true, null);
  }

  /** {@code via}: the field {@code message} was reached through; null for a root or Any content. */
  private void visit(String path, Message message, boolean pgvApplies, FieldDescriptor via) {
    visitor.message(path, message, pgvApplies);
    for (MessageField field : MessageFields.of(message)) {
      FieldAccess access = field.access();
      if (field.repeated()) {
        int count = access.count(message);
        if (count == 0) {
          continue;
        }
        boolean childPgv = pgvApplies && !field.skipsValidation();
        String fieldPath = path + "." + field.name();
        for (int i = 0; i < count; i++) {
          Message item = access.get(message, i);
          if (field.isMap()) {
            visitMapEntry(fieldPath, field, item, childPgv, via);
          } else {
            visitValue(fieldPath + "[" + i + "]", item, childPgv, field.descriptor(), via);
          }
        }
      } else if (access.has(message)) {
        boolean childPgv = pgvApplies && !field.skipsValidation();
        visitValue(
            path + "." + field.name(), access.get(message), childPgv, field.descriptor(), via);
      }
    }
  }

  private void visitMapEntry(
      String fieldPath, MessageField field, Message entry, boolean pgv, FieldDescriptor holderVia) {
    String key = String.valueOf(entry.getField(field.mapKey()));
    visitValue(
        fieldPath + "[\"" + key + "\"]",
        (Message) entry.getField(field.mapValue()),
        pgv,
        field.descriptor(),
        holderVia);
  }

  /**
   * {@code field}: the field holding {@code value}; {@code holderVia}: the field through which
   * the message holding it was reached.
   */
  private void visitValue(
      String path,
      Message value,
      boolean pgvApplies,
      FieldDescriptor field,
      FieldDescriptor holderVia) {
    if (value instanceof Any || value.getDescriptorForType().getFullName().equals(ANY)) {
      Optional<Message> content = unpack(path, value);
      if (content.isPresent()) {
        visitor.anyContent(path, content.get(), field, holderVia);
        visit(path, content.get(), pgvApplies, null);
      }
    } else {
      visit(path, value, pgvApplies, field);
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
      // What any.unpack(type) does, minus its type check (the registry found the class by this
      // very type URL) and the reflective getDefaultInstance() lookup it makes on every call.
      Message prototype = DEFAULT_INSTANCES.get(type.get());
      return Optional.of(prototype.getParserForType().parseFrom(any.getValue()));
    } catch (InvalidProtocolBufferException e) {
      visitor.problem(
          path,
          "content of type \"" + any.getTypeUrl() + "\" cannot be decoded: " + e.getMessage());
      return Optional.empty();
    }
  }
}
