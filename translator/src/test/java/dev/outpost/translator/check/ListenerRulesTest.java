package dev.outpost.translator.check;

import static dev.outpost.translator.check.SnapshotFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener rules Envoy's listener manager enforces, through {@link SnapshotChecker}. */
class ListenerRulesTest {
  private final SnapshotChecker checker = new SnapshotChecker();

  private static FilterChain.Builder chain(String... serverNames) {
    FilterChain.Builder chain =
        tcpListener(TcpProxy.newBuilder().setStatPrefix("tcp").setCluster(DNS_CLUSTER).build())
            .getFilterChains(0)
            .toBuilder();
    if (serverNames.length > 0) {
      chain.setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(List.of(serverNames)));
    }
    return chain;
  }

  private static Listener listener(boolean inspector, FilterChain.Builder... chains) {
    Listener.Builder listener =
        Listener.newBuilder().setName("0.0.0.0_443").setAddress(address("0.0.0.0", 443));
    for (FilterChain.Builder c : chains) {
      listener.addFilterChains(c);
    }
    if (inspector) {
      listener.addListenerFilters(
          ListenerFilter.newBuilder()
              .setName(ListenerRules.TLS_INSPECTOR)
              .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())));
    }
    return listener.build();
  }

  private List<String> problems(Listener listener) {
    return checker.check(withListeners(validSnapshot(), listener)).problems();
  }

  @Test
  void exactNamesSuffixWildcardsAndOneCatchAllPass() {
    List<String> problems =
        problems(listener(true, chain("api.example.com", "*.example.org"), chain()));
    assertTrue(problems.isEmpty(), () -> problems.toString());
  }

  @Test
  void aBareStarOrPartialWildcardIsRejected() {
    assertEquals(
        List.of(
            "Listener 0.0.0.0_443: .filter_chains[0].filter_chain_match.server_names[0]: Envoy"
                + " accepts only exact names and *.suffix wildcards here (a bare * or a partial"
                + " wildcard rejects the listener); match any name with no server_names",
            "Listener 0.0.0.0_443: .filter_chains[0].filter_chain_match.server_names[1]: Envoy"
                + " accepts only exact names and *.suffix wildcards here (a bare * or a partial"
                + " wildcard rejects the listener); match any name with no server_names"),
        problems(listener(true, chain("*", "api*.example.com", "*.example.com"))));
  }

  @Test
  void twoChainsForOneNameOrTwoCatchAllsAreRejected() {
    assertEquals(
        List.of(
            "Listener 0.0.0.0_443: .filter_chains[1].filter_chain_match: the same matching rules"
                + " as .filter_chains[0] for server name \"api.example.com\"; Envoy rejects a"
                + " listener with two such chains",
            "Listener 0.0.0.0_443: .filter_chains[3].filter_chain_match: the same matching rules"
                + " as .filter_chains[2] (no server_names); Envoy rejects a listener with two such"
                + " chains"),
        problems(
            listener(
                true,
                chain("api.example.com", "a.example.com"),
                chain("b.example.com", "api.example.com"),
                chain(),
                chain())));
  }

  @Test
  void sniChainsWithoutTheTlsInspectorAreRejected() {
    assertEquals(
        List.of(
            "Listener 0.0.0.0_443: .listener_filters: filter chains match on SNI, transport"
                + " protocol or ALPN, which only the TLS inspector listener filter"
                + " (envoy.filters.listener.tls_inspector) reads; without it those chains never"
                + " match"),
        problems(listener(false, chain("api.example.com"))));
    assertTrue(problems(listener(false, chain())).isEmpty(), "no SNI match, no inspector needed");
  }
}
