package dev.outpost.translator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalFilterRulesTest {
  private static final HttpFilter ROUTER =
      HttpFilter.newBuilder()
          .setName("envoy.filters.http.router")
          .setTypedConfig(Any.pack(Router.getDefaultInstance()))
          .build();
  private static final HttpFilter CORS =
      HttpFilter.newBuilder()
          .setName("envoy.filters.http.cors")
          .setTypedConfig(Any.pack(Cors.getDefaultInstance()))
          .build();
  private static final Filter TCP_PROXY =
      Filter.newBuilder()
          .setName("envoy.filters.network.tcp_proxy")
          .setTypedConfig(Any.pack(TcpProxy.newBuilder().setStatPrefix("t").setCluster("c").build()))
          .build();
  private static final Filter OTHER_NETWORK_FILTER =
      Filter.newBuilder().setName("envoy.filters.network.connection_limit").build();

  private static Listener withHttpFilters(HttpFilter... filters) {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder().setStatPrefix("s").addAllHttpFilters(List.of(filters)).build();
    return Listener.newBuilder()
        .setName("l")
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(hcm))))
        .build();
  }

  private static List<String> problems(Listener listener) {
    List<String> out = new ArrayList<>();
    TerminalFilterRules.check(listener, (path, problem) -> out.add(path + ": " + problem));
    return out;
  }

  @Test
  void theRouterLastIsFine() {
    assertEquals(List.of(), problems(withHttpFilters(CORS, ROUTER)));
    assertEquals(List.of(), problems(withHttpFilters()));
  }

  @Test
  void aFilterAfterTheRouterIsAProblem() {
    assertEquals(
        List.of(
            ".filter_chains[0].filters[0].typed_config.http_filters[0]: terminal filter"
                + " envoy.filters.http.router must be the last HTTP filter (Envoy rejects the"
                + " listener); put other filters before it (INSERT_BEFORE the router rather than"
                + " ADD)",
            ".filter_chains[0].filters[0].typed_config.http_filters[1]: the last HTTP filter must be"
                + " the terminal envoy.filters.http.router, not envoy.filters.http.cors (Envoy"
                + " rejects the listener)"),
        problems(withHttpFilters(ROUTER, CORS)));
  }

  @Test
  void withoutTheRouterTheLastFilterIsAProblem() {
    assertEquals(1, problems(withHttpFilters(CORS)).size());
  }

  @Test
  void aNetworkFilterAfterTcpProxyIsAProblemBeforeItIsNot() {
    Listener after =
        Listener.newBuilder()
            .setName("l")
            .addFilterChains(FilterChain.newBuilder().addFilters(TCP_PROXY).addFilters(OTHER_NETWORK_FILTER))
            .build();
    Listener before =
        Listener.newBuilder()
            .setName("l")
            .setDefaultFilterChain(FilterChain.newBuilder().addFilters(OTHER_NETWORK_FILTER).addFilters(TCP_PROXY))
            .build();

    assertEquals(
        List.of(
            ".filter_chains[0].filters[0]: terminal filter envoy.filters.network.tcp_proxy must be"
                + " the last network filter of its chain (Envoy rejects the listener); insert other"
                + " filters before it"),
        problems(after));
    assertEquals(List.of(), problems(before));
  }
}
