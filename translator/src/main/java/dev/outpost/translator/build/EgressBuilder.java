package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.ir.EgressConfig;
import dev.outpost.translator.ir.HttpPort;
import dev.outpost.translator.ir.Server;
import dev.outpost.translator.ir.UpstreamCluster;
import dev.outpost.translator.ir.VirtualHost;
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
    reportNonHttpRoutes(virtualServices, gateways, diagnostics);

    ServiceRegistry services =
        new ServiceRegistry(snapshot.serviceEntries(), proxy.namespace(), diagnostics);
    DestinationRuleIndex rules =
        new DestinationRuleIndex(snapshot.destinationRules(), proxy.namespace());
    CredentialResolver credentials =
        new CredentialResolver(snapshot.secrets(), proxy.namespace(), context.now(), diagnostics);
    UpstreamTlsPolicy upstreamTls =
        new UpstreamTlsPolicy(credentials, diagnostics, context.trustDomain());
    DestinationResolver resolver =
        new DestinationResolver(services, rules, diagnostics, upstreamTls);
    VirtualHostAssembler hosts =
        new VirtualHostAssembler(new RouteConverter(resolver, upstreamTls, proxy, diagnostics));

    Set<VirtualHostAssembler.HostUse> usedHosts = new HashSet<>();
    ImmutableList.Builder<HttpPort> ports = ImmutableList.builder();
    for (PortAssembler.PortPlan plan : new PortAssembler(diagnostics).assemble(gateways)) {
      ImmutableList<VirtualHost> virtualHosts = hosts.assemble(plan, virtualServices, usedHosts);
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
      ports.add(new HttpPort(plan.number(), plan.bind(), servers, virtualHosts));
    }
    reportUnexposedHosts(virtualServices, gateways, usedHosts, diagnostics);

    ClusterBuilder clusterBuilder = new ClusterBuilder(diagnostics, upstreamTls);
    ImmutableList.Builder<UpstreamCluster> clusters = ImmutableList.builder();
    resolver.referenced().values().forEach(ref -> clusters.add(clusterBuilder.build(ref)));
    clusters.add(UpstreamCluster.blackHole());
    return new Result(new EgressConfig(ports.build(), clusters.build()), diagnostics.toList());
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

  /** tls and tcp routes need TLS/TCP servers, which this gateway does not build yet. */
  private static void reportNonHttpRoutes(
      ImmutableList<VirtualService> virtualServices,
      ImmutableList<Gateway> gateways,
      DiagnosticSink diagnostics) {
    for (VirtualService vs : virtualServices) {
      if (gateways.stream().noneMatch(g -> VirtualHostAssembler.bindsTo(vs, g))) {
        continue;
      }
      if (!vs.tls().isEmpty()) {
        diagnostics.warning(
            Subjects.of(vs),
            "spec.tls",
            "tls routes are not supported on gateways yet (they arrive with TLS support) and are"
                + " ignored; only the http routes of this VirtualService are used.");
      }
      if (!vs.tcp().isEmpty()) {
        diagnostics.warning(
            Subjects.of(vs),
            "spec.tcp",
            "tcp routes are not supported on gateways yet (they arrive with TLS support) and are"
                + " ignored; only the http routes of this VirtualService are used.");
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
                  + "\" is not exposed by any plaintext HTTP server of Gateway "
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
