package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.WeightedDestination;
import dev.outpost.translator.model.ClientTlsSettings;
import dev.outpost.translator.model.RouteDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code tls[]} or {@code tcp[]} rule's {@code route} → the clusters its connections go to, by
 * weight. Destinations are resolved by the shared {@link DestinationResolver}, so the clusters are
 * built exactly as for http routes. Weight-0 destinations get no connections and are left out
 * (Envoy's tcp_proxy requires weights of at least 1).
 */
final class L4DestinationConverter {
  private final DestinationResolver destinations;
  private final DiagnosticSink diagnostics;

  L4DestinationConverter(DestinationResolver destinations, DiagnosticSink diagnostics) {
    this.destinations = destinations;
    this.diagnostics = diagnostics;
  }

  /**
   * The weighted clusters, or empty (reported) when none can be used.
   *
   * @param passthrough the client's TLS goes through untouched: a cluster whose DestinationRule
   *     originates TLS would wrap it in a second TLS session that no server expects, so such a
   *     destination is refused
   */
  Optional<ImmutableList<WeightedDestination>> convert(
      ImmutableList<RouteDestination> route,
      String vsNamespace,
      String subject,
      String field,
      boolean passthrough) {
    List<WeightedDestination> resolved = new ArrayList<>();
    boolean single = route.size() == 1;
    for (int d = 0; d < route.size(); d++) {
      RouteDestination destination = route.get(d);
      String destField = field + ".route[" + d + "]";
      int weight = single ? 100 : destination.weight().orElse(0);
      if (weight == 0) {
        continue;
      }
      Optional<ClusterRef> ref =
          destinations.find(
              destination.destination(), vsNamespace, subject, destField + ".destination");
      if (ref.isEmpty() || (passthrough && originatesTls(ref.get(), subject, destField))) {
        continue;
      }
      resolved.add(
          new WeightedDestination(
              destinations.use(ref.get(), subject, destField + ".destination"), weight));
    }
    if (resolved.isEmpty()) {
      diagnostics.error(
          subject,
          field,
          "no destination of this rule can be used (see the diagnostics on its route[] entries;"
              + " weight-0 destinations get no connections), so the rule is dropped.");
      return Optional.empty();
    }
    if (resolved.size() == 1) {
      resolved = List.of(new WeightedDestination(resolved.get(0).cluster(), 100));
    }
    return Optional.of(ImmutableList.copyOf(resolved));
  }

  /**
   * Istio applies the DestinationRule's TLS to a passthrough destination's cluster all the same,
   * and the connection fails with TLS inside TLS; here the destination is refused and the
   * diagnostic says where the TLS setting comes from.
   */
  private boolean originatesTls(ClusterRef ref, String subject, String destField) {
    Optional<EffectivePolicy.Sourced<ClientTlsSettings>> tls =
        EffectivePolicy.of(ref.rule(), ref.port().number(), ref.subset()).tls();
    if (tls.isEmpty() || tls.get().value().mode() == ClientTlsSettings.Mode.DISABLE) {
      return false;
    }
    diagnostics.error(
        subject,
        destField + ".destination",
        "cluster "
            + ref.name()
            + " originates TLS (mode "
            + tls.get().value().mode()
            + " from "
            + ref.rule().map(Subjects::of).orElse("a DestinationRule")
            + " "
            + tls.get().field()
            + "), but this is a passthrough route: the client's own TLS session goes to the"
            + " destination untouched, and a second TLS layer around it would fail the"
            + " handshake. The destination is dropped. Set tls.mode DISABLE for port "
            + ref.port().number()
            + " in the DestinationRule (portLevelSettings), or terminate TLS at the gateway and"
            + " route http instead.");
    return true;
  }
}
