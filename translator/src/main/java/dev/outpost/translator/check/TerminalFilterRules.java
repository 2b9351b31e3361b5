package dev.outpost.translator.check;

import com.google.common.collect.ImmutableSet;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Envoy's terminal filter rule, checked when it loads a listener: a terminal filter (one that ends
 * the request's or connection's journey, such as the router) must be the last of its chain, and an
 * HTTP filter chain must end with one ("terminal filter ... must be the last filter", "non-terminal
 * filter ... is the last filter"). Outpost's own chains always comply; an EnvoyFilter that ADDs an
 * HTTP filter (which appends it after the router) or removes the router does not.
 *
 * <p>Only the terminal filters Outpost emits are known here: the router among HTTP filters, the
 * connection manager and tcp_proxy among network filters. A network chain's last filter is not
 * checked for being terminal: which of Envoy's many network filters are terminal is not known here.
 */
final class TerminalFilterRules {
  static final String ROUTER = "envoy.filters.http.router";
  private static final ImmutableSet<String> TERMINAL_NETWORK_FILTERS =
      ImmutableSet.of(
          "envoy.filters.network.http_connection_manager", "envoy.filters.network.tcp_proxy");

  private TerminalFilterRules() {}

  static void check(Listener listener, BiConsumer<String, String> problems) {
    List<FilterChain> chains = listener.getFilterChainsList();
    for (int i = 0; i < chains.size(); i++) {
      check(chains.get(i), ".filter_chains[" + i + "]", problems);
    }
    if (listener.hasDefaultFilterChain()) {
      check(listener.getDefaultFilterChain(), ".default_filter_chain", problems);
    }
  }

  private static void check(FilterChain chain, String path, BiConsumer<String, String> problems) {
    List<Filter> filters = chain.getFiltersList();
    for (int j = 0; j < filters.size(); j++) {
      Filter filter = filters.get(j);
      String filterPath = path + ".filters[" + j + "]";
      if (TERMINAL_NETWORK_FILTERS.contains(filter.getName()) && j < filters.size() - 1) {
        problems.accept(
            filterPath,
            "terminal filter " + filter.getName() + " must be the last network filter of its chain"
                + " (Envoy rejects the listener); insert other filters before it");
      }
      if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
        try {
          HttpConnectionManager hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class);
          checkHttpFilters(hcm.getHttpFiltersList(), filterPath + ".typed_config", problems);
        } catch (InvalidProtocolBufferException e) {
          // the PGV walk reports an Any that does not unpack
        }
      }
    }
  }

  private static void checkHttpFilters(
      List<HttpFilter> filters, String path, BiConsumer<String, String> problems) {
    for (int k = 0; k < filters.size(); k++) {
      HttpFilter filter = filters.get(k);
      boolean last = k == filters.size() - 1;
      String filterPath = path + ".http_filters[" + k + "]";
      if (filter.getName().equals(ROUTER) && !last) {
        problems.accept(
            filterPath,
            "terminal filter " + ROUTER + " must be the last HTTP filter (Envoy rejects the"
                + " listener); put other filters before it (INSERT_BEFORE the router rather than"
                + " ADD)");
      } else if (last && !filter.getName().equals(ROUTER)) {
        problems.accept(
            filterPath,
            "the last HTTP filter must be the terminal " + ROUTER + ", not " + filter.getName()
                + " (Envoy rejects the listener)");
      }
    }
  }
}
