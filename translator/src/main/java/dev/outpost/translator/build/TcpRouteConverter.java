package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.WeightedDestination;
import dev.outpost.translator.model.TcpRoute;
import dev.outpost.translator.model.VirtualService;
import java.util.Optional;
import java.util.Set;

/**
 * VirtualService {@code tcp} rules on a plaintext TCP server or a TLS server that terminates
 * (protocol TLS) → where its connections go. As in Istio, a server forwards to one rule: the first
 * that applies, VirtualServices in namespace/name order; later ones that also apply are reported as
 * ignored there.
 */
final class TcpRouteConverter {
  private final L4DestinationConverter destinations;
  private final DiagnosticSink diagnostics;
  private final Set<String> reached;

  /**
   * @param reached records the VirtualServices whose tcp rules met a server they could apply to
   */
  TcpRouteConverter(
      L4DestinationConverter destinations, DiagnosticSink diagnostics, Set<String> reached) {
    this.destinations = destinations;
    this.diagnostics = diagnostics;
    this.reached = reached;
  }

  /** The destinations of the winning rule; empty if no rule applies or it cannot be used. */
  Optional<ImmutableList<WeightedDestination>> convert(
      BoundServer server,
      ImmutableList<VirtualService> virtualServices,
      Set<VirtualHostAssembler.HostUse> usedHosts) {
    String winner = null;
    Optional<ImmutableList<WeightedDestination>> result = Optional.empty();
    for (VirtualService vs : virtualServices) {
      if (vs.tcp().isEmpty() || !L4Binding.reaches(vs, server, usedHosts)) {
        continue;
      }
      reached.add(L4Binding.useKey(vs, "tcp"));
      String subject = Subjects.of(vs);
      boolean anyApplies = false;
      for (int i = 0; i < vs.tcp().size(); i++) {
        TcpRoute rule = vs.tcp().get(i);
        if (!applies(rule, server, vs.metadata().namespace())) {
          continue;
        }
        anyApplies = true;
        String field = "spec.tcp[" + i + "]";
        if (winner != null) {
          diagnostics.warning(
              subject,
              field,
              "this rule also applies to "
                  + server.label()
                  + ", but a TCP server forwards every connection by one rule, and "
                  + winner
                  + " came first (VirtualServices in namespace/name order, rules in order); it is"
                  + " ignored there. Narrow it with match.port or match.gateways.");
          break;
        }
        winner = subject + " " + field;
        result =
            destinations.convert(rule.route(), vs.metadata().namespace(), subject, field, false);
        break;
      }
      if (!anyApplies) {
        diagnostics.warning(
            subject,
            "spec.tcp",
            "the VirtualService is bound to "
                + server.label()
                + " (port "
                + server.port()
                + "), but every tcp rule's match names another port (match.port) or gateway"
                + " (match.gateways, e.g. only mesh), so none forwards connections there. Add a"
                + " match without those conditions, or fix the port or gateway name.");
      }
    }
    return result;
  }

  /** No match entries apply everywhere; otherwise any entry that names this port and gateway. */
  private static boolean applies(TcpRoute rule, BoundServer server, String vsNamespace) {
    return rule.match().isEmpty()
        || rule.match().stream()
            .anyMatch(m -> L4Binding.applies(m.port(), m.gateways(), server, vsNamespace));
  }
}
