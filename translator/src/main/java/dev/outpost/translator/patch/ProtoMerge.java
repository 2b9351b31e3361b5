package dev.outpost.translator.patch;

import com.google.common.collect.ImmutableSet;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.outpost.translator.check.EnvoyTypeRegistry;
import java.util.Map;

/**
 * The MERGE of an EnvoyFilter patch: proto merge, as Istio does it. Set scalars replace, messages
 * merge field by field, lists append, map entries replace, a different oneof member replaces.
 *
 * <p>Except for values that are one thing, not a set of fields: a {@code Duration} is replaced as a
 * whole (Istio does the same: merged field by field, 1.5s patched with 2s would become 2.5s), and so
 * are {@code Timestamp} and the wrapper types (a plain merge could never set a wrapper back to 0).
 */
final class ProtoMerge {
  private static final ImmutableSet<String> REPLACED_WHOLE =
      ImmutableSet.of(
          "google.protobuf.Duration",
          "google.protobuf.Timestamp",
          "google.protobuf.BoolValue",
          "google.protobuf.BytesValue",
          "google.protobuf.DoubleValue",
          "google.protobuf.FloatValue",
          "google.protobuf.Int32Value",
          "google.protobuf.Int64Value",
          "google.protobuf.StringValue",
          "google.protobuf.UInt32Value",
          "google.protobuf.UInt64Value");

  private ProtoMerge() {}

  /** {@code target} with {@code patch} merged in. */
  @SuppressWarnings("unchecked")
  static <M extends Message> M merge(M target, Message patch) {
    Message.Builder builder = target.toBuilder();
    clearReplacedWhole(builder, patch);
    builder.mergeFrom(patch);
    return (M) builder.build();
  }

  private static void clearReplacedWhole(Message.Builder target, Message patch) {
    for (Map.Entry<FieldDescriptor, Object> field : patch.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      if (descriptor.isRepeated() || descriptor.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (REPLACED_WHOLE.contains(descriptor.getMessageType().getFullName())) {
        target.clearField(descriptor);
      } else if (target.hasField(descriptor)) {
        clearReplacedWhole(target.getFieldBuilder(descriptor), (Message) field.getValue());
      }
    }
  }

  /**
   * Two typed configs of the same type, unpacked, merged and packed again, as Istio merges a
   * filter's or transport socket's config: merging the packed bytes would replace the whole
   * config.
   *
   * @param field where the patch's config is, for the error
   * @throws PatchException when the types differ: merging one type into another means nothing
   *     (use REPLACE to change the type)
   */
  static Any mergeTyped(Any target, Any patch, String field) throws PatchException {
    String targetType = typeName(target.getTypeUrl());
    String patchType = typeName(patch.getTypeUrl());
    if (!targetType.equals(patchType)) {
      throw new PatchException(
          field,
          "MERGE needs a config of the type it merges into, " + targetType + ", not " + patchType
              + "; to change the type, REPLACE the filter (or REMOVE it and insert the new one)");
    }
    Class<? extends Message> type =
        EnvoyTypeRegistry.messageClassForTypeUrl(target.getTypeUrl())
            .orElseThrow(
                () -> new PatchException(field, "the Envoy API has no type " + targetType));
    try {
      return Any.pack(merge(target.unpack(type), patch.unpack(type)));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new PatchException(field, "cannot read the " + targetType + " config: " + e.getMessage());
    }
  }

  private static String typeName(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
  }
}
