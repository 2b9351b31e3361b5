package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An upstream cluster: how its endpoints are found and the traffic policy towards them.
 *
 * @param name {@code outbound|PORT|SUBSET|HOST}, or {@code BlackHoleCluster}
 * @param endpoints for EDS the ClusterLoadAssignment's endpoints; for DNS the host names to resolve
 * @param tls TLS the gateway originates towards the endpoints; empty: plaintext
 */
public record UpstreamCluster(
    String name,
    Discovery discovery,
    UpstreamProtocol protocol,
    ImmutableList<Endpoint> endpoints,
    LoadBalancer loadBalancer,
    Duration connectTimeout,
    Optional<CircuitBreakers> circuitBreakers,
    Optional<Duration> idleTimeout,
    OptionalInt maxRequestsPerConnection,
    Optional<OutlierDetection> outlierDetection,
    Optional<UpstreamTls> tls) {

  public static final String BLACK_HOLE = "BlackHoleCluster";

  /** Istio's name for where a client proxy sends hosts no registry declares, under ALLOW_ANY. */
  public static final String PASSTHROUGH = "PassthroughCluster";

  /** Istio's default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public enum Discovery {
    /** Endpoints come over ADS in a ClusterLoadAssignment named like the cluster. */
    EDS,
    /** Every address a name resolves to is an endpoint. */
    STRICT_DNS,
    /** Connect to the first address a name resolves to. */
    LOGICAL_DNS,
    /** Fixed endpoints in the cluster itself (only the black hole, which has none). */
    STATIC,
    /**
     * Whatever host the request names, resolved by DNS when it is used (Envoy's dynamic forward
     * proxy): only {@link #PASSTHROUGH}, a client proxy's ALLOW_ANY.
     */
    DYNAMIC_FORWARD_PROXY
  }

  /** How Envoy speaks to the upstream: the ServiceEntry port's protocol. */
  public enum UpstreamProtocol {
    HTTP1,
    HTTP2
  }

  public UpstreamCluster {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(discovery, "discovery");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(loadBalancer, "loadBalancer");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(circuitBreakers, "circuitBreakers");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(maxRequestsPerConnection, "maxRequestsPerConnection");
    Objects.requireNonNull(outlierDetection, "outlierDetection");
    Objects.requireNonNull(tls, "tls");
    if (discovery == Discovery.LOGICAL_DNS && endpoints.size() != 1) {
      throw new IllegalArgumentException(
          "LOGICAL_DNS takes exactly one host, got " + endpoints.size());
    }
  }

  /** A plaintext cluster. */
  public UpstreamCluster(
      String name,
      Discovery discovery,
      UpstreamProtocol protocol,
      ImmutableList<Endpoint> endpoints,
      LoadBalancer loadBalancer,
      Duration connectTimeout,
      Optional<CircuitBreakers> circuitBreakers,
      Optional<Duration> idleTimeout,
      OptionalInt maxRequestsPerConnection,
      Optional<OutlierDetection> outlierDetection) {
    this(
        name,
        discovery,
        protocol,
        endpoints,
        loadBalancer,
        connectTimeout,
        circuitBreakers,
        idleTimeout,
        maxRequestsPerConnection,
        outlierDetection,
        Optional.empty());
  }

  /** Istio's black hole: a static cluster without endpoints, so anything sent there fails. */
  public static UpstreamCluster blackHole() {
    return withoutEndpoints(BLACK_HOLE, Discovery.STATIC);
  }

  /**
   * ALLOW_ANY without traffic interception: the application told its proxy the host (the
   * authority of an HTTP proxy request or CONNECT), so the proxy resolves and connects to that,
   * where Istio's sidecar would use the original destination address of an intercepted
   * connection.
   */
  public static UpstreamCluster passthrough() {
    return withoutEndpoints(PASSTHROUGH, Discovery.DYNAMIC_FORWARD_PROXY);
  }

  /** One of Istio's fixed clusters: no endpoints of its own, Istio's defaults otherwise. */
  private static UpstreamCluster withoutEndpoints(String name, Discovery discovery) {
    return new UpstreamCluster(
        name,
        discovery,
        UpstreamProtocol.HTTP1,
        ImmutableList.of(),
        LoadBalancer.ROUND_ROBIN,
        DEFAULT_CONNECT_TIMEOUT,
        Optional.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty());
  }

  /** Istio's cluster name: {@code outbound|443||api.example.com}. */
  public static String outboundName(int port, String subset, String host) {
    return "outbound|" + port + "|" + subset + "|" + host;
  }
}
