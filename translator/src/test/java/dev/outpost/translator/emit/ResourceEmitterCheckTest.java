package dev.outpost.translator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.ByteString;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.check.SnapshotChecker;
import dev.outpost.translator.ir.CircuitBreakers;
import dev.outpost.translator.ir.EgressConfig;
import dev.outpost.translator.ir.Endpoint;
import dev.outpost.translator.ir.FaultInjection;
import dev.outpost.translator.ir.HashPolicy;
import dev.outpost.translator.ir.HeaderMatch;
import dev.outpost.translator.ir.HeaderOperations;
import dev.outpost.translator.ir.GatewayPort;
import dev.outpost.translator.ir.LoadBalancer;
import dev.outpost.translator.ir.OutlierDetection;
import dev.outpost.translator.ir.QueryParamMatch;
import dev.outpost.translator.ir.RetryPolicy;
import dev.outpost.translator.ir.Rewrite;
import dev.outpost.translator.ir.Route;
import dev.outpost.translator.ir.RouteAction;
import dev.outpost.translator.ir.RouteMatch;
import dev.outpost.translator.ir.StringMatch;
import dev.outpost.translator.ir.UpstreamCluster;
import dev.outpost.translator.ir.VirtualHost;
import dev.outpost.translator.ir.WeightedDestination;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Everything the emitters can produce, in one snapshot, through the real checker: Envoy's PGV rules
 * (inside every Any) and cross references. Independent of the input parser.
 */
class ResourceEmitterCheckTest {

  @Test
  void everyFeatureTogetherPassesTheChecker() {
    String eds = "outbound|80|v1|a.example.com";
    String dns = "outbound|80||b.example.com";
    String logical = "outbound|8080||c.example.com";
    Route forward =
        new Route(
            "forward",
            new RouteMatch(
                Optional.of(new StringMatch(StringMatch.Kind.PREFIX, "/api", true)),
                Optional.of(StringMatch.exact("GET")),
                ImmutableList.of(
                    new HeaderMatch("x-env", Optional.of(StringMatch.regex("prod|staging")), false),
                    HeaderMatch.absent("x-debug")),
                ImmutableList.of(new QueryParamMatch("v", Optional.of(StringMatch.exact("2"))))),
            new RouteAction.Forward(
                ImmutableList.of(
                    new WeightedDestination(eds, 70), new WeightedDestination(dns, 30)),
                Optional.of(
                    new Rewrite(
                        Optional.of("/v2"), Optional.empty(), Optional.of("b.example.com"))),
                Duration.ofSeconds(3),
                Optional.of(
                    new RetryPolicy(
                        2,
                        Optional.of(Duration.ofMillis(200)),
                        "5xx,retriable-status-codes",
                        ImmutableList.of(503))),
                ImmutableList.of(
                    new HashPolicy.Cookie(
                        "session", Optional.of("/"), Optional.of(Duration.ofHours(1))))),
            new HeaderOperations(
                ImmutableSortedMap.of("x-a", "1"),
                ImmutableSortedMap.of("x-b", "2"),
                ImmutableList.of("x-c")),
            new HeaderOperations(
                ImmutableSortedMap.of(), ImmutableSortedMap.of(), ImmutableList.of("server")),
            Optional.of(
                new FaultInjection(
                    Optional.of(new FaultInjection.Delay(Duration.ofMillis(100), 10)),
                    Optional.of(new FaultInjection.Abort(503, 1)))));
    Route regex =
        IrFixtures.route(
            "regex",
            new RouteMatch(
                Optional.of(StringMatch.regex("/r/[0-9]+")),
                Optional.empty(),
                ImmutableList.of(),
                ImmutableList.of()),
            new RouteAction.Forward(
                ImmutableList.of(new WeightedDestination(logical, 100)),
                Optional.of(
                    new Rewrite(
                        Optional.empty(),
                        Optional.of(new Rewrite.RegexRewrite("^/r/(.*)$", "/\\1")),
                        Optional.empty())),
                Duration.ZERO,
                Optional.empty(),
                ImmutableList.of(new HashPolicy.SourceIp())));
    Route redirect =
        IrFixtures.route(
            "redirect",
            new RouteMatch(
                Optional.of(StringMatch.exact("/old")),
                Optional.empty(),
                ImmutableList.of(),
                ImmutableList.of()),
            new RouteAction.Redirect(
                Optional.of("/new"),
                Optional.empty(),
                Optional.of("https"),
                OptionalInt.of(443),
                301));
    Route direct =
        IrFixtures.route(
            "direct",
            RouteMatch.ANY,
            new RouteAction.DirectResponse(418, Optional.of(ByteString.copyFromUtf8("teapot"))));

    GatewayPort port =
        GatewayPort.plaintextHttp(
            80,
            "0.0.0.0",
            ImmutableList.of(),
            ImmutableList.of(
                new VirtualHost(
                    "a.example.com", 80, ImmutableList.of(forward, regex, redirect, direct)),
                new VirtualHost("*", 80, ImmutableList.of())));
    UpstreamCluster edsCluster =
        new UpstreamCluster(
            eds,
            UpstreamCluster.Discovery.EDS,
            UpstreamCluster.UpstreamProtocol.HTTP1,
            ImmutableList.of(
                new Endpoint(
                    "192.0.2.1", 8080, 2, "r/z/s", ImmutableSortedMap.of("version", "v1"))),
            new LoadBalancer(LoadBalancer.Policy.MAGLEV, OptionalLong.of(65537)),
            Duration.ofSeconds(1),
            Optional.of(
                new CircuitBreakers(
                    OptionalInt.of(1), OptionalInt.of(2), OptionalInt.of(3), OptionalInt.of(4))),
            Optional.of(Duration.ofSeconds(60)),
            OptionalInt.of(10),
            Optional.of(
                new OutlierDetection(
                    OptionalInt.of(5),
                    OptionalInt.of(3),
                    Optional.of(Duration.ofSeconds(10)),
                    Optional.of(Duration.ofSeconds(30)),
                    OptionalInt.of(100),
                    OptionalInt.of(50))));
    UpstreamCluster dnsCluster =
        new UpstreamCluster(
            dns,
            UpstreamCluster.Discovery.STRICT_DNS,
            UpstreamCluster.UpstreamProtocol.HTTP2,
            ImmutableList.of(Endpoint.of("b.example.com", 80)),
            new LoadBalancer(LoadBalancer.Policy.RING_HASH, OptionalLong.of(1024)),
            UpstreamCluster.DEFAULT_CONNECT_TIMEOUT,
            Optional.empty(),
            Optional.empty(),
            OptionalInt.empty(),
            Optional.empty());
    UpstreamCluster logicalCluster =
        IrFixtures.cluster(
            logical, UpstreamCluster.Discovery.LOGICAL_DNS, Endpoint.of("c.example.com", 8080));

    EnvoyResources resources =
        new ResourceEmitter()
            .emit(
                new EgressConfig(
                    ImmutableList.of(port),
                    ImmutableList.of(edsCluster, dnsCluster, logicalCluster)));

    CheckResult check = new SnapshotChecker().check(resources);
    assertTrue(check.ok(), () -> String.join("\n", check.problems()));
    assertEquals(
        ImmutableList.of("BlackHoleCluster", logical, eds, dns), // plain string order: '0' < '|'
        resources.clusters().stream()
            .map(Cluster::getName)
            .collect(ImmutableList.toImmutableList()));
    assertEquals(1, resources.endpoints().size(), "only EDS clusters get a ClusterLoadAssignment");
  }

  @Test
  void aRouteToAMissingClusterIsCaughtByTheChecker() {
    GatewayPort port =
        GatewayPort.plaintextHttp(
            80,
            "0.0.0.0",
            ImmutableList.of(),
            ImmutableList.of(
                new VirtualHost(
                    "a.com",
                    80,
                    ImmutableList.of(
                        IrFixtures.route("r", RouteMatch.ANY, IrFixtures.forwardTo("missing"))))));
    CheckResult check =
        new SnapshotChecker()
            .check(
                new ResourceEmitter()
                    .emit(new EgressConfig(ImmutableList.of(port), ImmutableList.of())));
    assertTrue(!check.ok(), "the checker must reject a dangling cluster reference");
  }
}
