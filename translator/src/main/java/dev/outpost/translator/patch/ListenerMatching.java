package dev.outpost.translator.patch;

import dev.outpost.translator.model.EnvoyFilter.FilterChainMatch;
import dev.outpost.translator.model.EnvoyFilter.FilterMatch;
import dev.outpost.translator.model.EnvoyFilter.ListenerMatch;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.Optional;

/**
 * {@code match.listener} against listeners, filter chains, network filters and HTTP filters, each
 * level assuming the ones above it matched. Every field given must match; a level not given
 * matches anything.
 */
final class ListenerMatching {
  static final String TLS = "tls";
  static final String RAW_BUFFER = "raw_buffer";

  private ListenerMatching() {}

  /** {@code name}, and {@code portNumber} against the listener's socket port. */
  static boolean listener(Listener listener, Optional<ListenerMatch> match) {
    if (match.isEmpty()) {
      return true;
    }
    ListenerMatch m = match.get();
    if (m.name().isPresent() && !m.name().get().equals(listener.getName())) {
      return false;
    }
    return m.portNumber().isEmpty()
        || (listener.getAddress().hasSocketAddress()
            && listener.getAddress().getSocketAddress().getPortValue() == m.portNumber().getAsInt());
  }

  /** {@code filterChain.name}, {@code sni} (one of the chain's server names), {@code transportProtocol}. */
  static boolean chain(FilterChain chain, Optional<ListenerMatch> match) {
    Optional<FilterChainMatch> chainMatch = match.flatMap(ListenerMatch::filterChain);
    if (chainMatch.isEmpty()) {
      return true;
    }
    FilterChainMatch m = chainMatch.get();
    if (m.name().isPresent() && !m.name().get().equals(chain.getName())) {
      return false;
    }
    if (m.sni().isPresent()
        && !chain.getFilterChainMatch().getServerNamesList().contains(m.sni().get())) {
      return false;
    }
    return m.transportProtocol().isEmpty()
        || m.transportProtocol().get().equals(transportProtocol(chain));
  }

  /**
   * The transport protocol a chain serves. Outpost's chains do not set {@code
   * filter_chain_match.transport_protocol}; a chain that terminates TLS or is chosen by SNI serves
   * TLS connections, the others plaintext ({@code raw_buffer}).
   */
  static String transportProtocol(FilterChain chain) {
    String declared = chain.getFilterChainMatch().getTransportProtocol();
    if (!declared.isEmpty()) {
      return declared;
    }
    return chain.hasTransportSocket() || chain.getFilterChainMatch().getServerNamesCount() > 0
        ? TLS
        : RAW_BUFFER;
  }

  static Optional<FilterMatch> filterMatch(Optional<ListenerMatch> match) {
    return match.flatMap(ListenerMatch::filterChain).flatMap(FilterChainMatch::filter);
  }

  /** {@code filter.name} (legacy names included); no filter match selects every filter. */
  static boolean networkFilter(Filter filter, Optional<ListenerMatch> match) {
    return filterMatch(match).map(m -> FilterNames.same(m.name(), filter.getName())).orElse(true);
  }

  static Optional<String> subFilter(Optional<ListenerMatch> match) {
    return filterMatch(match).flatMap(FilterMatch::subFilter);
  }

  /** {@code filter.subFilter.name}; no sub-filter match selects every HTTP filter. */
  static boolean httpFilter(HttpFilter filter, Optional<ListenerMatch> match) {
    return subFilter(match).map(name -> FilterNames.same(name, filter.getName())).orElse(true);
  }
}
