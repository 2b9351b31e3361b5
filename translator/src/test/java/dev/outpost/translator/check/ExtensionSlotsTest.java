package dev.outpost.translator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Sets;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The extension slots read from the api jar's .proto sources, and the categories' types. */
class ExtensionSlotsTest {

  private static FieldDescriptor field(Descriptor message, String name) {
    return message.findFieldByName(name);
  }

  @Test
  void theSlotsEnvoyFiltersReachAreReadFromTheProtoSources() {
    assertEquals(
        Set.of("envoy.filters.http"),
        ExtensionSlots.categoriesOf(field(HttpFilter.getDescriptor(), "typed_config")));
    assertEquals(
        Set.of("envoy.filters.network"),
        ExtensionSlots.categoriesOf(field(Filter.getDescriptor(), "typed_config")));
    assertEquals(
        Set.of("envoy.filters.listener", "envoy.filters.udp_listener"),
        ExtensionSlots.categoriesOf(field(ListenerFilter.getDescriptor(), "typed_config")));
    // on a oneof around the Any
    assertEquals(
        Set.of("envoy.access_loggers"),
        ExtensionSlots.categoriesOf(field(AccessLog.getDescriptor(), "typed_config")));
    // on a field of a wrapper type
    assertEquals(
        Set.of("envoy.transport_sockets.downstream"),
        ExtensionSlots.categoriesOf(field(FilterChain.getDescriptor(), "transport_socket")));
    assertEquals(
        Set.of("envoy.filters.http.upstream"),
        ExtensionSlots.categoriesOf(field(Router.getDescriptor(), "upstream_http_filters")));
    assertEquals(
        Set.of("envoy.filters.http.upstream"),
        ExtensionSlots.categoriesOf(field(HttpProtocolOptions.getDescriptor(), "http_filters")));
    assertEquals(
        Set.of("envoy.clusters"),
        ExtensionSlots.categoriesOf(
            field(Cluster.CustomClusterType.getDescriptor(), "typed_config")));
    assertEquals(
        Set.of("envoy.upstream_options"),
        ExtensionSlots.categoriesOf(
            field(Cluster.getDescriptor(), "typed_extension_protocol_options")));
    // not annotated in the protos, added by Outpost
    assertEquals(
        Set.of("envoy.transport_sockets.upstream"),
        ExtensionSlots.categoriesOf(field(Cluster.getDescriptor(), "transport_socket")));
    assertEquals(
        Set.of(ExtensionSlots.PER_ROUTE),
        ExtensionSlots.categoriesOf(field(Route.getDescriptor(), "typed_per_filter_config")));
    // a field that takes no extension
    assertEquals(Set.of(), ExtensionSlots.categoriesOf(field(Route.getDescriptor(), "match")));
    assertEquals(
        Set.of(), ExtensionSlots.categoriesOf(field(TypedExtensionConfig.getDescriptor(), "typed_config")));
  }

  /**
   * Categories the API names whose config types Outpost does not check: their slots take any
   * known type. A new category in a newer API fails this test until it is put in {@link
   * ExtensionCategories} or here.
   */
  private static final ImmutableSet<String> UNCHECKED =
      ImmutableSet.of(
          "envoy.bootstrap",
          "envoy.common.key_value",
          "envoy.config.validators",
          "envoy.generic_proxy.codecs",
          "envoy.generic_proxy.filters",
          "envoy.geoip_providers",
          "envoy.grpc_credentials",
          "envoy.guarddog_actions",
          "envoy.health_check.event_sinks",
          "envoy.http.custom_response",
          "envoy.http.ext_proc.response_processors",
          "envoy.matching.common_inputs",
          "envoy.matching.input_matchers",
          "envoy.network.connection_balance",
          "envoy.quic.connection_debug_visitor",
          "envoy.quic.connection_id_generator",
          "envoy.quic.proof_source",
          "envoy.quic.server.crypto_stream",
          "envoy.quic.server_preferred_address",
          "envoy.regex_engines",
          "envoy.resource_monitors",
          "envoy.stats_sinks",
          "envoy.string_matcher",
          "envoy.thrift_proxy.filters",
          "envoy.tracers.opentelemetry.resource_detectors",
          "envoy.tracers.opentelemetry.samplers",
          "envoy.udp_packet_writer",
          "envoy.upstream.local_address_selector");

  @Test
  void everyCategoryTheApiNamesIsCheckedOrListedAsUnchecked() {
    Set<String> named = Sets.difference(ExtensionSlots.allCategories(), Set.of(ExtensionSlots.PER_ROUTE));
    Set<String> unaccounted =
        Sets.difference(Sets.difference(named, ExtensionCategories.all().keySet()), UNCHECKED);
    assertEquals(Set.of(), unaccounted, "categories neither checked nor listed as unchecked");
    Set<String> checkedButNeverNamed =
        Sets.difference(ExtensionCategories.all().keySet(), named);
    assertEquals(Set.of(), checkedButNeverNamed, "checked categories no field of the API takes");
  }

  @Test
  void everyCategoryNamesTypesOfTheApiAndAcceptsItsExample() {
    ImmutableSet<String> known = EnvoyTypeRegistry.knownMessageNames();
    ImmutableMap<String, ExtensionCategory> all = ExtensionCategories.all();
    for (ExtensionCategory category :
        Sets.union(Set.copyOf(all.values()), Set.of(ExtensionCategories.PER_ROUTE))) {
      assertTrue(known.contains(category.example()), category.example());
      assertTrue(category.accepts(category.example()), category.name());
      for (String prefix : category.packages()) {
        assertTrue(
            known.stream().anyMatch(type -> prefix.endsWith(".") ? type.startsWith(prefix) : type.equals(prefix)),
            category.name() + ": no type of the API under " + prefix);
      }
      assertTrue(!category.accepts(Cluster.getDescriptor().getFullName()), category.name());
    }
  }
}
