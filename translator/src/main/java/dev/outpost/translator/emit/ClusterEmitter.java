package dev.outpost.translator.emit;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import dev.outpost.translator.ir.CircuitBreakers;
import dev.outpost.translator.ir.LoadBalancer;
import dev.outpost.translator.ir.OutlierDetection;
import dev.outpost.translator.ir.UpstreamCluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;

/**
 * IR clusters → Envoy clusters: discovery (EDS over ADS, STRICT_DNS, LOGICAL_DNS, STATIC), load
 * balancing, circuit breakers, outlier detection and upstream HTTP options; upstream TLS is {@link
 * UpstreamTlsEmitter}'s.
 */
public final class ClusterEmitter {
  /** The key Envoy looks up the upstream HTTP protocol options under. */
  public static final String HTTP_PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  static final java.time.Duration DNS_REFRESH_RATE = java.time.Duration.ofSeconds(60);

  private static final int UNLIMITED_THRESHOLD = -1; // unsigned 4294967295 on the wire

  private final EndpointEmitter endpoints;
  private final UpstreamTlsEmitter tls = new UpstreamTlsEmitter();

  public ClusterEmitter(EndpointEmitter endpoints) {
    this.endpoints = endpoints;
  }

  public Cluster emit(UpstreamCluster cluster) {
    Cluster.Builder out =
        Cluster.newBuilder()
            .setName(cluster.name())
            .setConnectTimeout(ProtoValues.duration(cluster.connectTimeout()));
    switch (cluster.discovery()) {
      case EDS ->
          out.setType(Cluster.DiscoveryType.EDS)
              .setEdsClusterConfig(
                  Cluster.EdsClusterConfig.newBuilder()
                      .setEdsConfig(ProtoValues.ads())
                      .setServiceName(cluster.name()));
      case STRICT_DNS, LOGICAL_DNS -> {
        out.setType(
                cluster.discovery() == UpstreamCluster.Discovery.STRICT_DNS
                    ? Cluster.DiscoveryType.STRICT_DNS
                    : Cluster.DiscoveryType.LOGICAL_DNS)
            // Most external services have no IPv6 address; AUTO would try v6 first.
            .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_PREFERRED)
            .setLoadAssignment(endpoints.emit(cluster));
        dnsRefresh(out);
      }
      case STATIC -> out.setType(Cluster.DiscoveryType.STATIC);
        // The cluster picks the host itself, from the request.
      case DYNAMIC_FORWARD_PROXY ->
          out.setClusterType(ForwardProxyEmitter.clusterType())
              .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
    }
    if (cluster.discovery() != UpstreamCluster.Discovery.DYNAMIC_FORWARD_PROXY) {
      loadBalancer(cluster.loadBalancer(), out);
    }
    // Always set: an unset threshold is unlimited, as Istio, not Envoy's 1024 (3 for retries).
    out.setCircuitBreakers(
        circuitBreakers(cluster.circuitBreakers().orElse(CircuitBreakers.UNLIMITED)));
    cluster.outlierDetection().ifPresent(od -> out.setOutlierDetection(outlierDetection(od)));
    // Istio's minHealthPercent is Envoy's panic threshold: below it, ejected hosts get traffic
    // again.
    cluster
        .outlierDetection()
        .flatMap(
            od ->
                od.minHealthPercent().isPresent()
                    ? java.util.Optional.of(od.minHealthPercent().getAsInt())
                    : java.util.Optional.empty())
        .ifPresent(
            v ->
                out.setCommonLbConfig(
                    Cluster.CommonLbConfig.newBuilder()
                        .setHealthyPanicThreshold(
                            io.envoyproxy.envoy.type.v3.Percent.newBuilder().setValue(v))));
    cluster.tls().ifPresent(t -> out.setTransportSocket(tls.transportSocket(t)));
    if (cluster.discovery() != UpstreamCluster.Discovery.STATIC
        && cluster.discovery() != UpstreamCluster.Discovery.DYNAMIC_FORWARD_PROXY) {
      out.putTypedExtensionProtocolOptions(
          HTTP_PROTOCOL_OPTIONS, Any.pack(httpProtocolOptions(cluster)));
    }
    return out.build();
  }

  /**
   * Istio's DNS refresh: follow the record's TTL, and every 60 s (its mesh default) when there is
   * none. Envoy alone re-resolves every 5 s and ignores TTLs. The fields are deprecated in favour
   * of the {@code envoy.clusters.dns} extension, which older Envoy 1.3x releases lack; Istio still
   * sets these.
   */
  @SuppressWarnings("deprecation")
  private static void dnsRefresh(Cluster.Builder out) {
    out.setDnsRefreshRate(ProtoValues.duration(DNS_REFRESH_RATE)).setRespectDnsTtl(true);
  }

  private static void loadBalancer(LoadBalancer lb, Cluster.Builder out) {
    switch (lb.policy()) {
      case ROUND_ROBIN -> out.setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
      case LEAST_REQUEST -> out.setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
      case RANDOM -> out.setLbPolicy(Cluster.LbPolicy.RANDOM);
      case RING_HASH -> {
        out.setLbPolicy(Cluster.LbPolicy.RING_HASH);
        lb.ringOrTableSize()
            .ifPresent(
                size ->
                    out.setRingHashLbConfig(
                        Cluster.RingHashLbConfig.newBuilder()
                            .setMinimumRingSize(UInt64Value.of(size))));
      }
      case MAGLEV -> {
        out.setLbPolicy(Cluster.LbPolicy.MAGLEV);
        lb.ringOrTableSize()
            .ifPresent(
                size ->
                    out.setMaglevLbConfig(
                        Cluster.MaglevLbConfig.newBuilder().setTableSize(UInt64Value.of(size))));
      }
    }
  }

  private static io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers circuitBreakers(
      CircuitBreakers cb) {
    var thresholds =
        io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds.newBuilder()
            .setPriority(RoutingPriority.DEFAULT)
            .setMaxConnections(limit(cb.maxConnections()))
            .setMaxPendingRequests(limit(cb.maxPendingRequests()))
            .setMaxRequests(limit(cb.maxRequests()))
            .setMaxRetries(limit(cb.maxRetries()))
            // remaining_* gauges show how close a cluster is to its limits, as in Istio.
            .setTrackRemaining(true);
    return io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.newBuilder()
        .addThresholds(thresholds)
        .build();
  }

  /** 2^32-1, Envoy's largest threshold: no limit. */
  private static UInt32Value limit(java.util.OptionalInt value) {
    return UInt32Value.of(value.isPresent() ? value.getAsInt() : UNLIMITED_THRESHOLD);
  }

  private static io.envoyproxy.envoy.config.cluster.v3.OutlierDetection outlierDetection(
      OutlierDetection od) {
    var out = io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder();
    // Istio enforces exactly what the user configured and turns the rest off: 5xx ejection at
    // 100% when set, gateway errors likewise, success-rate ejection never.
    od.consecutive5xxErrors()
        .ifPresent(
            v ->
                out.setConsecutive5Xx(UInt32Value.of(v))
                    .setEnforcingConsecutive5Xx(UInt32Value.of(v > 0 ? 100 : 0)));
    od.consecutiveGatewayErrors()
        .ifPresent(
            v ->
                out.setConsecutiveGatewayFailure(UInt32Value.of(v))
                    .setEnforcingConsecutiveGatewayFailure(UInt32Value.of(v > 0 ? 100 : 0)));
    od.interval().ifPresent(v -> out.setInterval(ProtoValues.duration(v)));
    od.baseEjectionTime().ifPresent(v -> out.setBaseEjectionTime(ProtoValues.duration(v)));
    od.maxEjectionPercent().ifPresent(v -> out.setMaxEjectionPercent(UInt32Value.of(v)));
    out.setEnforcingSuccessRate(UInt32Value.of(0));
    return out.build();
  }

  private io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions
      httpProtocolOptions(UpstreamCluster cluster) {
    var explicit =
        io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig
            .newBuilder();
    if (cluster.protocol() == UpstreamCluster.UpstreamProtocol.HTTP2) {
      explicit.setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance());
    } else {
      explicit.setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance());
    }
    var out =
        io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
            .setExplicitHttpConfig(explicit);
    cluster
        .tls()
        .flatMap(tls::upstreamHttpProtocolOptions)
        .ifPresent(out::setUpstreamHttpProtocolOptions);
    if (cluster.idleTimeout().isPresent() || cluster.maxRequestsPerConnection().isPresent()) {
      HttpProtocolOptions.Builder common = HttpProtocolOptions.newBuilder();
      cluster.idleTimeout().ifPresent(v -> common.setIdleTimeout(ProtoValues.duration(v)));
      cluster
          .maxRequestsPerConnection()
          .ifPresent(v -> common.setMaxRequestsPerConnection(UInt32Value.of(v)));
      out.setCommonHttpProtocolOptions(common);
    }
    return out.build();
  }
}
