package dev.outpost.translator.check;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.GeneratedMessageV3;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message-typed fields of a message type, in field-number order, with what {@link
 * MessageWalker} needs to know about each worked out once per type.
 *
 * <p>Why: the walker visits millions of messages in a large snapshot; asking every message for
 * {@code getAllFields()} reads every scalar field too (by reflection) and builds a sorted map, and
 * the PGV options of a field never change. Scalar fields and maps with scalar values hold no
 * message to visit, so they are left out here.
 */
final class MessageFields {
  /** Generated classes, each with accessors bound to its own methods. */
  private static final Map<Class<?>, ImmutableList<MessageField>> BY_CLASS =
      new ConcurrentHashMap<>();
  /** Dynamic messages (one class for every type): reflective access by descriptor. */
  private static final Map<Descriptor, ImmutableList<MessageField>> BY_DESCRIPTOR =
      new ConcurrentHashMap<>();

  private MessageFields() {}

  /**
   * One message-typed field: singular, repeated, or a map whose values are messages ({@code
   * mapKey} and {@code mapValue} are the entry's fields; null unless {@link #isMap()}).
   */
  record MessageField(
      FieldDescriptor descriptor,
      FieldAccess access,
      String name,
      boolean repeated,
      boolean skipsValidation,
      FieldDescriptor mapKey,
      FieldDescriptor mapValue) {
    boolean isMap() {
      return mapValue != null;
    }
  }

  static ImmutableList<MessageField> of(Message message) {
    if (message instanceof GeneratedMessageV3) {
      ImmutableList<MessageField> fields = BY_CLASS.get(message.getClass());
      return fields != null
          ? fields
          : BY_CLASS.computeIfAbsent(
              message.getClass(), c -> compute(c, message.getDescriptorForType()));
    }
    return BY_DESCRIPTOR.computeIfAbsent(
        message.getDescriptorForType(), d -> compute(Message.class, d));
  }

  private static ImmutableList<MessageField> compute(Class<?> messageClass, Descriptor type) {
    ImmutableList.Builder<MessageField> out = ImmutableList.builder();
    // Field-number order, as getAllFields() gives it: the order problems are reported in.
    for (FieldDescriptor field :
        type.getFields().stream()
            .sorted(Comparator.comparingInt(FieldDescriptor::getNumber))
            .toList()) {
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      FieldDescriptor mapKey = null;
      FieldDescriptor mapValue = null;
      if (field.isMapField()) {
        mapKey = field.getMessageType().findFieldByName("key");
        mapValue = field.getMessageType().findFieldByName("value");
        if (mapValue.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
          continue; // map<string, string> and the like: no message inside
        }
      }
      out.add(
          new MessageField(
              field,
              field.isMapField() || messageClass == Message.class
                  ? FieldAccess.reflective(field)
                  : FieldAccess.of(messageClass, field),
              field.getName(), field.isRepeated(), skipsValidation(field), mapKey, mapValue));
    }
    return out.build();
  }

  private static boolean skipsValidation(FieldDescriptor field) {
    return field.getOptions().hasExtension(Validate.rules)
        && field.getOptions().getExtension(Validate.rules).getMessage().getSkip();
  }
}
