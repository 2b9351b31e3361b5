package dev.outpost.translator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.composite.v3.ExecuteFilterAction;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each extension slot an EnvoyFilter can reach refuses a config of the wrong type. */
class ExtensionTypeRulesTest {
  private static final Cluster CLUSTER = Cluster.newBuilder().setName("c").build();
  private static final HttpFilter ROUTER =
      HttpFilter.newBuilder()
          .setName("envoy.filters.http.router")
          .setTypedConfig(Any.pack(Router.getDefaultInstance()))
          .build();

  private static List<String> problems(Message message) {
    return ExtensionTypeRules.check(message).stream()
        .map(p -> p.path() + ": " + p.problem())
        .toList();
  }

  private static HttpFilter httpFilter(Message config) {
    return HttpFilter.newBuilder().setName("x").setTypedConfig(Any.pack(config)).build();
  }

  private static Listener listenerWithHttpFilters(HttpFilter... filters) {
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

  private static Struct struct(String typeUrl) {
    return Struct.newBuilder()
        .putFields("type_url", Value.newBuilder().setStringValue(typeUrl).build())
        .build();
  }

  @Test
  void aClusterAsAnHttpFilterIsRefused() {
    assertEquals(
        List.of(
            ".typed_config: type envoy.config.cluster.v3.Cluster is not an HTTP filter"
                + " (envoy.filters.http); use one of e.g."
                + " envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"),
        problems(httpFilter(CLUSTER)));
    assertEquals(List.of(), problems(httpFilter(LocalRateLimit.newBuilder().setStatPrefix("s").build())));
  }

  @Test
  void theCheckerNamesTheSlotInsideTheListener() {
    Listener listener =
        listenerWithHttpFilters(httpFilter(TcpProxy.getDefaultInstance()), ROUTER);
    List<String> problems = new SnapshotChecker().checkConstraints("Listener", "l", listener).problems();
    assertEquals(
        List.of(
            "Listener l: .filter_chains[0].filters[0].typed_config.http_filters[0].typed_config:"
                + " type envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy is not an HTTP"
                + " filter (envoy.filters.http); use one of e.g."
                + " envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"),
        problems.stream().filter(p -> p.contains("is not")).toList());
    assertEquals(List.of(), problems(listenerWithHttpFilters(ROUTER)));
  }

  @Test
  void networkListenerAndAccessLogSlots() {
    Filter httpFilterAsNetworkFilter =
        Filter.newBuilder().setName("n").setTypedConfig(Any.pack(Router.getDefaultInstance())).build();
    assertEquals(
        List.of(
            ".typed_config: type envoy.extensions.filters.http.router.v3.Router is not a network"
                + " filter (envoy.filters.network); use one of e.g."
                + " envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy"),
        problems(httpFilterAsNetworkFilter));

    ListenerFilter wrongListenerFilter =
        ListenerFilter.newBuilder().setName("t").setTypedConfig(Any.pack(CLUSTER)).build();
    assertEquals(
        List.of(
            ".typed_config: type envoy.config.cluster.v3.Cluster is not a listener filter or a UDP"
                + " listener filter (envoy.filters.listener, envoy.filters.udp_listener); use one"
                + " of e.g. envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector"),
        problems(wrongListenerFilter));
    assertEquals(
        List.of(),
        problems(
            ListenerFilter.newBuilder()
                .setName("t")
                .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance()))
                .build()));

    // A Struct is no extension config (outside a TypedStruct).
    AccessLog structLog =
        AccessLog.newBuilder().setName("a").setTypedConfig(Any.pack(Struct.getDefaultInstance())).build();
    assertEquals(
        List.of(
            ".typed_config: type google.protobuf.Struct is not an access logger"
                + " (envoy.access_loggers); use one of e.g."
                + " envoy.extensions.access_loggers.file.v3.FileAccessLog"),
        problems(structLog));
    assertEquals(
        List.of(),
        problems(
            AccessLog.newBuilder()
                .setName("a")
                .setTypedConfig(Any.pack(StdoutAccessLog.getDefaultInstance()))
                .build()));
  }

  @Test
  void transportSocketsByDirection() {
    Cluster downstreamTlsOnACluster =
        CLUSTER.toBuilder()
            .setTransportSocket(
                TransportSocket.newBuilder()
                    .setName("envoy.transport_sockets.tls")
                    .setTypedConfig(Any.pack(DownstreamTlsContext.getDefaultInstance())))
            .build();
    assertEquals(
        List.of(
            ".transport_socket.typed_config: type"
                + " envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext is not an"
                + " upstream transport socket (envoy.transport_sockets.upstream); use one of e.g."
                + " envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext"),
        problems(downstreamTlsOnACluster));
    assertEquals(
        List.of(),
        problems(
            CLUSTER.toBuilder()
                .setTransportSocket(
                    TransportSocket.newBuilder()
                        .setName("envoy.transport_sockets.tls")
                        .setTypedConfig(Any.pack(UpstreamTlsContext.getDefaultInstance())))
                .build()));
    FilterChain upstreamTlsOnAChain =
        FilterChain.newBuilder()
            .setTransportSocket(
                TransportSocket.newBuilder()
                    .setName("envoy.transport_sockets.tls")
                    .setTypedConfig(Any.pack(UpstreamTlsContext.getDefaultInstance())))
            .build();
    assertEquals(1, problems(upstreamTlsOnAChain).size());
  }

  @Test
  void aWrongTypeNestedInAFiltersConfigIsFound() {
    // The router's upstream_http_filters are upstream HTTP filters: the field's category wins
    // over the HttpFilter's own annotation.
    Router router =
        Router.newBuilder()
            .addUpstreamHttpFilters(httpFilter(CLUSTER))
            .addUpstreamHttpFilters(httpFilter(UpstreamCodec.getDefaultInstance()))
            .build();
    assertEquals(
        List.of(
            ".http_filters[0].typed_config.upstream_http_filters[0].typed_config: type"
                + " envoy.config.cluster.v3.Cluster is not an upstream HTTP filter"
                + " (envoy.filters.http.upstream); use one of e.g."
                + " envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec"),
        problems(
            HttpConnectionManager.newBuilder()
                .addHttpFilters(httpFilter(router))
                .build()));

    // The composite filter's action holds an HTTP filter in a TypedExtensionConfig.
    ExecuteFilterAction action =
        ExecuteFilterAction.newBuilder()
            .setTypedConfig(
                TypedExtensionConfig.newBuilder().setName("inner").setTypedConfig(Any.pack(CLUSTER)))
            .build();
    assertEquals(
        List.of(
            ".typed_config.typed_config: type envoy.config.cluster.v3.Cluster is not an HTTP"
                + " filter (envoy.filters.http); use one of e.g."
                + " envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"),
        problems(action));
  }

  @Test
  void perRouteConfigsMustBeHttpFilterConfigs() {
    Route route =
        Route.newBuilder()
            .putTypedPerFilterConfig("envoy.filters.http.local_ratelimit", Any.pack(CLUSTER))
            .putTypedPerFilterConfig(
                "envoy.filters.http.fault",
                Any.pack(FilterConfig.newBuilder().setConfig(Any.pack(CLUSTER)).build()))
            .build();
    VirtualHost vhost =
        VirtualHost.newBuilder()
            .setName("v")
            .addRoutes(route)
            .putTypedPerFilterConfig(
                "envoy.filters.http.local_ratelimit",
                Any.pack(LocalRateLimit.newBuilder().setStatPrefix("s").build()))
            .build();
    assertEquals(
        List.of(
            ".virtual_hosts[0].routes[0].typed_per_filter_config[\"envoy.filters.http.local_ratelimit\"]:"
                + " type envoy.config.cluster.v3.Cluster is not the per-route config of an HTTP"
                + " filter (Envoy finds the filter it configures by this type); use one of e.g."
                + " envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
            ".virtual_hosts[0].routes[0].typed_per_filter_config[\"envoy.filters.http.fault\"].config:"
                + " type envoy.config.cluster.v3.Cluster is not the per-route config of an HTTP"
                + " filter (Envoy finds the filter it configures by this type); use one of e.g."
                + " envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"),
        problems(RouteConfiguration.newBuilder().setName("r").addVirtualHosts(vhost).build()));
  }

  @Test
  void aFilterWithItsOwnPerRouteTypeTakesOnlyThatPerRoute() {
    VirtualHost luaMainConfigPerRoute =
        VirtualHost.newBuilder()
            .setName("v")
            .putTypedPerFilterConfig(
                "envoy.filters.http.lua",
                Any.pack(io.envoyproxy.envoy.extensions.filters.http.lua.v3.Lua.getDefaultInstance()))
            .putTypedPerFilterConfig(
                "envoy.filters.http.rbac",
                Any.pack(
                    io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute
                        .getDefaultInstance()))
            .build();
    assertEquals(
        List.of(
            ".typed_per_filter_config[\"envoy.filters.http.lua\"]: type"
                + " envoy.extensions.filters.http.lua.v3.Lua is not the filter's per-route config:"
                + " Envoy reads a typed_per_filter_config value of this filter as"
                + " envoy.extensions.filters.http.lua.v3.LuaPerRoute and rejects the route"
                + " configuration; use envoy.extensions.filters.http.lua.v3.LuaPerRoute"),
        problems(luaMainConfigPerRoute));
  }

  @Test
  void aTypedStructIsJudgedByTheTypeItNames() {
    Any clusterInTypedStruct =
        Any.newBuilder()
            .setTypeUrl("type.googleapis.com/xds.type.v3.TypedStruct")
            .setValue(
                com.github.xds.type.v3.TypedStruct.newBuilder()
                    .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster")
                    .build()
                    .toByteString())
            .build();
    HttpFilter filter = HttpFilter.newBuilder().setName("x").setTypedConfig(clusterInTypedStruct).build();
    assertEquals(
        List.of(
            ".typed_config: type envoy.config.cluster.v3.Cluster (in a TypedStruct) is not an HTTP"
                + " filter (envoy.filters.http); use one of e.g."
                + " envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"),
        problems(filter));

    HttpFilter good =
        HttpFilter.newBuilder()
            .setName("x")
            .setTypedConfig(
                Any.pack(
                    com.github.xds.type.v3.TypedStruct.newBuilder()
                        .setTypeUrl(
                            "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit")
                        .setValue(Struct.getDefaultInstance())
                        .build()))
            .build();
    assertEquals(List.of(), problems(good));

    HttpFilter unknown =
        HttpFilter.newBuilder()
            .setName("x")
            .setTypedConfig(
                Any.pack(
                    com.github.xds.type.v3.TypedStruct.newBuilder()
                        .setTypeUrl("type.googleapis.com/istio.no.Such")
                        .build()))
            .build();
    assertEquals(
        List.of(
            ".typed_config.type_url: unknown type URL \"type.googleapis.com/istio.no.Such\": not a"
                + " message of the Envoy API; Envoy rejects extension configs it does not know"),
        problems(unknown));
  }

  @Test
  void slotsOfUncheckedCategoriesTakeAnyKnownType() {
    // envoy.matching.common_inputs depends on the matcher's context: not checked.
    var matcher =
        io.envoyproxy.envoy.config.common.matcher.v3.Matcher.MatcherList.Predicate.SinglePredicate
            .newBuilder()
            .setInput(TypedExtensionConfig.newBuilder().setName("i").setTypedConfig(Any.pack(struct("x"))))
            .build();
    assertEquals(List.of(), problems(matcher));
  }
}
