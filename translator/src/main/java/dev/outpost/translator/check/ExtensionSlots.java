package dev.outpost.translator.check;

import com.google.common.base.Suppliers;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Which fields of the Envoy API take an extension's config, and of which categories: the {@code
 * [#extension-category: ...]} annotations of the .proto sources in java-control-plane's api jar
 * (read by {@link ExtensionCategoryComments}), plus the few slots Envoy checks without annotating
 * them ({@link #UNANNOTATED}).
 *
 * <p>A slot is either an {@code Any} field (its content must be of the category) or a field of a
 * wrapper message ({@code TypedExtensionConfig}, {@code TransportSocket}, {@code HttpFilter}): then
 * the wrapper's {@code Any} fields take the category, which wins over the wrapper's own annotation
 * (an {@code HttpFilter} among a router's {@code upstream_http_filters} is an upstream HTTP
 * filter, not the HTTP filter its {@code typed_config} annotation says).
 */
final class ExtensionSlots {
  /** Per-route filter configs: not a category of Envoy's, their check is of its own. */
  static final String PER_ROUTE = "per-route filter config";

  private static final Supplier<ExtensionSlots> INSTANCE = Suppliers.memoize(ExtensionSlots::load);

  /**
   * Slots the protos leave unannotated that EnvoyFilter patches reach. A cluster's own
   * transport_socket takes an upstream transport socket as its transport_socket_matches do
   * (annotated); typed_per_filter_config values (keyed by filter name) and a FilterConfig's config
   * are per-route configs of HTTP filters.
   */
  private static final ImmutableMap<FieldDescriptor, ImmutableSet<String>> UNANNOTATED =
      ImmutableMap.of(
          field(Cluster.getDescriptor(), "transport_socket"),
          ImmutableSet.of("envoy.transport_sockets.upstream"),
          field(VirtualHost.getDescriptor(), "typed_per_filter_config"),
          ImmutableSet.of(PER_ROUTE),
          field(Route.getDescriptor(), "typed_per_filter_config"),
          ImmutableSet.of(PER_ROUTE),
          field(WeightedCluster.ClusterWeight.getDescriptor(), "typed_per_filter_config"),
          ImmutableSet.of(PER_ROUTE),
          field(FilterConfig.getDescriptor(), "config"),
          ImmutableSet.of(PER_ROUTE));

  private final Map<FieldDescriptor, ImmutableSet<String>> categoriesByField;

  private ExtensionSlots(Map<FieldDescriptor, ImmutableSet<String>> categoriesByField) {
    this.categoriesByField = categoriesByField;
  }

  /** The categories annotated on {@code field}; empty when it is no extension slot. */
  static ImmutableSet<String> categoriesOf(FieldDescriptor field) {
    ImmutableSet<String> categories = INSTANCE.get().categoriesByField.get(field);
    return categories == null ? ImmutableSet.of() : categories;
  }

  /** Every category some field names (sorted), for tests and documentation. */
  static ImmutableSet<String> allCategories() {
    TreeSet<String> all = new TreeSet<>();
    INSTANCE.get().categoriesByField.values().forEach(all::addAll);
    return ImmutableSet.copyOf(all);
  }

  private static ExtensionSlots load() {
    Map<FieldDescriptor, ImmutableSet<String>> byField = new IdentityHashMap<>();
    TreeSet<String> files = new TreeSet<>();
    for (String name : EnvoyTypeRegistry.knownMessageNames()) {
      EnvoyTypeRegistry.descriptorForTypeUrl(name).ifPresent(d -> files.add(d.getFile().getName()));
    }
    for (String file : files) {
      readSource(file)
          .filter(text -> text.contains("[#extension-category:")) // most files have none
          .ifPresent(
              text ->
                  ExtensionCategoryComments.read(text)
                      .forEach((fieldName, categories) -> resolve(fieldName, categories, byField)));
    }
    byField.putAll(UNANNOTATED);
    return new ExtensionSlots(byField);
  }

  /** Only message-typed fields can hold an extension; anything else was a misread or prose. */
  private static void resolve(
      String qualifiedField,
      ImmutableSet<String> categories,
      Map<FieldDescriptor, ImmutableSet<String>> into) {
    int dot = qualifiedField.lastIndexOf('.');
    Optional<Descriptor> message =
        EnvoyTypeRegistry.descriptorForTypeUrl(qualifiedField.substring(0, dot));
    if (message.isEmpty()) {
      return;
    }
    FieldDescriptor field = message.get().findFieldByName(qualifiedField.substring(dot + 1));
    if (field != null && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      into.put(field, categories);
    }
  }

  /** The .proto text of an API file, from the class path, as the api jar ships it. */
  private static Optional<String> readSource(String fileName) {
    try (InputStream in = Cluster.class.getClassLoader().getResourceAsStream(fileName)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Envoy API source " + fileName, e);
    }
  }

  private static FieldDescriptor field(Descriptor message, String name) {
    FieldDescriptor field = message.findFieldByName(name);
    if (field == null) {
      throw new IllegalStateException(message.getFullName() + " has no field " + name);
    }
    return field;
  }
}
