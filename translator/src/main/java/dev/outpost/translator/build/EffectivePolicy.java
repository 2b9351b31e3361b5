package dev.outpost.translator.build;

import dev.outpost.translator.model.ClientTlsSettings;
import dev.outpost.translator.model.ConnectionPoolSettings;
import dev.outpost.translator.model.DestinationRule;
import dev.outpost.translator.model.LoadBalancerSettings;
import dev.outpost.translator.model.OutlierDetection;
import dev.outpost.translator.model.Subset;
import dev.outpost.translator.model.TrafficPolicy;
import java.util.Optional;

/**
 * The DestinationRule policy for one cluster (port and subset), each field with the path it came
 * from so diagnostics point at what the user wrote.
 *
 * <p>Istio's rules: {@code portLevelSettings} for the port replace the top-level policy as a whole
 * (no inheritance); a subset's policy (after its own port-level replacement) overrides the rule's
 * policy field by field.
 */
record EffectivePolicy(
    Optional<Sourced<LoadBalancerSettings>> loadBalancer,
    Optional<Sourced<ConnectionPoolSettings>> connectionPool,
    Optional<Sourced<OutlierDetection>> outlierDetection,
    Optional<Sourced<ClientTlsSettings>> tls) {

  static final EffectivePolicy NONE =
      new EffectivePolicy(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /** A value and the field path it was read from. */
  record Sourced<T>(T value, String field) {}

  static EffectivePolicy of(Optional<DestinationRule> rule, int port, String subset) {
    if (rule.isEmpty()) {
      return NONE;
    }
    DestinationRule dr = rule.get();
    EffectivePolicy base = forPort(dr.trafficPolicy(), port, "spec.trafficPolicy");
    if (subset.isEmpty()) {
      return base;
    }
    for (int i = 0; i < dr.subsets().size(); i++) {
      Subset s = dr.subsets().get(i);
      if (s.name().equals(subset)) {
        return base.overriddenBy(
            forPort(s.trafficPolicy(), port, "spec.subsets[" + i + "].trafficPolicy"));
      }
    }
    return base;
  }

  private static EffectivePolicy forPort(Optional<TrafficPolicy> policy, int port, String field) {
    if (policy.isEmpty()) {
      return NONE;
    }
    TrafficPolicy tp = policy.get();
    for (int i = 0; i < tp.portLevelSettings().size(); i++) {
      TrafficPolicy.PortTrafficPolicy p = tp.portLevelSettings().get(i);
      if (p.port() == port) {
        String pf = field + ".portLevelSettings[" + i + "]";
        return new EffectivePolicy(
            p.loadBalancer().map(v -> new Sourced<>(v, pf + ".loadBalancer")),
            p.connectionPool().map(v -> new Sourced<>(v, pf + ".connectionPool")),
            p.outlierDetection().map(v -> new Sourced<>(v, pf + ".outlierDetection")),
            p.tls().map(v -> new Sourced<>(v, pf + ".tls")));
      }
    }
    return new EffectivePolicy(
        tp.loadBalancer().map(v -> new Sourced<>(v, field + ".loadBalancer")),
        tp.connectionPool().map(v -> new Sourced<>(v, field + ".connectionPool")),
        tp.outlierDetection().map(v -> new Sourced<>(v, field + ".outlierDetection")),
        tp.tls().map(v -> new Sourced<>(v, field + ".tls")));
  }

  private EffectivePolicy overriddenBy(EffectivePolicy subset) {
    return new EffectivePolicy(
        subset.loadBalancer.or(() -> loadBalancer),
        subset.connectionPool.or(() -> connectionPool),
        subset.outlierDetection.or(() -> outlierDetection),
        subset.tls.or(() -> tls));
  }
}
