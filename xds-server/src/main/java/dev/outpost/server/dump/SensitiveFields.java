package dev.outpost.server.dump;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import java.util.List;
import java.util.Map;
import udpa.annotations.Sensitive;

/**
 * Redacts like Envoy's own config dump: every field that Envoy's API marks {@code
 * [(udpa.annotations.sensitive) = true]} (private keys, key passwords, generic secrets, session
 * ticket keys ...) is replaced, a {@code DataSource} by {@code inline_string: "[redacted]"}. Walks
 * the whole message, including messages packed in {@code Any} whose type the registry knows.
 */
public final class SensitiveFields {
  public static final String REDACTED = "[redacted]";

  private final JsonFormat.TypeRegistry registry;

  public SensitiveFields(JsonFormat.TypeRegistry registry) {
    this.registry = registry;
  }

  @SuppressWarnings("unchecked")
  public <T extends Message> T redact(T message) {
    return (T) redactMessage(message);
  }

  private Message redactMessage(Message message) {
    if (message instanceof Any any) {
      return redactAny(any);
    }
    Message.Builder builder = null;
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      Object value = entry.getValue();
      Object replacement = isSensitive(field) ? redactedValue(field, value) : redactNested(field, value);
      if (replacement != value) {
        if (builder == null) {
          builder = message.toBuilder();
        }
        builder.setField(field, replacement);
      }
    }
    return builder == null ? message : builder.build();
  }

  private Object redactNested(FieldDescriptor field, Object value) {
    if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return value;
    }
    if (field.isRepeated()) {
      List<?> items = (List<?>) value;
      List<Object> redacted = new java.util.ArrayList<>(items.size());
      boolean changed = false;
      for (Object item : items) {
        Object r = redactMessage((Message) item);
        changed |= r != item;
        redacted.add(r);
      }
      return changed ? redacted : value;
    }
    return redactMessage((Message) value);
  }

  private Object redactedValue(FieldDescriptor field, Object value) {
    if (field.isRepeated()) {
      return ((List<?>) value).stream().map(item -> redactedScalar(field, item)).toList();
    }
    return redactedScalar(field, value);
  }

  private static Object redactedScalar(FieldDescriptor field, Object value) {
    switch (field.getJavaType()) {
      case STRING:
        return REDACTED;
      case BYTE_STRING:
        return ByteString.copyFromUtf8(REDACTED);
      case MESSAGE:
        Message message = (Message) value;
        if (message.getDescriptorForType().getFullName().equals(DataSource.getDescriptor().getFullName())) {
          return DataSource.newBuilder().setInlineString(REDACTED).build();
        }
        // Any other sensitive message: keep its type, drop its content.
        return message.getDefaultInstanceForType();
      default:
        return field.getDefaultValue();
    }
  }

  private Message redactAny(Any any) {
    String typeName = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
    Descriptor descriptor = registry.find(typeName);
    if (descriptor == null) {
      // Content we cannot look into could hold a key: fail closed, keep only the type.
      return any.toBuilder().clearValue().build();
    }
    try {
      DynamicMessage inner = DynamicMessage.parseFrom(descriptor, any.getValue());
      Message redacted = redactMessage(inner);
      return redacted == inner ? any : any.toBuilder().setValue(redacted.toByteString()).build();
    } catch (InvalidProtocolBufferException e) {
      return any.toBuilder().clearValue().build();
    }
  }

  private static boolean isSensitive(FieldDescriptor field) {
    return field.getOptions().hasExtension(Sensitive.sensitive) && field.getOptions().getExtension(Sensitive.sensitive);
  }
}
