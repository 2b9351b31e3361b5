package dev.outpost.translator.emit;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.outpost.translator.ir.FaultInjection;
import dev.outpost.translator.ir.HeaderOperations;
import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.FilterChainPlan;
import dev.outpost.translator.ir.Route;
import dev.outpost.translator.ir.RouteAction;
import dev.outpost.translator.ir.VirtualHost;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import java.util.Comparator;
import java.util.Map;
import java.util.List;

/**
 * An HTTP chain's virtual hosts → its route config ({@code http.PORT} shared by a port's
 * plaintext servers, {@code https.PORT.NAME.GATEWAY.NS} per terminating server). Virtual hosts are named {@code
 * HOST:PORT}; their one domain is the host, and the route config ignores the port in the request's
 * authority, as Istio's gateway route configs do (so {@code Host: api.example.com:8080} reaches the
 * same virtual host as {@code Host: api.example.com}, whatever port the client saw).
 */
public final class RouteConfigEmitter {
  static final String CONNECT = "CONNECT";
  private final RouteMatchEmitter matches;
  private final RouteActionEmitter actions;

  public RouteConfigEmitter(RouteMatchEmitter matches, RouteActionEmitter actions) {
    this.matches = matches;
    this.actions = actions;
  }

  public RouteConfiguration emit(FilterChainPlan.Http chain) {
    // A client proxy's HTTP proxy listener serves every port of every host, told apart by the
    // port in the authority; a gateway's server port is the listener's, whatever the client saw.
    return emit(chain.routeConfigName(), chain.virtualHosts(), chain.clientProxy().isEmpty());
  }

  public RouteConfiguration emit(String name, ImmutableList<VirtualHost> virtualHosts) {
    return emit(name, virtualHosts, true);
  }

  private RouteConfiguration emit(
      String name, ImmutableList<VirtualHost> virtualHosts, boolean ignorePortInHostMatching) {
    RouteConfiguration.Builder out =
        RouteConfiguration.newBuilder()
            .setName(name)
            .setIgnorePortInHostMatching(ignorePortInHostMatching)
            // Envoy's default is 4 KiB and it rejects the whole route config over a larger
            // directResponse body; Istio raises it to the 1 MiB its validation allows.
            .setMaxDirectResponseBodySizeBytes(
                UInt32Value.of(RouteAction.DirectResponse.MAX_BODY_BYTES));
    virtualHosts.stream()
        .sorted(Comparator.comparing(VirtualHost::name))
        .forEach(vh -> out.addVirtualHosts(virtualHost(vh)));
    return out.build();
  }

  private io.envoyproxy.envoy.config.route.v3.VirtualHost virtualHost(VirtualHost vh) {
    io.envoyproxy.envoy.config.route.v3.VirtualHost.Builder out =
        io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder().setName(vh.name());
    out.addAllDomains(domains(vh));
    if (vh.httpsRedirect()) {
      // Envoy answers a plaintext request with a 301 to the same URL over https, as Istio does
      // for httpsRedirect; the routes stay for requests that arrive over TLS.
      out.setRequireTls(io.envoyproxy.envoy.config.route.v3.VirtualHost.TlsRequirementType.ALL);
    }
    // Order matters: Envoy takes the first route that matches, as Istio does.
    for (Route route : vh.routes()) {
      out.addRoutes(route(route));
    }
    return out.build();
  }

  /**
   * On gateways the host alone: with {@code ignore_port_in_host_matching} Envoy strips the port
   * before it matches, so a {@code HOST:PORT} domain could never match. Client proxies' virtual
   * hosts carry the port.
   */
  static List<String> domains(VirtualHost vh) {
    return vh.domains();
  }

  private io.envoyproxy.envoy.config.route.v3.Route route(Route route) {
    io.envoyproxy.envoy.config.route.v3.Route.Builder out =
        io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
            .setName(route.name())
            .setMatch(matches.emit(route.match()));
    actions.emit(route.action(), out);
    if (route.match().connect() && out.hasRoute()) {
      // Terminate the CONNECT here and carry its bytes to the cluster as TCP, rather than pass
      // the CONNECT request itself upstream.
      out.getRouteBuilder()
          .addUpgradeConfigs(
              io.envoyproxy.envoy.config.route.v3.RouteAction.UpgradeConfig.newBuilder()
                  .setUpgradeType(CONNECT)
                  .setConnectConfig(
                      io.envoyproxy.envoy.config.route.v3.RouteAction.UpgradeConfig.ConnectConfig
                          .getDefaultInstance()));
    }
    addHeaderOps(route.requestHeaders(), out, true);
    addHeaderOps(route.responseHeaders(), out, false);
    route
        .fault()
        .ifPresent(
            fault ->
                out.putTypedPerFilterConfig(ListenerEmitter.FAULT_FILTER, Any.pack(fault(fault))));
    return out.build();
  }

  private static void addHeaderOps(
      HeaderOperations ops,
      io.envoyproxy.envoy.config.route.v3.Route.Builder out,
      boolean request) {
    for (Map.Entry<String, String> set : ops.set().entrySet()) {
      HeaderValueOption option =
          headerOption(
              set.getKey(),
              set.getValue(),
              HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
      if (request) {
        out.addRequestHeadersToAdd(option);
      } else {
        out.addResponseHeadersToAdd(option);
      }
    }
    for (Map.Entry<String, String> add : ops.add().entrySet()) {
      HeaderValueOption option =
          headerOption(
              add.getKey(),
              add.getValue(),
              HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD);
      if (request) {
        out.addRequestHeadersToAdd(option);
      } else {
        out.addResponseHeadersToAdd(option);
      }
    }
    if (request) {
      out.addAllRequestHeadersToRemove(ops.remove());
    } else {
      out.addAllResponseHeadersToRemove(ops.remove());
    }
  }

  private static HeaderValueOption headerOption(
      String name, String value, HeaderValueOption.HeaderAppendAction action) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
        .setAppendAction(action)
        .build();
  }

  static HTTPFault fault(FaultInjection fault) {
    HTTPFault.Builder out = HTTPFault.newBuilder();
    fault
        .delay()
        .ifPresent(
            delay ->
                out.setDelay(
                    FaultDelay.newBuilder()
                        .setFixedDelay(ProtoValues.duration(delay.fixedDelay()))
                        .setPercentage(ProtoValues.percent(delay.percentage()))));
    fault
        .abort()
        .ifPresent(
            abort ->
                out.setAbort(
                    FaultAbort.newBuilder()
                        .setHttpStatus(abort.httpStatus())
                        .setPercentage(ProtoValues.percent(abort.percentage()))));
    return out.build();
  }
}
