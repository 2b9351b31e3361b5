package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.ir.Authorization;
import dev.outpost.translator.ir.EgressConfig;
import dev.outpost.translator.ir.GatewayPort;
import dev.outpost.translator.ir.UpstreamCluster;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.VirtualService;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

/**
 * ConfigSnapshot + proxy → the egress IR for that proxy, and what was wrong on the way. Pure and
 * deterministic: every input list is put in namespace/name order before use.
 */
public final class EgressBuilder {

  /** The IR and the translation diagnostics (sorted, without duplicates). */
  public record Result(EgressConfig config, ImmutableList<Diagnostic> diagnostics) {}

  public Result build(ConfigSnapshot snapshot, ProxyIdentity proxy, TranslationContext context) {
    DiagnosticSink diagnostics = new DiagnosticSink();
    ImmutableList<Gateway> gateways = new GatewaySelector().select(snapshot.gateways(), proxy);
    if (gateways.isEmpty()) {
      return new Result(EgressConfig.EMPTY, diagnostics.toList());
    }
    ImmutableList<VirtualService> virtualServices =
        snapshot.virtualServices().stream()
            .sorted(Comparator.comparing(vs -> vs.metadata(), Subjects.KEY_ORDER))
            .collect(ImmutableList.toImmutableList());
    reportUnknownGateways(virtualServices, snapshot.gateways(), gateways, diagnostics);

    ServiceRegistry services = ServiceRegistry.of(snapshot, proxy.namespace(), diagnostics);
    DestinationRuleIndex rules =
        new DestinationRuleIndex(snapshot.destinationRules(), proxy.namespace());
    CredentialResolver credentials =
        new CredentialResolver(snapshot.secrets(), proxy.namespace(), context.now(), diagnostics);
    UpstreamTlsPolicy upstreamTls =
        new UpstreamTlsPolicy(credentials, diagnostics, context.trustDomain());
    DestinationResolver resolver =
        new DestinationResolver(services, rules, diagnostics, upstreamTls);
    L4DestinationConverter l4Destinations = new L4DestinationConverter(resolver, diagnostics);
    Set<String> l4Reached = new HashSet<>();
    GatewayPortBuilder portBuilder =
        new GatewayPortBuilder(
            new VirtualHostAssembler(new RouteConverter(resolver, upstreamTls, proxy, diagnostics)),
            new ServerTlsPolicy(credentials, diagnostics),
            new TlsRouteConverter(l4Destinations, diagnostics, l4Reached),
            new TcpRouteConverter(l4Destinations, diagnostics, l4Reached),
            diagnostics,
            l4Reached);

    Set<VirtualHostAssembler.HostUse> usedHosts = new HashSet<>();
    ImmutableList.Builder<GatewayPort> ports = ImmutableList.builder();
    for (PortAssembler.PortPlan plan : new PortAssembler(diagnostics).assemble(gateways)) {
      portBuilder.build(plan, virtualServices, usedHosts).ifPresent(ports::add);
    }
    reportUnexposedHosts(virtualServices, gateways, usedHosts, diagnostics);
    reportUnusedL4Rules(virtualServices, gateways, l4Reached, diagnostics);

    ClusterBuilder clusterBuilder = new ClusterBuilder(diagnostics, upstreamTls);
    ImmutableList.Builder<UpstreamCluster> clusters = ImmutableList.builder();
    resolver.referenced().values().forEach(ref -> clusters.add(clusterBuilder.build(ref)));
    clusters.add(UpstreamCluster.blackHole());

    ImmutableList<GatewayPort> builtPorts = ports.build();
    Authorization authorization =
        new AuthorizationBuilder(diagnostics)
            .build(
                new AuthorizationPolicySelector(diagnostics)
                    .select(snapshot.authorizationPolicies(), proxy),
                builtPorts);
    return new Result(
        new EgressConfig(builtPorts, clusters.build(), authorization), diagnostics.toList());
  }

  /** A {@code gateways} entry that names no Gateway at all is almost always a typo. */
  private static void reportUnknownGateways(
      ImmutableList<VirtualService> virtualServices,
      ImmutableList<Gateway> allGateways,
      ImmutableList<Gateway> selected,
      DiagnosticSink diagnostics) {
    Set<String> known = new HashSet<>();
    allGateways.forEach(g -> known.add(Subjects.key(g.metadata())));
    Set<String> selectedKeys = new HashSet<>();
    selected.forEach(g -> selectedKeys.add(Subjects.key(g.metadata())));
    for (VirtualService vs : virtualServices) {
      // Only VirtualServices that reach this proxy's Gateways are this translation's business.
      boolean relevant =
          vs.gateways().stream()
              .anyMatch(
                  g -> selectedKeys.contains(GatewayNames.resolve(g, vs.metadata().namespace())));
      if (!relevant) {
        continue;
      }
      for (int i = 0; i < vs.gateways().size(); i++) {
        String resolved = GatewayNames.resolve(vs.gateways().get(i), vs.metadata().namespace());
        if (!resolved.equals(GatewayNames.MESH) && !known.contains(resolved)) {
          diagnostics.warning(
              Subjects.of(vs),
              "spec.gateways[" + i + "]",
              "\""
                  + vs.gateways().get(i)
                  + "\" names Gateway "
                  + resolved
                  + ", which does not exist; nothing binds through this entry. A short name means a"
                  + " Gateway in the VirtualService's namespace; write namespace/name for another"
                  + " namespace.");
        }
      }
    }
  }

  /**
   * tls rules apply only to PASSTHROUGH servers, tcp rules only to TCP servers and terminating
   * TLS servers; Istio ignores them elsewhere without a word.
   */
  private static void reportUnusedL4Rules(
      ImmutableList<VirtualService> virtualServices,
      ImmutableList<Gateway> gateways,
      Set<String> reached,
      DiagnosticSink diagnostics) {
    for (VirtualService vs : virtualServices) {
      if (gateways.stream().noneMatch(g -> VirtualHostAssembler.bindsTo(vs, g))) {
        continue;
      }
      if (!vs.tls().isEmpty() && !reached.contains(L4Binding.useKey(vs, "tls"))) {
        diagnostics.warning(
            Subjects.of(vs),
            "spec.tls",
            "tls rules apply to servers with tls.mode PASSTHROUGH (protocol HTTPS or TLS), and no"
                + " such server of the bound Gateways exposes this VirtualService's hosts to its"
                + " namespace; the tls rules are not used. Add a PASSTHROUGH server with these"
                + " hosts.");
      }
      if (!vs.tcp().isEmpty() && !reached.contains(L4Binding.useKey(vs, "tcp"))) {
        diagnostics.warning(
            Subjects.of(vs),
            "spec.tcp",
            "tcp rules apply to servers with protocol TCP, or protocol TLS that terminate TLS,"
                + " and no such server of the bound Gateways exposes this VirtualService's hosts"
                + " to its namespace; the tcp rules are not used. Add such a server with these"
                + " hosts.");
      }
    }
  }

  /** A VirtualService host that no server of its bound Gateways exposes gets no traffic. */
  private static void reportUnexposedHosts(
      ImmutableList<VirtualService> virtualServices,
      ImmutableList<Gateway> gateways,
      Set<VirtualHostAssembler.HostUse> usedHosts,
      DiagnosticSink diagnostics) {
    for (VirtualService vs : virtualServices) {
      String bound =
          gateways.stream()
              .filter(g -> VirtualHostAssembler.bindsTo(vs, g))
              .map(g -> Subjects.key(g.metadata()))
              .reduce((a, b) -> a + ", " + b)
              .orElse("");
      if (bound.isEmpty()) {
        continue;
      }
      for (int h = 0; h < vs.hosts().size(); h++) {
        if (!usedHosts.contains(new VirtualHostAssembler.HostUse(vs, h))) {
          diagnostics.warning(
              Subjects.of(vs),
              "spec.hosts[" + h + "]",
              "host \""
                  + vs.hosts().get(h)
                  + "\" is not exposed by any server of Gateway "
                  + bound
                  + " that admits namespace "
                  + vs.metadata().namespace()
                  + ", so these routes get no traffic there. Add the host to a server of that"
                  + " Gateway.");
        }
      }
    }
  }
}
