package dev.outpost.translator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.outpost.translator.ir.FaultInjection;
import dev.outpost.translator.ir.HeaderOperations;
import dev.outpost.translator.ir.FilterChainPlan;
import dev.outpost.translator.ir.GatewayPort;
import dev.outpost.translator.ir.WeightedDestination;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;
import dev.outpost.translator.ir.Route;
import dev.outpost.translator.ir.RouteMatch;
import dev.outpost.translator.ir.VirtualHost;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListenerEmitterTest {
  private final ListenerEmitter emitter = new ListenerEmitter(new AccessLogEmitter());

  private static GatewayPort port(ImmutableList<VirtualHost> hosts) {
    return GatewayPort.plaintextHttp(80, "0.0.0.0", ImmutableList.of(), hosts);
  }

  private static HttpConnectionManager hcm(Listener listener)
      throws InvalidProtocolBufferException {
    return listener
        .getFilterChains(0)
        .getFilters(0)
        .getTypedConfig()
        .unpack(HttpConnectionManager.class);
  }

  /** What Istio sets on a gateway's connection manager and users would miss without it. */
  @Test
  void connectionManagerBehavesAsIstiosGateway() throws Exception {
    HttpConnectionManager hcm = hcm(emitter.emit(port(ImmutableList.of())));

    assertEquals(1, hcm.getUpgradeConfigsCount(), "WebSocket upgrades are allowed");
    assertEquals("websocket", hcm.getUpgradeConfigs(0).getUpgradeType());
    assertTrue(hcm.hasStreamIdleTimeout(), "set explicitly: Envoy's default is 5 minutes");
    assertEquals(0, hcm.getStreamIdleTimeout().getSeconds());
    assertEquals(0, hcm.getStreamIdleTimeout().getNanos());
    assertTrue(hcm.getNormalizePath().getValue());
    assertEquals(
        HttpConnectionManager.PathWithEscapedSlashesAction.KEEP_UNCHANGED,
        hcm.getPathWithEscapedSlashesAction());
    assertTrue(hcm.getUseRemoteAddress().getValue());
  }

  @Test
  void plaintextPortListensOnAllAddressesWithRdsOverAds() throws Exception {
    Listener listener = emitter.emit(port(ImmutableList.of()));

    assertEquals("0.0.0.0_80", listener.getName());
    assertEquals("0.0.0.0", listener.getAddress().getSocketAddress().getAddress());
    assertEquals(80, listener.getAddress().getSocketAddress().getPortValue());
    HttpConnectionManager hcm = hcm(listener);
    assertEquals("http.80", hcm.getRds().getRouteConfigName());
    ConfigSource source = hcm.getRds().getConfigSource();
    assertTrue(source.hasAds());
    assertEquals(io.envoyproxy.envoy.config.core.v3.ApiVersion.V3, source.getResourceApiVersion());
    assertEquals("outbound_0.0.0.0_80", hcm.getStatPrefix());
    assertEquals(
        ImmutableList.of(ListenerEmitter.FAULT_FILTER, ListenerEmitter.ROUTER_FILTER),
        hcm.getHttpFiltersList().stream()
            .map(HttpFilter::getName)
            .collect(ImmutableList.toImmutableList()));
  }

  @Test
  void listenerDoesNotChangeWhenARouteStartsInjectingFaults() throws Exception {
    Route faulty =
        new Route(
            "r",
            RouteMatch.ANY,
            IrFixtures.forwardTo("outbound|80||a.com"),
            HeaderOperations.NONE,
            HeaderOperations.NONE,
            Optional.of(
                new FaultInjection(
                    Optional.of(new FaultInjection.Delay(Duration.ofSeconds(1), 50)),
                    Optional.empty())));
    GatewayPort port = port(ImmutableList.of(new VirtualHost("a.com", 80, ImmutableList.of(faulty))));

    Listener withFault = emitter.emit(port);
    Listener without =
        emitter.emit(port(ImmutableList.of(new VirtualHost("a.com", 80, ImmutableList.of()))));

    assertEquals(without, withFault, "a listener update would drain the port's connections");
    assertEquals(
        ImmutableList.of(ListenerEmitter.FAULT_FILTER, ListenerEmitter.ROUTER_FILTER),
        hcm(withFault).getHttpFiltersList().stream()
            .map(HttpFilter::getName)
            .collect(ImmutableList.toImmutableList()));
  }

  @Test
  void accessLogIsJsonOnStdoutWithTheFieldsOperatorsLookFor() throws Exception {
    HttpConnectionManager hcm = hcm(emitter.emit(port(ImmutableList.of())));

    assertEquals(1, hcm.getAccessLogCount());
    assertEquals(AccessLogEmitter.STDOUT_LOGGER, hcm.getAccessLog(0).getName());
    StdoutAccessLog stdout = hcm.getAccessLog(0).getTypedConfig().unpack(StdoutAccessLog.class);
    var fields = stdout.getLogFormat().getJsonFormat().getFieldsMap();
    for (String field :
        ImmutableList.of(
            "start_time",
            "method",
            "path",
            "protocol",
            "response_code",
            "response_flags",
            "response_code_details",
            "connection_termination_details",
            "authority",
            "upstream_cluster",
            "upstream_host",
            "upstream_transport_failure_reason",
            "downstream_remote_address",
            "downstream_peer_uri_san",
            "requested_server_name",
            "route_name",
            "bytes_received",
            "bytes_sent",
            "duration")) {
      assertTrue(fields.containsKey(field), "access log lacks " + field);
    }
    assertEquals("%UPSTREAM_CLUSTER%", fields.get("upstream_cluster").getStringValue());
    assertFalse(stdout.getLogFormat().hasTextFormatSource());
  }

  @Test
  void bindAddressNamesTheListener() {
    Listener listener =
        emitter.emit(GatewayPort.plaintextHttp(8080, "127.0.0.1", ImmutableList.of(), ImmutableList.of()));
    assertEquals("127.0.0.1_8080", listener.getName());
  }

  @Test
  void plaintextHttpHasNoListenerFilterOrChainMatch() {
    Listener listener = emitter.emit(port(ImmutableList.of()));
    assertEquals(0, listener.getListenerFiltersCount(), "the TLS inspector would only add latency");
    assertFalse(listener.getFilterChains(0).hasFilterChainMatch());
    assertFalse(listener.getFilterChains(0).hasTransportSocket());
  }

  @Test
  void sniChainsGetTheTlsInspectorAndTcpProxyChainsLogConnections() throws Exception {
    FilterChainPlan.TcpProxy passthrough =
        new FilterChainPlan.TcpProxy(
            ImmutableList.of(
                new WeightedDestination("outbound|443|v1|a.com", 80),
                new WeightedDestination("outbound|443|v2|a.com", 20)),
            ImmutableList.of("a.com"),
            Optional.empty());
    Listener listener =
        emitter.emit(
            new GatewayPort(443, "0.0.0.0", ImmutableList.of(), ImmutableList.of(passthrough)));

    assertEquals(ListenerEmitter.TLS_INSPECTOR, listener.getListenerFilters(0).getName());
    FilterChain chain = listener.getFilterChains(0);
    assertEquals(List.of("a.com"), chain.getFilterChainMatch().getServerNamesList());
    assertEquals(TcpProxyEmitter.TCP_PROXY_FILTER, chain.getFilters(0).getName());
    TcpProxy proxy = chain.getFilters(0).getTypedConfig().unpack(TcpProxy.class);
    assertEquals(
        List.of(80, 20),
        proxy.getWeightedClusters().getClustersList().stream()
            .map(TcpProxy.WeightedCluster.ClusterWeight::getWeight)
            .toList());
    assertEquals(AccessLogEmitter.STDOUT_LOGGER, proxy.getAccessLog(0).getName());
  }
}
