package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code trafficPolicy.loadBalancer}: at most one of {@code simple} or {@code consistentHash}.
 *
 * @param localityLbSetting not supported yet
 * @param warmupDurationSecs slow-start window for new endpoints (a duration despite its name)
 */
public record LoadBalancerSettings(
    Optional<Simple> simple,
    Optional<ConsistentHash> consistentHash,
    Optional<LocalityLbSetting> localityLbSetting,
    Optional<Duration> warmupDurationSecs) {

  /** {@code loadBalancer.simple}. LEAST_CONN is Istio's deprecated alias of LEAST_REQUEST. */
  public enum Simple {
    UNSPECIFIED,
    LEAST_CONN,
    RANDOM,
    PASSTHROUGH,
    ROUND_ROBIN,
    LEAST_REQUEST
  }

  /**
   * {@code loadBalancer.consistentHash}: exactly one hash key (header, cookie, source IP or query
   * parameter) and at most one of {@code ringHash} or {@code maglev}.
   *
   * @param minimumRingSize deprecated top-level form of {@code ringHash.minimumRingSize}
   */
  public record ConsistentHash(
      Optional<String> httpHeaderName,
      Optional<HttpCookie> httpCookie,
      boolean useSourceIp,
      Optional<String> httpQueryParameterName,
      Optional<RingHash> ringHash,
      Optional<Maglev> maglev,
      Optional<Long> minimumRingSize) {}

  /** {@code consistentHash.httpCookie}: hash on a cookie, which Envoy creates with {@code ttl}. */
  public record HttpCookie(String name, Optional<String> path, Optional<Duration> ttl) {}

  /** {@code consistentHash.ringHash}. */
  public record RingHash(Optional<Long> minimumRingSize) {}

  /** {@code consistentHash.maglev}; {@code tableSize} must be prime (Envoy's rule). */
  public record Maglev(Optional<Long> tableSize) {}

  /**
   * {@code loadBalancer.localityLbSetting} (not supported yet).
   *
   * @param distribute {@code from} locality to {@code to} locality → weight
   * @param failover {@code from} region → {@code to} region
   * @param failoverPriority ordered label keys
   */
  public record LocalityLbSetting(
      ImmutableList<Distribute> distribute,
      ImmutableList<Failover> failover,
      ImmutableList<String> failoverPriority,
      Optional<Boolean> enabled) {

    /** {@code localityLbSetting.distribute[]}. */
    public record Distribute(String from, ImmutableSortedMap<String, Integer> to) {}

    /** {@code localityLbSetting.failover[]}. */
    public record Failover(String from, String to) {}
  }
}
