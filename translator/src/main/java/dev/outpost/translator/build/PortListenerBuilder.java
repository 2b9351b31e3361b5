package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.ClientProxy;
import dev.outpost.translator.ir.FilterChainPlan;
import dev.outpost.translator.ir.GatewayPort;
import dev.outpost.translator.ir.VirtualHost;
import dev.outpost.translator.ir.WeightedDestination;
import dev.outpost.translator.model.OutboundTrafficMode;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.Sidecar;
import dev.outpost.translator.model.SidecarEgress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Sidecar's {@code egress[]} entries with a {@code port} → listeners an application addresses
 * directly ({@code 127.0.0.1:PORT} unless {@code bind} says otherwise), for clients that cannot
 * use an HTTP proxy. The hosts are the entry's, on ServiceEntry ports with the same number:
 *
 * <ul>
 *   <li>HTTP protocols: one connection manager, virtual hosts by the Host header;
 *   <li>TLS and HTTPS: a chain per host, chosen by the SNI of the application's own TLS, whose
 *       bytes go on untouched (a name no chain has is closed, as on gateways);
 *   <li>other TCP: nothing in the bytes names a host, so exactly one host may use the port.
 * </ul>
 *
 * Listeners are only made where asked: binding every ServiceEntry port would take ports the
 * application itself listens on.
 */
final class PortListenerBuilder {
  private final ServiceRegistry services;
  private final SidecarScope scope;
  private final MeshRoutes routes;
  private final ClientProxy clientProxy;
  private final DiagnosticSink diagnostics;
  /** Egress entries whose listener forwards TCP, for the one ALLOW_ANY note. */
  private final List<String> tunnelled = new ArrayList<>();

  PortListenerBuilder(
      ServiceRegistry services,
      SidecarScope scope,
      MeshRoutes routes,
      ClientProxy clientProxy,
      DiagnosticSink diagnostics) {
    this.services = services;
    this.scope = scope;
    this.routes = routes;
    this.clientProxy = clientProxy;
    this.diagnostics = diagnostics;
  }

  ImmutableList<GatewayPort> build() {
    ImmutableList.Builder<GatewayPort> out = ImmutableList.builder();
    Set<String> taken = new HashSet<>();
    tunnelled.clear();
    taken.add(scope.proxyBind() + "_" + ClientBuilder.HTTP_PROXY_PORT);
    Optional<Sidecar> sidecar = scope.sidecar();
    if (sidecar.isEmpty()) {
      return out.build();
    }
    ImmutableList<SidecarEgress> egress = sidecar.get().egress();
    for (int i = 0; i < egress.size(); i++) {
      SidecarEgress entry = egress.get(i);
      if (entry.port().isEmpty()) {
        continue;
      }
      Port port = entry.port().get();
      String bind = entry.bind().orElse(SidecarScope.DEFAULT_BIND);
      String field = "spec.egress[" + i + "].port";
      String subject = Subjects.of(sidecar.get());
      if (!taken.add(bind + "_" + port.number())) {
        diagnostics.error(
            subject,
            field,
            "port "
                + port.number()
                + " on "
                + bind
                + " is already taken by "
                + (port.number() == ClientBuilder.HTTP_PROXY_PORT
                    ? "the HTTP proxy listener"
                    : "another egress entry")
                + "; this entry gets no listener. Use another port or bind address.");
        continue;
      }
      List<Map.Entry<String, ServiceEntry>> hosts = hostsOn(entry, port.number());
      Optional<ImmutableList<FilterChainPlan>> chains =
          chains(port, hosts, bind, subject, "spec.egress[" + i + "]");
      chains.ifPresent(c -> out.add(new GatewayPort(port.number(), bind, ImmutableList.of(), c)));
    }
    if (scope.mode() == OutboundTrafficMode.ALLOW_ANY && !tunnelled.isEmpty()) {
      diagnostics.warning(
          Subjects.of(sidecar.get()),
          "spec.egress",
          "ALLOW_ANY passes undeclared hosts through the HTTP proxy listener only: the TLS and TCP"
              + " port listeners of "
              + String.join(", ", tunnelled)
              + " forward just the hosts they list, and close anything else.");
    }
    return out.build();
  }

  /** The entry's hosts that declare a port with this number, with their entries. */
  private List<Map.Entry<String, ServiceEntry>> hostsOn(SidecarEgress entry, int number) {
    SidecarHosts listed = scope.hostsOf(entry);
    List<Map.Entry<String, ServiceEntry>> out = new ArrayList<>();
    Set<String> seen = new HashSet<>(); // one virtual host or chain per host, whatever its case
    for (Map.Entry<String, ServiceEntry> host : services.hosts().entrySet()) {
      ServiceEntry se = host.getValue();
      if (listed.admits(se.metadata().namespace(), host.getKey())
          && seen.add(host.getKey().toLowerCase(Locale.ROOT))
          && se.ports().stream().anyMatch(p -> p.number() == number)) {
        out.add(host);
      }
    }
    return out;
  }

  private Optional<ImmutableList<FilterChainPlan>> chains(
      Port port,
      List<Map.Entry<String, ServiceEntry>> hosts,
      String bind,
      String subject,
      String field) {
    if (port.protocol().isHttp()) {
      ImmutableList.Builder<VirtualHost> virtualHosts = ImmutableList.builder();
      for (Map.Entry<String, ServiceEntry> host : hosts) {
        Port declared = declaredPort(host.getValue(), port.number());
        String name = host.getKey().toLowerCase(Locale.ROOT);
        virtualHosts.add(
            VirtualHost.forPortListener(
                name, port.number(), routes.routes(host.getValue(), name, declared)));
      }
      virtualHosts.add(ClientBuilder.catchAll(scope.mode(), port.number()));
      String routeConfig =
          bind.equals(SidecarScope.DEFAULT_BIND)
              ? String.valueOf(port.number())
              : bind + "_" + port.number();
      return Optional.of(
          ImmutableList.of(
              FilterChainPlan.Http.forClient(routeConfig, virtualHosts.build(), clientProxy)));
    }
    tunnelled.add(field);
    boolean tls = port.protocol() == Protocol.TLS || port.protocol() == Protocol.HTTPS;
    ImmutableList.Builder<FilterChainPlan> chains = ImmutableList.builder();
    if (tls) {
      for (Map.Entry<String, ServiceEntry> host : hosts) {
        String name = host.getKey().toLowerCase(Locale.ROOT);
        routes
            .tunnelDestinations(host.getValue(), name, declaredPort(host.getValue(), port.number()))
            .ifPresent(
                to ->
                    chains.add(
                        FilterChainPlan.TcpProxy.passthrough(to, ImmutableList.of(name))));
      }
    } else if (hosts.size() == 1) {
      Map.Entry<String, ServiceEntry> host = hosts.get(0);
      String name = host.getKey().toLowerCase(Locale.ROOT);
      Optional<ImmutableList<WeightedDestination>> to =
          routes.tunnelDestinations(host.getValue(), name, declaredPort(host.getValue(), port.number()));
      to.ifPresent(d -> chains.add(new FilterChainPlan.TcpProxy(d, ImmutableList.of(), Optional.empty())));
    } else if (hosts.size() > 1) {
      diagnostics.error(
          subject,
          field + ".hosts",
          "port "
              + port.number()
              + " is "
              + port.protocol().wireName()
              + ", whose bytes name no host, and "
              + hosts.size()
              + " listed hosts use it ("
              + String.join(", ", hosts.stream().map(Map.Entry::getKey).toList())
              + "); the listener is not made. List exactly one host for a TCP port.");
      return Optional.empty();
    }
    ImmutableList<FilterChainPlan> built = chains.build();
    if (built.isEmpty()) {
      diagnostics.warning(
          subject,
          field + ".hosts",
          "no listed host declares port "
              + port.number()
              + " in a ServiceEntry or Service this proxy can see, so the port gets no listener.");
      return Optional.empty();
    }
    return Optional.of(built);
  }

  private static Port declaredPort(ServiceEntry se, int number) {
    return se.ports().stream().filter(p -> p.number() == number).findFirst().orElseThrow();
  }
}
