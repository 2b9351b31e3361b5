package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.ir.ClientProxy;
import dev.outpost.translator.ir.EgressConfig;
import dev.outpost.translator.ir.FilterChainPlan;
import dev.outpost.translator.ir.GatewayPort;
import dev.outpost.translator.ir.HeaderOperations;
import dev.outpost.translator.ir.Route;
import dev.outpost.translator.ir.RouteAction;
import dev.outpost.translator.ir.RouteMatch;
import dev.outpost.translator.ir.UpstreamCluster;
import dev.outpost.translator.ir.VirtualHost;
import dev.outpost.translator.ir.WeightedDestination;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.OutboundTrafficMode;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.VirtualService;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ConfigSnapshot + client proxy → the IR of the proxy beside a workload. Applications reach it
 * without traffic interception: as their HTTP proxy ({@code http_proxy}/{@code https_proxy}) on
 * listener {@code 127.0.0.1_15080}, route config {@code http_proxy} (Istio's names for its HTTP
 * proxy listener), and on the port listeners a Sidecar's {@code egress[].port} asks for.
 *
 * <p>Every host the proxy can see (ServiceEntries and Services, by {@code exportTo}, narrowed by
 * its Sidecar) gets a virtual host per port, routed by the {@code mesh} half of its
 * VirtualService; what no virtual host matches gets 502 (REGISTRY_ONLY, Outpost's default) or is
 * forwarded to the host asked for (ALLOW_ANY).
 */
public final class ClientBuilder {
  /** Istio's HTTP proxy port convention; the listener binds loopback unless the Sidecar says. */
  public static final int HTTP_PROXY_PORT = 15080;

  /** Istio's route config name for its HTTP proxy listener. */
  public static final String HTTP_PROXY_ROUTES = "http_proxy";

  /** Istio's names for a client proxy's catch-all virtual hosts and their routes. */
  static final String BLOCK_ALL = "block_all";

  static final String ALLOW_ANY = "allow_any";

  /** The status a refused undeclared host gets, as from Istio's sidecar. */
  static final int REFUSED_STATUS = 502;

  public EgressBuilder.Result build(
      ConfigSnapshot snapshot, ProxyIdentity proxy, TranslationContext context) {
    DiagnosticSink diagnostics = new DiagnosticSink();
    SidecarScope scope = new SidecarScope(snapshot, proxy, diagnostics);
    ServiceRegistry services =
ServiceRegistry.of(snapshot, proxy.namespace(), diagnostics);
    CredentialResolver credentials =
        new CredentialResolver(snapshot.secrets(), proxy.namespace(), context.now(), diagnostics);
    UpstreamTlsPolicy upstreamTls =
        new UpstreamTlsPolicy(
            credentials,
            diagnostics,
            context.trustDomain(),
            new MeshGateways(snapshot.gateways()));
    DestinationResolver resolver =
        new DestinationResolver(
            services,
            new DestinationRuleIndex(snapshot.destinationRules(), proxy.namespace()),
            diagnostics,
            upstreamTls);
    MeshRoutes routes =
        new MeshRoutes(
            new RouteConverter(resolver, upstreamTls, proxy, diagnostics),
            new L4DestinationConverter(resolver, diagnostics),
            resolver,
            meshVirtualServices(snapshot, proxy, scope),
            (labels, namespace) -> Labels.fromProxy(labels, namespace, proxy),
            diagnostics);
    ClientProxy clientProxy =
        new ClientProxy(
            proxy.namespace() + "/" + proxy.serviceAccount(),
            scope.mode() == OutboundTrafficMode.ALLOW_ANY);

    ImmutableList.Builder<GatewayPort> listeners = ImmutableList.builder();
    listeners.add(httpProxyListener(services, scope, routes, clientProxy));
    listeners.addAll(
        new PortListenerBuilder(services, scope, routes, clientProxy, diagnostics).build());

    ClusterBuilder clusterBuilder = new ClusterBuilder(diagnostics, upstreamTls);
    ImmutableList.Builder<UpstreamCluster> clusters = ImmutableList.builder();
    resolver.referenced().values().forEach(ref -> clusters.add(clusterBuilder.build(ref)));
    clusters.add(UpstreamCluster.blackHole());
    if (clientProxy.passthrough()) {
      clusters.add(UpstreamCluster.passthrough());
    }
    return new EgressBuilder.Result(
        new EgressConfig(listeners.build(), clusters.build()), diagnostics.toList());
  }

  private static GatewayPort httpProxyListener(
      ServiceRegistry services, SidecarScope scope, MeshRoutes routes, ClientProxy clientProxy) {
    ImmutableList.Builder<VirtualHost> virtualHosts = ImmutableList.builder();
    // Envoy rejects a route config whose virtual hosts repeat a domain; hosts that differ only in
    // case are one host to it.
    Set<String> named = new HashSet<>();
    for (Map.Entry<String, ServiceEntry> entry : services.hosts().entrySet()) {
      String host = entry.getKey().toLowerCase(Locale.ROOT);
      ServiceEntry se = entry.getValue();
      if (!scope.proxyHosts().admits(se.metadata().namespace(), host)) {
        continue;
      }
      for (Port port : se.ports()) {
        if (!named.add(host + ":" + port.number())) {
          continue;
        }
        virtualHosts.add(VirtualHost.forClient(host, port.number(), routes.routes(se, host, port)));
      }
    }
    virtualHosts.add(catchAll(scope.mode(), HTTP_PROXY_PORT));
    return new GatewayPort(
        HTTP_PROXY_PORT,
        scope.proxyBind(),
        ImmutableList.of(),
        ImmutableList.of(
            FilterChainPlan.Http.forClient(
                HTTP_PROXY_ROUTES, virtualHosts.build(), clientProxy)));
  }

  /**
   * What no declared host matches: 502 under REGISTRY_ONLY, for plain requests and CONNECT
   * alike (a CONNECT matches no path route); under ALLOW_ANY both go to the host asked for.
   */
  static VirtualHost catchAll(OutboundTrafficMode mode, int port) {
    if (mode == OutboundTrafficMode.ALLOW_ANY) {
      ImmutableList<WeightedDestination> passthrough =
          ImmutableList.of(
              new WeightedDestination(UpstreamCluster.PASSTHROUGH, 100));
      return VirtualHost.catchAll(
          ALLOW_ANY,
          port,
          ImmutableList.of(
              forwardAll(ALLOW_ANY, passthrough), MeshRoutes.connectRoute(ALLOW_ANY, passthrough)));
    }
    return VirtualHost.catchAll(
        BLOCK_ALL,
        port,
        ImmutableList.of(refuse(RouteMatch.ANY), refuse(RouteMatch.CONNECT)));
  }

  private static Route refuse(RouteMatch match) {
    return new Route(
        BLOCK_ALL,
        match,
        new RouteAction.DirectResponse(
            REFUSED_STATUS, Optional.empty()),
        HeaderOperations.NONE,
        HeaderOperations.NONE,
        Optional.empty());
  }

  private static Route forwardAll(
      String name, ImmutableList<WeightedDestination> to) {
    return new Route(
        name,
        RouteMatch.ANY,
        new RouteAction.Forward(
            to,
            Optional.empty(),
            Duration.ZERO,
            Optional.empty(),
            ImmutableList.of()),
        HeaderOperations.NONE,
        HeaderOperations.NONE,
        Optional.empty());
  }

  /**
   * VirtualServices for client proxies: bound to {@code mesh} (no gateways means mesh), exported
   * to the proxy's namespace, and naming a host its Sidecar lists; in namespace/name order.
   */
  private static ImmutableList<VirtualService> meshVirtualServices(
      ConfigSnapshot snapshot, ProxyIdentity proxy, SidecarScope scope) {
    return snapshot.virtualServices().stream()
        .filter(vs -> vs.gateways().isEmpty() || vs.gateways().contains(GatewayNames.MESH))
        .filter(vs -> ExportTo.visible(vs.exportTo(), vs.metadata().namespace(), proxy.namespace()))
        .filter(vs -> scope.admitsVirtualService(vs))
        .sorted(Comparator.comparing(vs -> vs.metadata(), Subjects.KEY_ORDER))
        .collect(ImmutableList.toImmutableList());
  }
}
