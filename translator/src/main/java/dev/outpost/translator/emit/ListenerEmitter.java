package dev.outpost.translator.emit;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.outpost.translator.ir.HttpPort;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.time.Duration;

/**
 * A plaintext HTTP port becomes listener {@code 0.0.0.0_PORT} with one HTTP connection manager that
 * fetches route config {@code http.PORT} over ADS.
 */
public final class ListenerEmitter {
  public static final String HCM_FILTER = "envoy.filters.network.http_connection_manager";
  public static final String FAULT_FILTER = "envoy.filters.http.fault";
  public static final String ROUTER_FILTER = "envoy.filters.http.router";

  private final AccessLogEmitter accessLogs;

  public ListenerEmitter(AccessLogEmitter accessLogs) {
    this.accessLogs = accessLogs;
  }

  public Listener emit(HttpPort port) {
    HttpConnectionManager.Builder hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("outbound_" + port.listenerName())
            .setRds(
                Rds.newBuilder()
                    .setConfigSource(ProtoValues.ads())
                    .setRouteConfigName(port.routeConfigName()))
            // A gateway is the edge of the mesh: trust the peer address, not X-Forwarded-For.
            .setUseRemoteAddress(BoolValue.of(true))
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
                HttpConnectionManager.PathWithEscapedSlashesAction.KEEP_UNCHANGED)
            .addAccessLog(accessLogs.stdoutJson());
    // Always present, as in Istio, though only routes with a fault config use it: adding the
    // first fault rule on a port must change the route config only, not the listener, whose
    // update would drain every open connection on the port.
    hcm.addHttpFilters(
        HttpFilter.newBuilder()
            .setName(FAULT_FILTER)
            .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())));
    hcm.addHttpFilters(
        HttpFilter.newBuilder()
            .setName(ROUTER_FILTER)
            .setTypedConfig(Any.pack(Router.getDefaultInstance())));

    return Listener.newBuilder()
        .setName(port.listenerName())
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder()
                        .setAddress(port.bindAddress())
                        .setPortValue(port.number())))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder().setName(HCM_FILTER).setTypedConfig(Any.pack(hcm.build()))))
        .build();
  }
}
