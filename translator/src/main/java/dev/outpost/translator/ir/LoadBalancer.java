package dev.outpost.translator.ir;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A cluster's load-balancing policy. Ring hash and Maglev go with a route hash policy.
 *
 * @param ringOrTableSize ring hash minimum ring size, or Maglev table size (a prime)
 */
public record LoadBalancer(Policy policy, OptionalLong ringOrTableSize) {
  public enum Policy {
    ROUND_ROBIN,
    LEAST_REQUEST,
    RANDOM,
    RING_HASH,
    MAGLEV
  }

  public static final LoadBalancer ROUND_ROBIN =
      new LoadBalancer(Policy.ROUND_ROBIN, OptionalLong.empty());

  public LoadBalancer {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(ringOrTableSize, "ringOrTableSize");
  }

  public static LoadBalancer of(Policy policy) {
    return new LoadBalancer(policy, OptionalLong.empty());
  }
}
