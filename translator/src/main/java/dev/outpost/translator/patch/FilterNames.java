package dev.outpost.translator.patch;

import com.google.common.collect.ImmutableMap;

/**
 * Filter names as a match compares them: the deprecated names Envoy dropped in 1.14 (still in many
 * EnvoyFilters written for older Istio) stand for the canonical ones Outpost emits.
 */
final class FilterNames {
  static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";

  private static final ImmutableMap<String, String> CANONICAL =
      ImmutableMap.of(
          "envoy.http_connection_manager", HTTP_CONNECTION_MANAGER,
          "envoy.tcp_proxy", "envoy.filters.network.tcp_proxy",
          "envoy.router", "envoy.filters.http.router",
          "envoy.fault", "envoy.filters.http.fault");

  private FilterNames() {}

  static String canonical(String name) {
    return CANONICAL.getOrDefault(name, name);
  }

  static boolean same(String matchName, String filterName) {
    return canonical(matchName).equals(canonical(filterName));
  }
}
