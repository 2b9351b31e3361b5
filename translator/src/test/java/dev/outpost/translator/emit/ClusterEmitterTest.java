package dev.outpost.translator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.ir.CircuitBreakers;
import dev.outpost.translator.ir.Endpoint;
import dev.outpost.translator.ir.LoadBalancer;
import dev.outpost.translator.ir.OutlierDetection;
import dev.outpost.translator.ir.UpstreamCluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClusterEmitterTest {
  private final EndpointEmitter endpoints = new EndpointEmitter();
  private final ClusterEmitter emitter = new ClusterEmitter(endpoints);

  @Test
  void edsClusterFetchesItsOwnNameOverAds() {
    Cluster cluster =
        emitter.emit(IrFixtures.cluster("outbound|80||a.com", UpstreamCluster.Discovery.EDS));

    assertEquals(Cluster.DiscoveryType.EDS, cluster.getType());
    assertEquals("outbound|80||a.com", cluster.getEdsClusterConfig().getServiceName());
    assertTrue(cluster.getEdsClusterConfig().getEdsConfig().hasAds());
    assertFalse(cluster.hasLoadAssignment());
    assertEquals(10, cluster.getConnectTimeout().getSeconds());
  }

  /**
   * Without connectionPool settings Istio still sets every threshold to 2^32-1: Envoy's defaults
   * (1024, and 3 concurrent retries) would turn load into 503s and skipped retries.
   */
  @Test
  void clustersWithoutLimitsAreUnlimitedNotEnvoysDefaults() {
    Cluster cluster =
        emitter.emit(IrFixtures.cluster("outbound|80||a.com", UpstreamCluster.Discovery.EDS));

    assertEquals(1, cluster.getCircuitBreakers().getThresholdsCount());
    var thresholds = cluster.getCircuitBreakers().getThresholds(0);
    long unlimited = 0xFFFFFFFFL;
    assertEquals(unlimited, Integer.toUnsignedLong(thresholds.getMaxConnections().getValue()));
    assertEquals(unlimited, Integer.toUnsignedLong(thresholds.getMaxPendingRequests().getValue()));
    assertEquals(unlimited, Integer.toUnsignedLong(thresholds.getMaxRequests().getValue()));
    assertEquals(unlimited, Integer.toUnsignedLong(thresholds.getMaxRetries().getValue()));
    assertTrue(thresholds.getTrackRemaining());
  }

  @Test
  void dnsClustersCarryTheirHostsInline() {
    Cluster strict =
        emitter.emit(
            IrFixtures.cluster(
                "outbound|80||a.com",
                UpstreamCluster.Discovery.STRICT_DNS,
                Endpoint.of("a.com", 80)));
    assertEquals(Cluster.DiscoveryType.STRICT_DNS, strict.getType());
    assertEquals(
        "a.com",
        strict
            .getLoadAssignment()
            .getEndpoints(0)
            .getLbEndpoints(0)
            .getEndpoint()
            .getAddress()
            .getSocketAddress()
            .getAddress());

    Cluster logical =
        emitter.emit(
            IrFixtures.cluster(
                "outbound|80||b.com",
                UpstreamCluster.Discovery.LOGICAL_DNS,
                Endpoint.of("b.com", 8080)));
    assertEquals(Cluster.DiscoveryType.LOGICAL_DNS, logical.getType());
    assertEquals("outbound|80||b.com", logical.getLoadAssignment().getClusterName());
    assertIstioDnsRefresh(strict);
    assertIstioDnsRefresh(logical);
  }

  /** Follow the record's TTL, else 60 s, as Istio; Envoy alone polls every 5 s, TTL ignored. */
  @SuppressWarnings("deprecation")
  private static void assertIstioDnsRefresh(Cluster cluster) {
    assertTrue(cluster.getRespectDnsTtl(), cluster.getName());
    assertEquals(60, cluster.getDnsRefreshRate().getSeconds(), cluster.getName());
  }

  @Test
  void blackHoleIsStaticWithoutEndpoints() {
    Cluster cluster = emitter.emit(UpstreamCluster.blackHole());
    assertEquals("BlackHoleCluster", cluster.getName());
    assertEquals(Cluster.DiscoveryType.STATIC, cluster.getType());
    assertFalse(cluster.hasLoadAssignment());
  }

  @Test
  void policiesLimitsAndHttpOptions() throws Exception {
    UpstreamCluster ir =
        new UpstreamCluster(
            "outbound|80|v1|a.com",
            UpstreamCluster.Discovery.EDS,
            UpstreamCluster.UpstreamProtocol.HTTP2,
            ImmutableList.of(),
            new LoadBalancer(LoadBalancer.Policy.RING_HASH, OptionalLong.of(1024)),
            Duration.ofMillis(250),
            Optional.of(
                new CircuitBreakers(
                    OptionalInt.of(10), OptionalInt.of(5), OptionalInt.empty(), OptionalInt.of(2))),
            Optional.of(Duration.ofSeconds(30)),
            OptionalInt.of(7),
            Optional.of(
                new OutlierDetection(
                    OptionalInt.of(5),
                    OptionalInt.empty(),
                    Optional.of(Duration.ofSeconds(10)),
                    Optional.of(Duration.ofSeconds(30)),
                    OptionalInt.of(50),
                    OptionalInt.of(20))));

    Cluster cluster = emitter.emit(ir);

    assertEquals(Cluster.LbPolicy.RING_HASH, cluster.getLbPolicy());
    assertEquals(1024, cluster.getRingHashLbConfig().getMinimumRingSize().getValue());
    assertEquals(250_000_000, cluster.getConnectTimeout().getNanos());
    var thresholds = cluster.getCircuitBreakers().getThresholds(0);
    assertEquals(10, thresholds.getMaxConnections().getValue());
    assertEquals(5, thresholds.getMaxPendingRequests().getValue());
    assertEquals(0xFFFFFFFFL, Integer.toUnsignedLong(thresholds.getMaxRequests().getValue()));
    assertEquals(2, thresholds.getMaxRetries().getValue());
    assertTrue(thresholds.getTrackRemaining());
    assertEquals(5, cluster.getOutlierDetection().getConsecutive5Xx().getValue());
    assertEquals(100, cluster.getOutlierDetection().getEnforcingConsecutive5Xx().getValue());
    assertEquals(50, cluster.getOutlierDetection().getMaxEjectionPercent().getValue());
    assertEquals(20.0, cluster.getCommonLbConfig().getHealthyPanicThreshold().getValue());
    HttpProtocolOptions options =
        cluster
            .getTypedExtensionProtocolOptionsOrThrow(ClusterEmitter.HTTP_PROTOCOL_OPTIONS)
            .unpack(HttpProtocolOptions.class);
    assertEquals(30, options.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds());
    assertEquals(
        7, options.getCommonHttpProtocolOptions().getMaxRequestsPerConnection().getValue());
    assertTrue(options.getExplicitHttpConfig().hasHttp2ProtocolOptions());
  }

  @Test
  void maglevAndSimplePolicies() {
    UpstreamCluster base = IrFixtures.cluster("c", UpstreamCluster.Discovery.EDS);
    Cluster maglev =
        emitter.emit(
            withLb(base, new LoadBalancer(LoadBalancer.Policy.MAGLEV, OptionalLong.of(65537))));
    assertEquals(Cluster.LbPolicy.MAGLEV, maglev.getLbPolicy());
    assertEquals(65537, maglev.getMaglevLbConfig().getTableSize().getValue());
    assertEquals(
        Cluster.LbPolicy.LEAST_REQUEST,
        emitter
            .emit(withLb(base, LoadBalancer.of(LoadBalancer.Policy.LEAST_REQUEST)))
            .getLbPolicy());
    assertEquals(
        Cluster.LbPolicy.RANDOM,
        emitter.emit(withLb(base, LoadBalancer.of(LoadBalancer.Policy.RANDOM))).getLbPolicy());
  }

  @Test
  void endpointsGroupByLocalityWithWeights() {
    UpstreamCluster ir =
        IrFixtures.cluster(
            "c",
            UpstreamCluster.Discovery.EDS,
            new Endpoint("10.0.0.2", 80, 3, "us-east1/b", ImmutableSortedMap.of()),
            new Endpoint("10.0.0.1", 80, 0, "", ImmutableSortedMap.of()),
            new Endpoint("10.0.0.3", 81, 0, "us-east1/b", ImmutableSortedMap.of()));

    ClusterLoadAssignment cla = endpoints.emit(ir);

    assertEquals("c", cla.getClusterName());
    assertEquals(2, cla.getEndpointsCount());
    assertFalse(cla.getEndpoints(0).hasLocality());
    assertEquals("us-east1", cla.getEndpoints(1).getLocality().getRegion());
    assertEquals("b", cla.getEndpoints(1).getLocality().getZone());
    assertEquals(3, cla.getEndpoints(1).getLbEndpoints(0).getLoadBalancingWeight().getValue());
    assertFalse(cla.getEndpoints(0).getLbEndpoints(0).hasLoadBalancingWeight());
  }

  private static UpstreamCluster withLb(UpstreamCluster c, LoadBalancer lb) {
    return new UpstreamCluster(
        c.name(),
        c.discovery(),
        c.protocol(),
        c.endpoints(),
        lb,
        c.connectTimeout(),
        c.circuitBreakers(),
        c.idleTimeout(),
        c.maxRequestsPerConnection(),
        c.outlierDetection());
  }
}
