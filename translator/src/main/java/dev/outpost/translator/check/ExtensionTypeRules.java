package dev.outpost.translator.check;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Every {@code Any} that fills an extension slot holds a config of the slot's category: Envoy
 * finds the extension by the config's type ({@code @type}), and a type that is no extension of
 * that category (a Cluster as an HTTP filter's {@code typed_config}, a network filter among the
 * HTTP filters, a downstream TLS context on a cluster) makes it reject the whole resource. The
 * slots and their categories come from Envoy's API ({@link ExtensionSlots}), the types of each
 * category from {@link ExtensionCategories}. A {@code TypedStruct} is judged by the type its
 * {@code type_url} names, as Envoy does. Slots of categories whose types Outpost does not know
 * are not checked. A per-route config must also be the filter's per-route type where its package
 * shows which that is ({@link PerRouteTypes}).
 */
public final class ExtensionTypeRules {
  private static final ImmutableSet<String> TYPED_STRUCTS =
      ImmutableSet.of("udpa.type.v1.TypedStruct", "xds.type.v3.TypedStruct");

  /** A wrong type in a slot: where (proto field path from the checked message) and what. */
  public record Problem(String path, String problem) {
    public Problem {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(problem, "problem");
    }
  }

  private ExtensionTypeRules() {}

  /**
   * The wrong types in {@code message} and every message inside it, e.g. in an EnvoyFilter's
   * patch value before it is applied. Paths start with '.' ({@code .typed_config}).
   */
  public static ImmutableList<Problem> check(Message message) {
    ImmutableList.Builder<Problem> problems = ImmutableList.builder();
    MessageWalker.walk(
        message,
        new MessageWalker.Visitor() {
          @Override
          public void message(String path, Message visited, boolean pgvApplies) {}

          @Override
          public void problem(String path, String problem) {
            // an Any that does not open: the snapshot checker reports those
          }

          @Override
          public void anyContent(
              String path, Message content, FieldDescriptor anyField, FieldDescriptor holder) {
            check(path, content, anyField, holder, (p, text) -> problems.add(new Problem(p, text)));
          }
        });
    return problems.build();
  }

  /** One Any's content, as {@link MessageWalker.Visitor#anyContent} reports it. */
  static void check(
      String path,
      Message content,
      FieldDescriptor anyField,
      FieldDescriptor holderField,
      BiConsumer<String, String> problems) {
    ImmutableSet<String> slot = expectedCategories(anyField, holderField);
    if (slot.isEmpty()) {
      return; // most Anys: the walk of a large snapshot passes here millions of times
    }
    List<ExtensionCategory> expected =
        slot.stream()
            .map(ExtensionCategories::named)
            .flatMap(Optional::stream)
            .toList();
    if (expected.isEmpty()) {
      return;
    }
    String type = content.getDescriptorForType().getFullName();
    String shown = "type " + type;
    if (TYPED_STRUCTS.contains(type)) {
      String typeUrl = typedStructTypeUrl(content);
      if (typeUrl.isEmpty()) {
        return; // PGV requires the type URL of a TypedStruct's content
      }
      type = EnvoyTypeRegistry.typeName(typeUrl);
      if (EnvoyTypeRegistry.descriptorForTypeUrl(typeUrl).isEmpty()) {
        problems.accept(
            path + ".type_url",
            "unknown type URL \"" + shortened(typeUrl) + "\": not a message of the Envoy API;"
                + " Envoy rejects extension configs it does not know");
        return;
      }
      shown = "type " + type + " (in a " + content.getDescriptorForType().getName() + ")";
    }
    String finalType = type;
    if (expected.stream().anyMatch(category -> category.accepts(finalType))) {
      if (expected.contains(ExtensionCategories.PER_ROUTE)) {
        PerRouteTypes.problem(type).ifPresent(problem -> problems.accept(path, problem));
      }
      return;
    }
    problems.accept(
        path,
        shown + " is not " + describe(expected) + " (" + categoryNames(expected)
            + "); use one of e.g. " + expected.get(0).example());
  }

  /** Envoy's names of the categories; per-route configs have none, so say how Envoy finds them. */
  private static String categoryNames(List<ExtensionCategory> categories) {
    String names =
        categories.stream()
            .map(ExtensionCategory::name)
            .filter(name -> !name.equals(ExtensionSlots.PER_ROUTE))
            .collect(Collectors.joining(", "));
    return names.isEmpty() ? "Envoy finds the filter it configures by this type" : names;
  }

  /**
   * The categories the slot of this Any takes: its holder's, when the holder is a wrapper that
   * was reached through an annotated field (that context wins), else the Any field's own.
   */
  static ImmutableSet<String> expectedCategories(
      FieldDescriptor anyField, FieldDescriptor holderField) {
    if (holderField != null
        && holderField.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && holderField.getMessageType() == anyField.getContainingType()) {
      ImmutableSet<String> wrapper = ExtensionSlots.categoriesOf(holderField);
      if (!wrapper.isEmpty()) {
        return wrapper;
      }
    }
    return ExtensionSlots.categoriesOf(anyField);
  }

  private static String describe(List<ExtensionCategory> categories) {
    return categories.stream().map(ExtensionCategory::description).collect(Collectors.joining(" or "));
  }

  private static String typedStructTypeUrl(Message typedStruct) {
    FieldDescriptor typeUrl = typedStruct.getDescriptorForType().findFieldByName("type_url");
    return typeUrl == null ? "" : String.valueOf(typedStruct.getField(typeUrl));
  }

  /** A type URL is user input: never echo a huge one. */
  private static String shortened(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "...";
  }
}
