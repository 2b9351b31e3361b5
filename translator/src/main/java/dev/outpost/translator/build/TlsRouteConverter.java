package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.FilterChainPlan;
import dev.outpost.translator.ir.WeightedDestination;
import dev.outpost.translator.model.TlsRoute;
import dev.outpost.translator.model.VirtualService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * VirtualService {@code tls} rules on a PASSTHROUGH server → one filter chain per match entry,
 * matching its {@code sniHosts} ({@code server_names}) and proxying the still-encrypted bytes to
 * the rule's destinations. No TLS context: the client's TLS session ends at the destination. A
 * connection whose SNI no chain names is closed by Envoy; gateways never pass through blindly. An
 * {@code sniHosts} entry {@code *} (on a server with host {@code *}) is the one exception the user
 * asks for: the port's catch-all chain, without {@code server_names} (see {@link SniClaims}).
 */
final class TlsRouteConverter {
  private final L4DestinationConverter destinations;
  private final DiagnosticSink diagnostics;
  private final Set<String> reached;

  /**
   * @param reached records the VirtualServices whose tls rules met a server they could apply to
   */
  TlsRouteConverter(
      L4DestinationConverter destinations, DiagnosticSink diagnostics, Set<String> reached) {
    this.destinations = destinations;
    this.diagnostics = diagnostics;
    this.reached = reached;
  }

  /**
   * @param sniClaims SNI names already given a chain on this port, with who has them: Envoy rejects
   *     a listener where two chains match the same name
   */
  ImmutableList<FilterChainPlan.TcpProxy> convert(
      BoundServer server,
      ImmutableList<VirtualService> virtualServices,
      SniClaims sniClaims,
      Set<VirtualHostAssembler.HostUse> usedHosts) {
    ImmutableList.Builder<FilterChainPlan.TcpProxy> chains = ImmutableList.builder();
    for (VirtualService vs : virtualServices) {
      if (vs.tls().isEmpty() || !L4Binding.reaches(vs, server, usedHosts)) {
        continue;
      }
      reached.add(L4Binding.useKey(vs, "tls"));
      String subject = Subjects.of(vs);
      String vsNamespace = vs.metadata().namespace();
      boolean anyApplied = false;
      for (int i = 0; i < vs.tls().size(); i++) {
        TlsRoute rule = vs.tls().get(i);
        String field = "spec.tls[" + i + "]";
        // Each applicable match entry is a chain with its own SNI names; they share the rule's
        // destinations, resolved once and only if some entry gets a name.
        List<ImmutableList<String>> namedMatches = new ArrayList<>();
        for (int j = 0; j < rule.match().size(); j++) {
          TlsRoute.Match match = rule.match().get(j);
          if (!L4Binding.applies(match.port(), match.gateways(), server, vsNamespace)) {
            continue;
          }
          anyApplied = true;
          ImmutableList<String> names =
              serverNames(
                  match, server, vsNamespace, subject, field + ".match[" + j + "]", sniClaims);
          if (!names.isEmpty()) {
            namedMatches.add(SniClaims.serverNames(names));
            // Every name is this match's, also those a catch-all chain covers anyway: a later
            // match for one of them would get a more specific chain, which Envoy would prefer.
            sniClaims.claim(names, subject + " " + field);
          }
        }
        if (namedMatches.isEmpty()) {
          continue;
        }
        Optional<ImmutableList<WeightedDestination>> resolved =
            destinations.convert(rule.route(), vsNamespace, subject, field, true);
        if (resolved.isEmpty()) {
          continue;
        }
        for (ImmutableList<String> names : namedMatches) {
          chains.add(FilterChainPlan.TcpProxy.passthrough(resolved.get(), names));
        }
      }
      if (!anyApplied) {
        diagnostics.warning(
            subject,
            "spec.tls",
            "the VirtualService is bound to "
                + server.label()
                + " (port "
                + server.port()
                + "), but every tls rule's match names another port (match.port) or gateway"
                + " (match.gateways, e.g. only mesh); connections for its hosts on this port are"
                + " closed. Add a match without those conditions, or fix the port or gateway"
                + " name.");
      }
    }
    return chains.build();
  }

  private ImmutableList<String> serverNames(
      TlsRoute.Match match,
      BoundServer server,
      String vsNamespace,
      String subject,
      String field,
      SniClaims sniClaims) {
    ImmutableList.Builder<String> names = ImmutableList.builder();
    for (int k = 0; k < match.sniHosts().size(); k++) {
      String sniHost = match.sniHosts().get(k);
      String sniField = field + ".sniHosts[" + k + "]";
      Optional<String> name = L4Binding.sniOnServer(sniHost, server, vsNamespace);
      if (name.isEmpty()) {
        diagnostics.warning(
            subject,
            sniField,
            "\""
                + sniHost
                + "\" is not among the hosts of "
                + server.label()
                + " that admit namespace "
                + vsNamespace
                + ", so connections with this SNI get no filter chain there and are closed. Add"
                + " the host to the server.");
        continue;
      }
      Optional<String> owner = sniClaims.owner(name.get());
      if (owner.isPresent()) {
        diagnostics.warning(
            subject,
            sniField,
            (name.get().equals(SniClaims.ANY) ? "any SNI (\"*\")" : "SNI \"" + name.get() + "\"")
                + " on port "
                + server.port()
                + " is already routed by "
                + owner.get()
                + "; Envoy cannot have two filter chains for one SNI name, so this match does not"
                + " get it. Remove one of the two.");
        continue;
      }
      names.add(name.get());
    }
    return names.build().stream().distinct().collect(ImmutableList.toImmutableList());
  }
}
