package dev.outpost.it.hostile;

import static dev.outpost.it.hostile.CaseFiles.text;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;

/**
 * EnvoyFilter values of the wrong type for their slot: a Cluster, a Listener or a network filter's
 * config as an HTTP filter's typed_config, an HTTP filter's config in a network filter, the same
 * hidden in a nested Any or a TypedStruct, unknown and malformed type URLs, a value that is not a
 * map. Envoy rejects the whole listener for any of them; Outpost must refuse the patch, name it,
 * and keep serving the rest.
 */
final class EnvoyFilterTypeCases {
  private EnvoyFilterTypeCases() {}

  static final String SUBJECT = "EnvoyFilter istio-system/hostile:";
  static final String PATCH = "spec.configPatches[0]";

  static String httpFilter(String typedConfig) {
    return """
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: {name: hostile, namespace: istio-system}
        spec:
          workloadSelector: {labels: {istio: egressgateway}}
          configPatches:
          - applyTo: HTTP_FILTER
            match:
              context: GATEWAY
              listener:
                filterChain:
                  filter:
                    name: envoy.filters.network.http_connection_manager
                    subFilter: {name: envoy.filters.http.router}
            patch:
              operation: INSERT_BEFORE
              value:
                name: hostile.filter
                typed_config: %s
        """.formatted(typedConfig);
  }

  static String networkFilter(String typedConfig) {
    return """
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: {name: hostile, namespace: istio-system}
        spec:
          workloadSelector: {labels: {istio: egressgateway}}
          configPatches:
          - applyTo: NETWORK_FILTER
            match:
              context: GATEWAY
              listener:
                filterChain:
                  filter: {name: envoy.filters.network.http_connection_manager}
            patch:
              operation: INSERT_BEFORE
              value:
                name: hostile.network.filter
                typed_config: %s
        """.formatted(typedConfig);
  }

  static final String CLUSTER = "{'@type': type.googleapis.com/envoy.config.cluster.v3.Cluster, name: c, connect_timeout: 1s}";

  /** Each case's name, its EnvoyFilter, and whether it needs the category check (item 5). */
  record Variant(String what, String yaml, boolean needsCategories) {}

  static List<Variant> variants() {
    String any = "type.googleapis.com/google.protobuf.Any";
    return List.of(
        new Variant("http-filter-typed-config-is-a-cluster", httpFilter(CLUSTER), true),
        new Variant("http-filter-typed-config-is-a-listener",
            httpFilter("{'@type': type.googleapis.com/envoy.config.listener.v3.Listener, name: l}"), true),
        new Variant("http-filter-typed-config-is-a-network-filter",
            httpFilter("{'@type': type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: c}"), false),
        new Variant("http-filter-typed-config-is-a-nested-any-of-a-cluster",
            httpFilter("{'@type': " + any + ", value: " + CLUSTER + "}"), true),
        new Variant("http-filter-typed-config-is-any-in-any-in-any",
            httpFilter("{'@type': " + any + ", value: {'@type': " + any + ", value: " + CLUSTER + "}}"), true),
        new Variant("http-filter-typed-struct-of-a-cluster",
            httpFilter("{'@type': type.googleapis.com/udpa.type.v1.TypedStruct, type_url: type.googleapis.com/envoy.config.cluster.v3.Cluster, value: {name: c}}"), true),
        new Variant("http-filter-xds-typed-struct-of-a-listener",
            httpFilter("{'@type': type.googleapis.com/xds.type.v3.TypedStruct, type_url: type.googleapis.com/envoy.config.listener.v3.Listener, value: {name: l}}"), true),
        new Variant("network-filter-typed-config-is-the-http-router",
            networkFilter("{'@type': type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}"), true),
        new Variant("network-filter-typed-config-is-a-cluster", networkFilter(CLUSTER), true),
        new Variant("http-filter-typed-config-of-an-unknown-type",
            httpFilter("{'@type': type.googleapis.com/does.not.Exist, x: 1}"), false),
        new Variant("http-filter-typed-config-without-type", httpFilter("{stat_prefix: x}"), false),
        new Variant("http-filter-typed-config-type-url-without-host",
            httpFilter("{'@type': envoy.extensions.filters.http.router.v3.Router}"), false),
        new Variant("http-filter-typed-config-is-a-string", httpFilter("'type.googleapis.com/envoy.config.cluster.v3.Cluster'"), false),
        new Variant("http-filter-value-is-a-list",
            httpFilter("{}").replace("              value:\n                name: hostile.filter\n                typed_config: {}\n",
                "              value: [name, hostile.filter]\n"), false));
  }

  static List<HostileCase> cases() {
    List<HostileCase> cases = new ArrayList<>();
    for (Variant v : variants()) {
      HostileCase file = HostileCase.file("envoyfilter-type", v.what(), text(v.yaml()), SUBJECT, PATCH).viaTranslateCommand();
      cases.add(v.needsCategories() ? file.needing(Needs.FILTER_TYPES) : file);
    }
    for (Variant v : variants().subList(0, 9)) {
      if (v.what().contains("cluster") || v.what().contains("router")) {
        cases.add(HostileCase.kubernetes("envoyfilter-type", v.what(), ImmutableList.of(v.yaml()), SUBJECT, PATCH).needing(Needs.FILTER_TYPES));
      }
    }
    return cases;
  }
}
