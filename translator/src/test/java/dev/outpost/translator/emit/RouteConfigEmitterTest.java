package dev.outpost.translator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.ByteString;
import dev.outpost.translator.ir.FaultInjection;
import dev.outpost.translator.ir.HashPolicy;
import dev.outpost.translator.ir.HeaderMatch;
import dev.outpost.translator.ir.HeaderOperations;
import dev.outpost.translator.ir.QueryParamMatch;
import dev.outpost.translator.ir.RetryPolicy;
import dev.outpost.translator.ir.Rewrite;
import dev.outpost.translator.ir.Route;
import dev.outpost.translator.ir.RouteAction;
import dev.outpost.translator.ir.RouteMatch;
import dev.outpost.translator.ir.StringMatch;
import dev.outpost.translator.ir.VirtualHost;
import dev.outpost.translator.ir.WeightedDestination;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RouteConfigEmitterTest {
  private final RouteConfigEmitter emitter =
      new RouteConfigEmitter(new RouteMatchEmitter(), new RouteActionEmitter());

  private RouteConfiguration emit(VirtualHost... hosts) {
    return emitter.emit("http.80", ImmutableList.copyOf(hosts));
  }

  private io.envoyproxy.envoy.config.route.v3.Route emitRoute(Route route) {
    return emit(new VirtualHost("a.com", 80, ImmutableList.of(route)))
        .getVirtualHosts(0)
        .getRoutes(0);
  }

  @Test
  void virtualHostsAreNamedHostPortAndMatchTheHostWhateverThePort() {
    RouteConfiguration config =
        emit(
            new VirtualHost("b.com", 80, ImmutableList.of()),
            new VirtualHost("*", 80, ImmutableList.of()));

    assertEquals("http.80", config.getName());
    assertTrue(
        config.getIgnorePortInHostMatching(),
        "Host: b.com:8080 must reach b.com's routes, as in Istio");
    assertEquals("*:80", config.getVirtualHosts(0).getName());
    assertEquals(ImmutableList.of("*"), config.getVirtualHosts(0).getDomainsList());
    assertEquals("b.com:80", config.getVirtualHosts(1).getName());
    assertEquals(ImmutableList.of("b.com"), config.getVirtualHosts(1).getDomainsList());
    assertEquals(
        0,
        config.getVirtualHosts(1).getRoutesCount(),
        "a host without routes is an empty vhost: 404");
  }

  @Test
  void pathMatchesAndCaseSensitivity() {
    var exact =
        emitRoute(IrFixtures.route("r", match(StringMatch.exact("/a")), IrFixtures.forwardTo("c")));
    assertEquals("/a", exact.getMatch().getPath());
    assertFalse(exact.getMatch().hasCaseSensitive());

    var prefix =
        emitRoute(
            IrFixtures.route(
                "r",
                match(new StringMatch(StringMatch.Kind.PREFIX, "/B", true)),
                IrFixtures.forwardTo("c")));
    assertEquals("/B", prefix.getMatch().getPrefix());
    assertFalse(prefix.getMatch().getCaseSensitive().getValue());

    var regex =
        emitRoute(
            IrFixtures.route(
                "r",
                match(new StringMatch(StringMatch.Kind.REGEX, "/v[0-9]+", true)),
                IrFixtures.forwardTo("c")));
    assertEquals("(?i)/v[0-9]+", regex.getMatch().getSafeRegex().getRegex());

    var any = emitRoute(IrFixtures.route("r", RouteMatch.ANY, IrFixtures.forwardTo("c")));
    assertEquals("/", any.getMatch().getPrefix());
  }

  @Test
  void headersMethodAndQueryParameters() {
    RouteMatch match =
        new RouteMatch(
            Optional.empty(),
            Optional.of(StringMatch.exact("GET")),
            ImmutableList.of(
                new HeaderMatch("x-env", Optional.of(StringMatch.prefix("prod")), false),
                HeaderMatch.absent("x-debug")),
            ImmutableList.of(
                new QueryParamMatch("v", Optional.of(StringMatch.regex("[0-9]+"))),
                new QueryParamMatch("flag", Optional.empty())));

    var route = emitRoute(IrFixtures.route("r", match, IrFixtures.forwardTo("c")));

    var headers = route.getMatch().getHeadersList();
    assertEquals(":method", headers.get(0).getName());
    assertEquals("GET", headers.get(0).getStringMatch().getExact());
    assertEquals("prod", headers.get(1).getStringMatch().getPrefix());
    assertEquals("x-debug", headers.get(2).getName());
    assertTrue(headers.get(2).getPresentMatch());
    assertTrue(headers.get(2).getInvertMatch());
    assertEquals(
        "[0-9]+",
        route.getMatch().getQueryParameters(0).getStringMatch().getSafeRegex().getRegex());
    assertTrue(route.getMatch().getQueryParameters(1).getPresentMatch());
  }

  @Test
  void weightedForwardWithRewriteTimeoutRetriesAndHashPolicy() {
    RouteAction.Forward forward =
        new RouteAction.Forward(
            ImmutableList.of(new WeightedDestination("v1", 80), new WeightedDestination("v2", 20)),
            Optional.of(new Rewrite(Optional.of("/new"), Optional.empty(), Optional.of("b.com"))),
            Duration.ofSeconds(5),
            Optional.of(
                new RetryPolicy(3, Optional.of(Duration.ofMillis(500)), "5xx", ImmutableList.of())),
            ImmutableList.of(new HashPolicy.Header("x-user")));

    var action = emitRoute(IrFixtures.route("r", RouteMatch.ANY, forward)).getRoute();

    assertEquals(2, action.getWeightedClusters().getClustersCount());
    assertEquals("v1", action.getWeightedClusters().getClusters(0).getName());
    assertEquals(80, action.getWeightedClusters().getClusters(0).getWeight().getValue());
    assertEquals("/new", action.getPrefixRewrite());
    assertEquals("b.com", action.getHostRewriteLiteral());
    assertEquals(5, action.getTimeout().getSeconds());
    assertEquals(5, action.getMaxStreamDuration().getMaxStreamDuration().getSeconds());
    assertEquals(5, action.getMaxStreamDuration().getGrpcTimeoutHeaderMax().getSeconds());
    assertEquals(3, action.getRetryPolicy().getNumRetries().getValue());
    assertEquals(500_000_000, action.getRetryPolicy().getPerTryTimeout().getNanos());
    assertEquals(5, action.getRetryPolicy().getHostSelectionRetryMaxAttempts());
    assertEquals(
        RouteActionEmitter.PREVIOUS_HOSTS,
        action.getRetryPolicy().getRetryHostPredicate(0).getName());
    assertEquals("x-user", action.getHashPolicy(0).getHeader().getHeaderName());
  }

  /** Consistent hashing picks the host; a retry must not be steered away from it (Istio). */
  @Test
  void retriesOnAnyHostHaveNoPreviousHostsPredicate() {
    RouteAction.Forward forward =
        new RouteAction.Forward(
            ImmutableList.of(new WeightedDestination("c", 100)),
            Optional.empty(),
            Duration.ZERO,
            Optional.of(
                new RetryPolicy(2, Optional.empty(), "5xx", ImmutableList.of()).onAnyHost()),
            ImmutableList.of(new HashPolicy.Header("x-user")));

    var retry = emitRoute(IrFixtures.route("r", RouteMatch.ANY, forward)).getRoute().getRetryPolicy();

    assertEquals(0, retry.getRetryHostPredicateCount());
    assertEquals(5, retry.getHostSelectionRetryMaxAttempts());
  }

  @Test
  void singleDestinationUsesClusterAndZeroTimeoutDisablesIt() {
    var action =
        emitRoute(IrFixtures.route("r", RouteMatch.ANY, IrFixtures.forwardTo("only"))).getRoute();
    assertEquals("only", action.getCluster());
    assertTrue(action.hasTimeout());
    assertEquals(0, action.getTimeout().getSeconds());
    assertTrue(
        action.getMaxStreamDuration().hasGrpcTimeoutHeaderMax(),
        "grpc-timeout is honoured, as in Istio");
    assertEquals(0, action.getMaxStreamDuration().getGrpcTimeoutHeaderMax().getSeconds());
    assertEquals(0, action.getMaxStreamDuration().getMaxStreamDuration().getSeconds());
  }

  @Test
  void regexRewrite() {
    RouteAction.Forward forward =
        new RouteAction.Forward(
            ImmutableList.of(new WeightedDestination("c", 100)),
            Optional.of(
                new Rewrite(
                    Optional.empty(),
                    Optional.of(new Rewrite.RegexRewrite("^/old/(.*)$", "/new/\\1")),
                    Optional.empty())),
            Duration.ZERO,
            Optional.empty(),
            ImmutableList.of());
    var action = emitRoute(IrFixtures.route("r", RouteMatch.ANY, forward)).getRoute();
    assertEquals("^/old/(.*)$", action.getRegexRewrite().getPattern().getRegex());
    assertEquals("/new/\\1", action.getRegexRewrite().getSubstitution());
  }

  @Test
  void redirectAndDirectResponse() {
    var redirect =
        emitRoute(
            IrFixtures.route(
                "r",
                RouteMatch.ANY,
                new RouteAction.Redirect(
                    Optional.of("/x"),
                    Optional.of("b.com"),
                    Optional.of("https"),
                    OptionalInt.of(8443),
                    307)));
    assertEquals("/x", redirect.getRedirect().getPathRedirect());
    assertEquals("b.com", redirect.getRedirect().getHostRedirect());
    assertEquals("https", redirect.getRedirect().getSchemeRedirect());
    assertEquals(8443, redirect.getRedirect().getPortRedirect());
    assertEquals(
        RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT,
        redirect.getRedirect().getResponseCode());

    var direct =
        emitRoute(
            IrFixtures.route(
                "r",
                RouteMatch.ANY,
                new RouteAction.DirectResponse(503, Optional.of(ByteString.copyFromUtf8("down")))));
    assertEquals(503, direct.getDirectResponse().getStatus());
    assertEquals("down", direct.getDirectResponse().getBody().getInlineString());
  }

  @Test
  void headerOperationsOverwriteAppendAndRemove() {
    Route route =
        new Route(
            "r",
            RouteMatch.ANY,
            IrFixtures.forwardTo("c"),
            new HeaderOperations(
                ImmutableSortedMap.of("x-set", "1"),
                ImmutableSortedMap.of("x-add", "2"),
                ImmutableList.of("x-drop")),
            new HeaderOperations(
                ImmutableSortedMap.of(), ImmutableSortedMap.of(), ImmutableList.of("server")),
            Optional.empty());

    var out = emitRoute(route);

    assertEquals("x-set", out.getRequestHeadersToAdd(0).getHeader().getKey());
    assertEquals(
        HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD,
        out.getRequestHeadersToAdd(0).getAppendAction());
    assertEquals(
        HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD,
        out.getRequestHeadersToAdd(1).getAppendAction());
    assertEquals(ImmutableList.of("x-drop"), out.getRequestHeadersToRemoveList());
    assertEquals(ImmutableList.of("server"), out.getResponseHeadersToRemoveList());
  }

  @Test
  void faultGoesIntoPerRouteFilterConfig() throws Exception {
    Route route =
        new Route(
            "r",
            RouteMatch.ANY,
            IrFixtures.forwardTo("c"),
            HeaderOperations.NONE,
            HeaderOperations.NONE,
            Optional.of(
                new FaultInjection(
                    Optional.of(new FaultInjection.Delay(Duration.ofSeconds(2), 12.5)),
                    Optional.of(new FaultInjection.Abort(503, 100)))));

    HTTPFault fault =
        emitRoute(route)
            .getTypedPerFilterConfigOrThrow(ListenerEmitter.FAULT_FILTER)
            .unpack(HTTPFault.class);

    assertEquals(2, fault.getDelay().getFixedDelay().getSeconds());
    assertEquals(125_000, fault.getDelay().getPercentage().getNumerator());
    assertEquals(
        FractionalPercent.DenominatorType.MILLION,
        fault.getDelay().getPercentage().getDenominator());
    assertEquals(503, fault.getAbort().getHttpStatus());
    assertEquals(1_000_000, fault.getAbort().getPercentage().getNumerator());
  }

  private static RouteMatch match(StringMatch path) {
    return new RouteMatch(
        Optional.of(path), Optional.empty(), ImmutableList.of(), ImmutableList.of());
  }

  @Test
  void httpsRedirectHostsRequireTlsAndOthersDoNot() {
    RouteConfiguration config =
        emit(
            new VirtualHost("a.com", 80, ImmutableList.of(), true),
            new VirtualHost("b.com", 80, ImmutableList.of()));
    assertEquals(
        io.envoyproxy.envoy.config.route.v3.VirtualHost.TlsRequirementType.ALL,
        config.getVirtualHosts(0).getRequireTls());
    assertEquals(
        io.envoyproxy.envoy.config.route.v3.VirtualHost.TlsRequirementType.NONE,
        config.getVirtualHosts(1).getRequireTls());
  }
}
