package dev.outpost.translator.emit;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.outpost.translator.ir.Authorization;
import dev.outpost.translator.ir.ClientProxy;
import dev.outpost.translator.ir.FilterChainPlan;
import dev.outpost.translator.ir.GatewayPort;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.time.Duration;

/**
 * A gateway port becomes listener {@code 0.0.0.0_PORT} with one filter chain per {@link
 * FilterChainPlan}: HTTP chains run a connection manager that fetches its route config over ADS
 * ({@code http.PORT} for plaintext servers, {@code https.PORT.NAME.GATEWAY.NS} per terminating
 * server), TCP chains a tcp_proxy. Chains that match SNI or terminate TLS need the TLS inspector
 * listener filter; a connection whose SNI matches no chain is closed by Envoy.
 */
public final class ListenerEmitter {
  public static final String HCM_FILTER = "envoy.filters.network.http_connection_manager";
  public static final String FAULT_FILTER = "envoy.filters.http.fault";
  public static final String ROUTER_FILTER = "envoy.filters.http.router";

  public static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";

  private final AccessLogEmitter accessLogs;
  private final DownstreamTlsEmitter tls;
  private final TcpProxyEmitter tcpProxies;
  private final RbacEmitter rbac = new RbacEmitter();

  public ListenerEmitter(AccessLogEmitter accessLogs) {
    this.accessLogs = accessLogs;
    this.tls = new DownstreamTlsEmitter();
    this.tcpProxies = new TcpProxyEmitter(accessLogs);
  }

  public Listener emit(GatewayPort port) {
    return emit(port, Authorization.NONE);
  }

  /** The port's listener, its chains enforcing {@code authorization} before anything else. */
  public Listener emit(GatewayPort port, Authorization authorization) {
    Listener.Builder listener =
        Listener.newBuilder()
            .setName(port.listenerName())
            .setAddress(
                Address.newBuilder()
                    .setSocketAddress(
                        SocketAddress.newBuilder()
                            .setAddress(port.bindAddress())
                            .setPortValue(port.number())));
    for (FilterChainPlan chain : port.chains()) {
      listener.addFilterChains(filterChain(port, chain, authorization));
    }
    if (port.needsTlsInspector()) {
      listener.addListenerFilters(
          ListenerFilter.newBuilder()
              .setName(TLS_INSPECTOR)
              .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())));
    }
    return listener.build();
  }

  private FilterChain filterChain(
      GatewayPort port, FilterChainPlan plan, Authorization authorization) {
    FilterChain.Builder chain = FilterChain.newBuilder();
    if (!plan.serverNames().isEmpty()) {
      chain.setFilterChainMatch(
          FilterChainMatch.newBuilder().addAllServerNames(plan.serverNames()));
    }
    if (plan instanceof FilterChainPlan.Http http) {
      chain.addFilters(connectionManager(port, http, authorization));
    } else if (plan instanceof FilterChainPlan.TcpProxy tcp) {
      chain.addAllFilters(rbac.networkFilters(authorization));
      chain.addFilters(tcpProxies.emit(tcp));
    }
    plan.tls().ifPresent(t -> chain.setTransportSocket(tls.emit(t)));
    return chain.build();
  }

  private Filter connectionManager(
      GatewayPort port, FilterChainPlan.Http chain, Authorization authorization) {
    HttpConnectionManager.Builder hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("outbound_" + port.listenerName())
            .setRds(
                Rds.newBuilder()
                    .setConfigSource(ProtoValues.ads())
                    .setRouteConfigName(chain.routeConfigName()))
            // The rest is what Istio sets on every gateway connection manager, so traffic behaves
            // as it did under istiod: WebSockets pass (Envoy answers 403 to an upgrade it was not
            // told about), streams idle longer than Envoy's 5 minute default (long gRPC streams)
            // are not reset, and paths are normalized (RFC 3986) before routes match them,
            // escaped slashes left as they are.
            .addUpgradeConfigs(
                HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
            .setStreamIdleTimeout(ProtoValues.duration(Duration.ZERO))
            .setNormalizePath(BoolValue.of(true))
            .setPathWithEscapedSlashesAction(
                HttpConnectionManager.PathWithEscapedSlashesAction.KEEP_UNCHANGED);
    if (chain.clientProxy().isPresent()) {
      ClientProxy client = chain.clientProxy().get();
      // Applications use this listener as their http_proxy and https_proxy: absolute-form
      // requests and CONNECT (which only routes with a connect matcher take). The remote address
      // is the application on loopback, so it is not the client address to trust or log as such.
      hcm.setUseRemoteAddress(BoolValue.of(false))
          .addUpgradeConfigs(
              HttpConnectionManager.UpgradeConfig.newBuilder()
                  .setUpgradeType(RouteConfigEmitter.CONNECT))
          .setHttpProtocolOptions(
              Http1ProtocolOptions.newBuilder().setAllowAbsoluteUrl(BoolValue.of(true)))
          .addAccessLog(accessLogs.stdoutJson(client.workload()));
    } else {
      // A gateway is the edge of the mesh: trust the peer address, not X-Forwarded-For.
      hcm.setUseRemoteAddress(BoolValue.of(true)).addAccessLog(accessLogs.stdoutJson());
    }
    // Authorization comes first, as in Istio: a refused request must not reach faults or routes.
    hcm.addAllHttpFilters(rbac.httpFilters(authorization));
    // Always present, as in Istio, though only routes with a fault config use it: adding the
    // first fault rule on a port must change the route config only, not the listener, whose
    // update would drain every open connection on the port.
    hcm.addHttpFilters(
        HttpFilter.newBuilder()
            .setName(FAULT_FILTER)
            .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())));
    if (chain.clientProxy().map(ClientProxy::passthrough).orElse(false)) {
      hcm.addHttpFilters(ForwardProxyEmitter.filter());
    }
    hcm.addHttpFilters(
        HttpFilter.newBuilder()
            .setName(ROUTER_FILTER)
            .setTypedConfig(Any.pack(Router.getDefaultInstance())));

    return Filter.newBuilder().setName(HCM_FILTER).setTypedConfig(Any.pack(hcm.build())).build();
  }
}
