package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.HeaderOperations;
import dev.outpost.translator.ir.Route;
import dev.outpost.translator.ir.RouteAction;
import dev.outpost.translator.ir.RouteMatch;
import dev.outpost.translator.ir.WeightedDestination;
import dev.outpost.translator.model.Destination;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.TcpRoute;
import dev.outpost.translator.model.TlsRoute;
import dev.outpost.translator.model.VirtualService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The routes a client proxy has for one declared host and port: the {@code mesh} half of the
 * VirtualService for that host, or, without one, straight to the host's own cluster. HTTP ports
 * get the VirtualService's {@code http} rules; every other port is reached by CONNECT through the
 * HTTP proxy listener (or over a port listener) and takes its {@code tls} rules (by SNI host =
 * the host) or {@code tcp} rules, whose destination gets the application's bytes as they are.
 *
 * <p>Where several VirtualServices name the host, the one whose host is exactly it wins, then
 * the first by namespace/name, and the others are reported: Istio merges VirtualServices only on
 * gateways.
 */
final class MeshRoutes {
  /** Istio's name for the route a sidecar gets for a host without a VirtualService. */
  static final String DEFAULT_ROUTE = "default";

  private final RouteConverter http;
  private final L4DestinationConverter l4;
  private final DestinationResolver destinations;
  private final ImmutableList<VirtualService> virtualServices;
  private final ProxyMatch proxy;
  private final DiagnosticSink diagnostics;

  /** Whether a tls/tcp match's source conditions hold for this proxy. */
  interface ProxyMatch {
    boolean matches(Map<String, String> sourceLabels, Optional<String> sourceNamespace);
  }

  MeshRoutes(
      RouteConverter http,
      L4DestinationConverter l4,
      DestinationResolver destinations,
      ImmutableList<VirtualService> virtualServices,
      ProxyMatch proxy,
      DiagnosticSink diagnostics) {
    this.http = http;
    this.l4 = l4;
    this.destinations = destinations;
    this.virtualServices = virtualServices;
    this.proxy = proxy;
    this.diagnostics = diagnostics;
  }

  /** Whether the port is served by HTTP routes (the rest are tunnelled). */
  static boolean isHttp(Port port) {
    return port.protocol().isHttp();
  }

  /**
   * The routes for {@code host} on {@code port} of {@code se}; for a tunnelled port a single
   * CONNECT route, or none when every rule's destination failed (reported).
   */
  ImmutableList<Route> routes(ServiceEntry se, String host, Port port) {
    Optional<VirtualService> vs = virtualServiceFor(host);
    if (isHttp(port)) {
      if (vs.isPresent() && !vs.get().http().isEmpty()) {
        return VirtualHostAssembler.catchAllsLast(
            http.convert(vs.get(), GatewayNames.MESH, port.number()));
      }
      return defaultRoute(se, host, port, RouteMatch.ANY)
          .map(ImmutableList::of)
          .orElse(ImmutableList.of());
    }
    Optional<ImmutableList<WeightedDestination>> l4Destinations =
        vs.flatMap(v -> l4Rule(v, host, port));
    if (l4Destinations.isPresent()) {
      return ImmutableList.of(
          connectRoute(Subjects.key(vs.get().metadata()), l4Destinations.get()));
    }
    if (vs.isPresent() && hasL4RuleFor(vs.get(), host, port)) {
      return ImmutableList.of(); // the rule's destinations all failed: reported, nothing to tunnel
    }
    return defaultRoute(se, host, port, RouteMatch.CONNECT)
        .map(ImmutableList::of)
        .orElse(ImmutableList.of());
  }

  /** The destinations of the first tls/tcp rule that applies, for a port listener's chain. */
  Optional<ImmutableList<WeightedDestination>> tunnelDestinations(
      ServiceEntry se, String host, Port port) {
    Optional<VirtualService> vs = virtualServiceFor(host);
    Optional<ImmutableList<WeightedDestination>> fromRule =
        vs.flatMap(v -> l4Rule(v, host, port));
    if (fromRule.isPresent() || (vs.isPresent() && hasL4RuleFor(vs.get(), host, port))) {
      return fromRule;
    }
    return destinations
        .resolve(
            new Destination(host, Optional.empty(), Optional.of(port.number())),
            se.metadata().namespace(),
            Subjects.of(se),
            "spec.ports[" + se.ports().indexOf(port) + "]")
        .map(cluster -> ImmutableList.of(new WeightedDestination(cluster, 100)));
  }

  /** Straight to the host's own cluster, as Istio's sidecar routes a host without VirtualService. */
  private Optional<Route> defaultRoute(
      ServiceEntry se, String host, Port port, RouteMatch match) {
    Optional<String> cluster =
        destinations.resolve(
            new Destination(host, Optional.empty(), Optional.of(port.number())),
            se.metadata().namespace(),
            Subjects.of(se),
            "spec.ports[" + se.ports().indexOf(port) + "]");
    if (cluster.isEmpty()) {
      return Optional.empty();
    }
    ImmutableList<WeightedDestination> to =
        ImmutableList.of(new WeightedDestination(cluster.get(), 100));
    if (match.connect()) {
      return Optional.of(connectRoute(DEFAULT_ROUTE, to));
    }
    ClusterRef ref = destinations.referenced().get(cluster.get());
    ImmutableList<dev.outpost.translator.ir.HashPolicy> hashes =
        ref == null
            ? ImmutableList.of()
            : LoadBalancerPolicy.hashPolicies(
                EffectivePolicy.of(ref.rule(), ref.port().number(), ref.subset()).loadBalancer());
    return Optional.of(
        new Route(
            DEFAULT_ROUTE,
            match,
            new RouteAction.Forward(
                to,
                Optional.empty(),
                Duration.ZERO,
                Optional.of(RouteConverter.ISTIO_DEFAULT_RETRIES),
                hashes),
            HeaderOperations.NONE,
            HeaderOperations.NONE,
            Optional.empty()));
  }

  /** A CONNECT tunnel: no retries (the bytes are the application's), no timeout. */
  static Route connectRoute(String name, ImmutableList<WeightedDestination> to) {
    return new Route(
        name,
        RouteMatch.CONNECT,
        new RouteAction.Forward(
            to, Optional.empty(), Duration.ZERO, Optional.empty(), ImmutableList.of()),
        HeaderOperations.NONE,
        HeaderOperations.NONE,
        Optional.empty());
  }

  private Optional<VirtualService> virtualServiceFor(String host) {
    List<VirtualService> covering = new ArrayList<>();
    for (VirtualService vs : virtualServices) {
      for (String vsHost : vs.hosts()) {
        String qualified =
            Hosts.qualify(vsHost, vs.metadata().namespace()).toLowerCase(Locale.ROOT);
        if (Hosts.covers(qualified, host)) {
          covering.add(vs);
          break;
        }
      }
    }
    if (covering.isEmpty()) {
      return Optional.empty();
    }
    VirtualService chosen =
        covering.stream().filter(vs -> namesExactly(vs, host)).findFirst().orElse(covering.get(0));
    for (VirtualService other : covering) {
      if (other != chosen) {
        diagnostics.warning(
            Subjects.of(other),
            "spec.hosts",
            "host \""
                + host
                + "\" is also routed for client proxies by "
                + Subjects.of(chosen)
                + ", which they use; this VirtualService does not apply to that host there"
                + " (Istio merges VirtualServices only on gateways). Put the rules for one host"
                + " into one VirtualService.");
      }
    }
    return Optional.of(chosen);
  }

  private static boolean namesExactly(VirtualService vs, String host) {
    return vs.hosts().stream()
        .anyMatch(
            h ->
                Hosts.qualify(h, vs.metadata().namespace()).toLowerCase(Locale.ROOT).equals(host));
  }

  private boolean hasL4RuleFor(VirtualService vs, String host, Port port) {
    return tlsPort(port)
        ? vs.tls().stream().anyMatch(rule -> rule.match().stream().anyMatch(m -> tlsApplies(m, host, port)))
        : vs.tcp().stream().anyMatch(rule -> appliesTcp(rule, port));
  }

  private Optional<ImmutableList<WeightedDestination>> l4Rule(
      VirtualService vs, String host, Port port) {
    String subject = Subjects.of(vs);
    String namespace = vs.metadata().namespace();
    boolean passthrough = tlsPort(port);
    if (passthrough) {
      for (int i = 0; i < vs.tls().size(); i++) {
        TlsRoute rule = vs.tls().get(i);
        if (rule.match().stream().anyMatch(m -> tlsApplies(m, host, port))) {
          return l4.convert(rule.route(), namespace, subject, "spec.tls[" + i + "]", true);
        }
      }
      return Optional.empty();
    }
    for (int i = 0; i < vs.tcp().size(); i++) {
      TcpRoute rule = vs.tcp().get(i);
      if (appliesTcp(rule, port)) {
        return l4.convert(rule.route(), namespace, subject, "spec.tcp[" + i + "]", false);
      }
    }
    return Optional.empty();
  }

  /** The application's own TLS: what is tunnelled must reach the destination untouched. */
  private static boolean tlsPort(Port port) {
    return port.protocol() == Protocol.TLS || port.protocol() == Protocol.HTTPS;
  }

  private boolean tlsApplies(TlsRoute.Match match, String host, Port port) {
    return meshGateway(match.gateways())
        && match.port().map(p -> p == port.number()).orElse(true)
        && match.sniHosts().stream()
            .anyMatch(sni -> Hosts.covers(sni.toLowerCase(Locale.ROOT), host))
        && proxy.matches(match.sourceLabels(), match.sourceNamespace());
  }

  private boolean appliesTcp(TcpRoute rule, Port port) {
    if (rule.match().isEmpty()) {
      return true;
    }
    return rule.match().stream()
        .anyMatch(
            m ->
                meshGateway(m.gateways())
                    && m.port().map(p -> p == port.number()).orElse(true)
                    && proxy.matches(m.sourceLabels(), m.sourceNamespace()));
  }

  private static boolean meshGateway(ImmutableList<String> gateways) {
    return gateways.isEmpty() || gateways.contains(GatewayNames.MESH);
  }
}
