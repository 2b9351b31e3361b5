package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.DownstreamTls;
import dev.outpost.translator.ir.FilterChainPlan;
import dev.outpost.translator.ir.GatewayPort;
import dev.outpost.translator.ir.Server;
import dev.outpost.translator.ir.VirtualHost;
import dev.outpost.translator.ir.WeightedDestination;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.VirtualService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One port's merged servers → its filter chains: the shared {@code http.PORT} chain for plaintext
 * HTTP, one chain per terminating server (HTTP routes in its own {@code https.PORT.NAME.GW.NS}
 * route config, or tcp routes for protocol TLS), one chain per SNI match of passthrough servers,
 * one chain for a plaintext TCP server. A server that produces no chain is reported; a port without
 * chains has no listener (empty).
 */
final class GatewayPortBuilder {
  private final VirtualHostAssembler hosts;
  private final ServerTlsPolicy tlsPolicy;
  private final TlsRouteConverter tlsRoutes;
  private final TcpRouteConverter tcpRoutes;
  private final DiagnosticSink diagnostics;
  private final Set<String> l4Reached;

  /**
   * @param l4Reached where VirtualServices whose tls/tcp rules met a server they could apply to are
   *     recorded (see {@link L4Binding#useKey})
   */
  GatewayPortBuilder(
      VirtualHostAssembler hosts,
      ServerTlsPolicy tlsPolicy,
      TlsRouteConverter tlsRoutes,
      TcpRouteConverter tcpRoutes,
      DiagnosticSink diagnostics,
      Set<String> l4Reached) {
    this.l4Reached = l4Reached;
    this.hosts = hosts;
    this.tlsPolicy = tlsPolicy;
    this.tlsRoutes = tlsRoutes;
    this.tcpRoutes = tcpRoutes;
    this.diagnostics = diagnostics;
  }

  Optional<GatewayPort> build(
      PortAssembler.PortPlan plan,
      ImmutableList<VirtualService> virtualServices,
      Set<VirtualHostAssembler.HostUse> usedHosts) {
    ImmutableList<Server> servers =
        plan.servers().stream()
            .map(
                s ->
                    new Server(
                        s.gatewayKey(),
                        s.displayName(),
                        s.server().port().protocol().wireName(),
                        s.server().hosts()))
            .collect(ImmutableList.toImmutableList());
    ServerKind portKind = plan.servers().get(0).kind();
    if (portKind == ServerKind.PLAINTEXT_HTTP) {
      ImmutableList<VirtualHost> virtualHosts = hosts.assemble(plan, virtualServices, usedHosts);
      return Optional.of(
          GatewayPort.plaintextHttp(plan.number(), plan.bind(), servers, virtualHosts));
    }
    List<FilterChainPlan> chains = new ArrayList<>();
    if (portKind == ServerKind.PLAINTEXT_TCP) {
      BoundServer server = plan.servers().get(0);
      tcpChain(server, virtualServices, usedHosts, Optional.empty()).ifPresent(chains::add);
    } else {
      // Terminating servers first: their SNI names are fixed by their hosts, and a passthrough
      // match for one of those names must not add a second chain for it.
      Map<String, String> sniOwners = new HashMap<>();
      for (BoundServer server : plan.servers()) {
        if (server.kind() == ServerKind.TLS_TERMINATED) {
          Optional<FilterChainPlan> chain = terminated(plan, server, virtualServices, usedHosts);
          chain.ifPresent(chains::add);
          chain.ifPresent(
              c -> c.serverNames().forEach(n -> sniOwners.putIfAbsent(n, server.label())));
        }
      }
      for (BoundServer server : plan.servers()) {
        if (server.kind() == ServerKind.TLS_PASSTHROUGH) {
          ImmutableList<FilterChainPlan.TcpProxy> passthrough =
              tlsRoutes.convert(server, virtualServices, sniOwners, usedHosts);
          if (passthrough.isEmpty()) {
            reportNoRoute(server, "VirtualService tls rule with sniHosts among its hosts");
          }
          chains.addAll(passthrough);
        }
      }
    }
    if (chains.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new GatewayPort(plan.number(), plan.bind(), servers, ImmutableList.copyOf(chains)));
  }

  private Optional<FilterChainPlan> terminated(
      PortAssembler.PortPlan plan,
      BoundServer server,
      ImmutableList<VirtualService> virtualServices,
      Set<VirtualHostAssembler.HostUse> usedHosts) {
    Optional<DownstreamTls> tls = tlsPolicy.terminate(server);
    if (tls.isEmpty()) {
      // Fail closed; the policy or the credential resolver said why. The VirtualService hosts
      // the server would have served still count as exposed: "no server exposes it" would send
      // the user to the wrong fix.
      virtualServices.forEach(vs -> L4Binding.reaches(vs, server, usedHosts));
      return Optional.empty();
    }
    if (server.server().port().protocol() == Protocol.HTTPS) {
      return Optional.of(
          new FilterChainPlan.Http(
              httpsRouteConfigName(server),
              hosts.assemble(plan.only(server), virtualServices, usedHosts),
              server.sniHosts(),
              tls));
    }
    return tcpChain(server, virtualServices, usedHosts, tls);
  }

  private Optional<FilterChainPlan> tcpChain(
      BoundServer server,
      ImmutableList<VirtualService> virtualServices,
      Set<VirtualHostAssembler.HostUse> usedHosts,
      Optional<DownstreamTls> tls) {
    Optional<ImmutableList<WeightedDestination>> destinations =
        tcpRoutes.convert(server, virtualServices, usedHosts);
    if (destinations.isEmpty()) {
      if (tls.isEmpty() || !reportTlsRoutesOnTerminatedServer(server, virtualServices, usedHosts)) {
        reportNoRoute(server, "VirtualService tcp rule");
      }
      return Optional.empty();
    }
    return Optional.of(
        new FilterChainPlan.TcpProxy(
            destinations.get(), tls.isPresent() ? server.sniHosts() : ImmutableList.of(), tls));
  }

  /**
   * Istio builds a terminating TLS server from tcp rules only and drops its listener without a word
   * when the VirtualService has tls rules instead: a tls rule matches the SNI of a TLS session the
   * gateway would pass on untouched, which contradicts terminating it.
   */
  private boolean reportTlsRoutesOnTerminatedServer(
      BoundServer server,
      ImmutableList<VirtualService> virtualServices,
      Set<VirtualHostAssembler.HostUse> usedHosts) {
    boolean reported = false;
    for (VirtualService vs : virtualServices) {
      if (!vs.tls().isEmpty() && L4Binding.reaches(vs, server, usedHosts)) {
        l4Reached.add(L4Binding.useKey(vs, "tls"));
        diagnostics.error(
            Subjects.of(vs),
            "spec.tls",
            "tls rules route TLS the gateway passes through by SNI, but "
                + server.label()
                + " terminates TLS (mode "
                + server.server().tls().orElseThrow().mode()
                + "), so they do not apply to it and the server gets no filter chain. Either set"
                + " the server's tls.mode to PASSTHROUGH (the destination then sees the client's"
                + " TLS), or keep terminating and write the rule under tcp: with the same"
                + " destination (the gateway then forwards the decrypted bytes).");
        reported = true;
      }
    }
    return reported;
  }

  private void reportNoRoute(BoundServer server, String what) {
    diagnostics.warning(
        server.subject(),
        server.field(),
        server.label()
            + " ("
            + server.kind().description()
            + ") has no "
            + what
            + " that applies to it (or none that could be used), so it gets no filter chain"
            + " and its connections are closed. Bind a VirtualService with such a rule to this"
            + " Gateway.");
  }

  /** Istio's per-server route config name: {@code https.443.https.egress.istio-system}. */
  static String httpsRouteConfigName(BoundServer server) {
    return "https."
        + server.port()
        + "."
        + server.server().port().name()
        + "."
        + server.gateway().metadata().name()
        + "."
        + server.gateway().metadata().namespace();
  }
}
