package dev.outpost.translator.check;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What Envoy's listener manager checks when it adds a listener, beyond the PGV constraints: each
 * of these makes Envoy reject the whole listener (every server on the port with it) or leaves its
 * SNI chains unreachable, so a snapshot with one of them must never be published.
 *
 * <ul>
 *   <li>{@code server_names} are exact names or {@code *.suffix}; anything else with a {@code *}
 *       (including a bare {@code *}) is a "partial wildcard" Envoy refuses.
 *   <li>No two chains have the same matching rules ("multiple filter chains with the same
 *       matching rules are defined"). Checked per server name with the rest of the match equal,
 *       the way Outpost builds chains; a chain without server names counts as the name "".
 *   <li>A chain that matches on SNI, transport protocol or ALPN only ever matches after the TLS
 *       inspector listener filter has read the ClientHello; without it Envoy sees none of them.
 * </ul>
 */
final class ListenerRules {
  static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";

  private ListenerRules() {}

  static void check(Listener listener, BiConsumer<String, String> problems) {
    Map<FilterChainMatch, Integer> firstChainByMatch = new HashMap<>();
    boolean needsInspector = false;
    List<FilterChain> chains = listener.getFilterChainsList();
    for (int i = 0; i < chains.size(); i++) {
      FilterChainMatch match = chains.get(i).getFilterChainMatch();
      String matchPath = ".filter_chains[" + i + "].filter_chain_match";
      needsInspector |=
          match.getServerNamesCount() > 0
              || !match.getTransportProtocol().isEmpty()
              || match.getApplicationProtocolsCount() > 0;
      List<String> names = match.getServerNamesList();
      for (int j = 0; j < names.size(); j++) {
        if (!validServerName(names.get(j))) {
          problems.accept(
              matchPath + ".server_names[" + j + "]",
              "Envoy accepts only exact names and *.suffix wildcards here (a bare * or a partial"
                  + " wildcard rejects the listener); match any name with no server_names");
        }
      }
      List<String> keys = names.isEmpty() ? List.of("") : names;
      for (String name : keys) {
        FilterChainMatch key = match.toBuilder().clearServerNames().addServerNames(name).build();
        Integer first = firstChainByMatch.putIfAbsent(key, i);
        if (first != null && first != i) {
          problems.accept(
              matchPath,
              "the same matching rules as .filter_chains["
                  + first
                  + "]"
                  + (name.isEmpty() ? " (no server_names)" : " for server name \"" + name + "\"")
                  + "; Envoy rejects a listener with two such chains");
        }
      }
    }
    if (needsInspector && !hasTlsInspector(listener)) {
      problems.accept(
          ".listener_filters",
          "filter chains match on SNI, transport protocol or ALPN, which only the TLS inspector"
              + " listener filter ("
              + TLS_INSPECTOR
              + ") reads; without it those chains never match");
    }
  }

  private static boolean validServerName(String name) {
    int star = name.indexOf('*');
    return star < 0 || (name.startsWith("*.") && name.indexOf('*', 1) < 0 && name.length() > 2);
  }

  private static boolean hasTlsInspector(Listener listener) {
    for (ListenerFilter filter : listener.getListenerFiltersList()) {
      if (filter.getName().equals(TLS_INSPECTOR)
          || filter.getTypedConfig().is(TlsInspector.class)) {
        return true;
      }
    }
    return false;
  }
}
