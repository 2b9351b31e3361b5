package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.HashPolicy;
import dev.outpost.translator.ir.LoadBalancer;
import dev.outpost.translator.model.LoadBalancerSettings;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * DestinationRule {@code loadBalancer} → cluster LB policy and, for consistent hashing, the route
 * hash policy that feeds it. Without settings Istio's default applies: LEAST_REQUEST.
 */
final class LoadBalancerPolicy {
  private LoadBalancerPolicy() {}

  static final LoadBalancer ISTIO_DEFAULT = LoadBalancer.of(LoadBalancer.Policy.LEAST_REQUEST);

  static LoadBalancer cluster(
      Optional<EffectivePolicy.Sourced<LoadBalancerSettings>> settings,
      String subject,
      DiagnosticSink diagnostics) {
    if (settings.isEmpty()) {
      return ISTIO_DEFAULT;
    }
    LoadBalancerSettings lb = settings.get().value();
    String field = settings.get().field();
    if (lb.consistentHash().isPresent()) {
      LoadBalancerSettings.ConsistentHash hash = lb.consistentHash().get();
      if (hash.maglev().isPresent()) {
        return new LoadBalancer(
            LoadBalancer.Policy.MAGLEV, toOptionalLong(hash.maglev().get().tableSize()));
      }
      Optional<Long> ring =
          hash.ringHash()
              .flatMap(LoadBalancerSettings.RingHash::minimumRingSize)
              .or(hash::minimumRingSize);
      return new LoadBalancer(LoadBalancer.Policy.RING_HASH, toOptionalLong(ring));
    }
    LoadBalancerSettings.Simple simple =
        lb.simple().orElse(LoadBalancerSettings.Simple.UNSPECIFIED);
    return switch (simple) {
      case ROUND_ROBIN -> LoadBalancer.ROUND_ROBIN;
      case RANDOM -> LoadBalancer.of(LoadBalancer.Policy.RANDOM);
      case LEAST_CONN, LEAST_REQUEST, UNSPECIFIED -> ISTIO_DEFAULT;
      case PASSTHROUGH -> {
        diagnostics.warning(
            subject,
            field + ".simple",
            "PASSTHROUGH sends each request to the address the client originally dialled, which on"
                + " an egress gateway is the gateway itself; the gateway uses LEAST_REQUEST"
                + " (Istio's default) instead. Remove PASSTHROUGH or pick a load-balancing"
                + " policy.");
        yield ISTIO_DEFAULT;
      }
    };
  }

  /** The route hash policy for a consistent-hash cluster, empty for every other policy. */
  static ImmutableList<HashPolicy> hashPolicies(
      Optional<EffectivePolicy.Sourced<LoadBalancerSettings>> settings) {
    Optional<LoadBalancerSettings.ConsistentHash> hash =
        settings.flatMap(s -> s.value().consistentHash());
    if (hash.isEmpty()) {
      return ImmutableList.of();
    }
    LoadBalancerSettings.ConsistentHash h = hash.get();
    if (h.httpHeaderName().isPresent()) {
      return ImmutableList.of(new HashPolicy.Header(h.httpHeaderName().get()));
    }
    if (h.httpCookie().isPresent()) {
      LoadBalancerSettings.HttpCookie cookie = h.httpCookie().get();
      return ImmutableList.of(new HashPolicy.Cookie(cookie.name(), cookie.path(), cookie.ttl()));
    }
    if (h.useSourceIp()) {
      return ImmutableList.of(new HashPolicy.SourceIp());
    }
    if (h.httpQueryParameterName().isPresent()) {
      return ImmutableList.of(new HashPolicy.QueryParameter(h.httpQueryParameterName().get()));
    }
    return ImmutableList.of();
  }

  private static OptionalLong toOptionalLong(Optional<Long> value) {
    return value.map(OptionalLong::of).orElse(OptionalLong.empty());
  }
}
