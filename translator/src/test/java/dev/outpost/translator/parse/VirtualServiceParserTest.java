package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static dev.outpost.translator.parse.Inputs.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.ByteString;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.Destination;
import dev.outpost.translator.model.Headers;
import dev.outpost.translator.model.HttpFaultInjection;
import dev.outpost.translator.model.HttpMatchRequest;
import dev.outpost.translator.model.HttpRedirect;
import dev.outpost.translator.model.HttpRetry;
import dev.outpost.translator.model.HttpRewrite;
import dev.outpost.translator.model.HttpRoute;
import dev.outpost.translator.model.HttpRouteDestination;
import dev.outpost.translator.model.RouteDestination;
import dev.outpost.translator.model.StringMatch;
import dev.outpost.translator.model.TcpRoute;
import dev.outpost.translator.model.TlsRoute;
import dev.outpost.translator.model.VirtualService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VirtualServiceParserTest {

  private static String vs(String spec) {
    return """
    apiVersion: networking.istio.io/v1alpha3
    kind: VirtualService
    metadata: {name: api, namespace: egress}
    spec:
    """
        + spec.indent(2);
  }

  /** A VS with one HTTP rule; {@code rule} is the body of http[0]. */
  private static String http(String rule) {
    return vs(
        "hosts: [api.example.com]\ngateways: [istio-system/egress, mesh]\nhttp:\n- "
            + rule.indent(2).substring(2));
  }

  private static final String ROUTE = "route: [{destination: {host: api.example.com}}]\n";

  private static HttpRoute onlyRoute(ConfigSnapshot s) {
    assertEquals(1, s.virtualServices().size(), Inputs.lines(s).toString());
    return s.virtualServices().get(0).http().get(0);
  }

  @Test
  void readsHttpRouteWithEverythingSupported() {
    ConfigSnapshot s =
        assemble(
            http(
                """
                name: main
                match:
                - name: m1
                  uri: {prefix: /api}
                  scheme: {exact: https}
                  method: {exact: GET}
                  authority: {regex: "api\\\\..*"}
                  headers: {X-User: {exact: bob}, x-present: {}}
                  withoutHeaders: {x-debug: {prefix: "1"}}
                  queryParams: {v: {regex: "[0-9]+"}}
                  port: 80
                  gateways: [istio-system/egress]
                  ignoreUriCase: true
                route:
                - destination: {host: api.example.com, subset: v1, port: {number: 443}}
                  weight: 80
                  headers: {request: {set: {x-a: "1"}, add: {x-b: "2"}, remove: [x-c]}}
                - destination: {host: api.example.com, subset: v2}
                  weight: 20
                rewrite: {uri: /v2, authority: api.internal}
                timeout: 1.5s
                retries: {attempts: 3, perTryTimeout: 500ms, retryOn: "5xx, connect-failure,503"}
                fault:
                  delay: {fixedDelay: 1h30m, percentage: {value: 0.5}}
                  abort: {httpStatus: 503, percentage: {value: 10}}
                headers: {response: {set: {x-served-by: outpost}}}
                """));
    assertNoDiagnostics(s);
    VirtualService v = s.virtualServices().get(0);
    assertEquals(List.of("istio-system/egress", "mesh"), v.gateways());
    HttpRoute r = v.http().get(0);
    assertEquals(Optional.of("main"), r.name());
    HttpMatchRequest m = r.match().get(0);
    assertEquals(Optional.of(StringMatch.prefix("/api")), m.uri());
    assertEquals(Optional.of(StringMatch.exact("https")), m.scheme());
    assertEquals(Optional.of(StringMatch.exact("GET")), m.method());
    assertEquals(Optional.of(StringMatch.regex("api\\..*")), m.authority());
    assertEquals(
        ImmutableSortedMap.of(
            "x-user",
            StringMatch.exact("bob"),
            "x-present",
            new StringMatch(StringMatch.Type.PRESENT, "")),
        m.headers());
    assertEquals(ImmutableSortedMap.of("x-debug", StringMatch.prefix("1")), m.withoutHeaders());
    assertEquals(ImmutableSortedMap.of("v", StringMatch.regex("[0-9]+")), m.queryParams());
    assertEquals(Optional.of(80), m.port());
    assertEquals(List.of("istio-system/egress"), m.gateways());
    assertTrue(m.ignoreUriCase());
    assertEquals(
        new HttpRouteDestination(
            new Destination("api.example.com", Optional.of("v1"), Optional.of(443)),
            Optional.of(80),
            Optional.of(
                new Headers(
                    new Headers.HeaderOperations(
                        ImmutableSortedMap.of("x-a", "1"),
                        ImmutableSortedMap.of("x-b", "2"),
                        ImmutableList.of("x-c")),
                    Headers.HeaderOperations.EMPTY))),
        r.route().get(0));
    assertEquals(Optional.of(20), r.route().get(1).weight());
    assertEquals(
        Optional.of(
            new HttpRewrite(Optional.of("/v2"), Optional.of("api.internal"), Optional.empty())),
        r.rewrite());
    assertEquals(Optional.of(Duration.ofMillis(1500)), r.timeout());
    assertEquals(
        Optional.of(
            new HttpRetry(
                3,
                Optional.of(Duration.ofMillis(500)),
                ImmutableList.of("5xx", "connect-failure", "503"),
                Optional.empty())),
        r.retries());
    assertEquals(
        Optional.of(
            new HttpFaultInjection(
                Optional.of(new HttpFaultInjection.Delay(Duration.ofMinutes(90), Optional.of(0.5))),
                Optional.of(
                    new HttpFaultInjection.Abort(
                        Optional.of(503), Optional.empty(), Optional.of(10.0))))),
        r.fault());
    assertEquals("outpost", r.headers().orElseThrow().response().set().get("x-served-by"));
  }

  @Test
  void readsRedirect() {
    HttpRoute r =
        onlyRoute(
            assemble(
                http(
                    "redirect: {uri: /new, authority: new.example.com, scheme: https, redirectCode:"
                        + " 308}\n")));
    assertEquals(
        Optional.of(
            new HttpRedirect(
                Optional.of("/new"),
                Optional.of("new.example.com"),
                Optional.empty(),
                Optional.empty(),
                Optional.of("https"),
                Optional.of(308))),
        r.redirect());
  }

  @Test
  void readsDirectResponseWithStringOrBytes() {
    HttpRoute text =
        onlyRoute(assemble(http("directResponse: {status: 418, body: {string: teapot}}\n")));
    assertEquals(418, text.directResponse().orElseThrow().status());
    assertEquals(
        Optional.of("teapot"), text.directResponse().orElseThrow().body().orElseThrow().string());
    HttpRoute bytes =
        onlyRoute(assemble(http("directResponse: {status: 200, body: {bytes: aGk=}}\n")));
    assertEquals(
        Optional.of(ByteString.copyFromUtf8("hi")),
        bytes.directResponse().orElseThrow().body().orElseThrow().bytes());
  }

  @Test
  void readsRegexRewriteAndGrpcAbort() {
    HttpRoute r =
        onlyRoute(
            assemble(
                http(
                    ROUTE
                        + """
                        rewrite: {uriRegexRewrite: {match: "^/v1/(.*)$", rewrite: "/v2/\\\\1"}}
                        fault: {abort: {grpcStatus: UNAVAILABLE}}
                        """)));
    assertEquals(
        new HttpRewrite.RegexRewrite("^/v1/(.*)$", "/v2/\\1"),
        r.rewrite().orElseThrow().uriRegexRewrite().orElseThrow());
    assertEquals(
        Optional.of("UNAVAILABLE"), r.fault().orElseThrow().abort().orElseThrow().grpcStatus());
  }

  @Test
  void readsTlsAndTcpRoutes() {
    ConfigSnapshot s =
        assemble(
            vs(
                """
                hosts: [api.example.com, "*.example.org"]
                gateways: [egress]
                tls:
                - match: [{sniHosts: [api.example.com, a.example.org], port: 443, gateways: [egress], destinationSubnets: [10.0.0.0/8]}]
                  route: [{destination: {host: api.example.com, port: {number: 443}}, weight: 100}]
                tcp:
                - match: [{port: 3306, destinationSubnets: [192.0.2.1]}]
                  route: [{destination: {host: db.example.com}}]
                """));
    assertNoDiagnostics(s);
    VirtualService v = s.virtualServices().get(0);
    assertEquals(
        new TlsRoute(
            ImmutableList.of(
                new TlsRoute.Match(
                    ImmutableList.of("api.example.com", "a.example.org"),
                    ImmutableList.of("10.0.0.0/8"),
                    Optional.of(443),
                    ImmutableSortedMap.of(),
                    ImmutableList.of("egress"),
                    Optional.empty())),
            ImmutableList.of(
                new RouteDestination(
                    new Destination("api.example.com", Optional.empty(), Optional.of(443)),
                    Optional.of(100)))),
        v.tls().get(0));
    assertEquals(
        new TcpRoute(
            ImmutableList.of(
                new TcpRoute.Match(
                    ImmutableList.of("192.0.2.1"),
                    Optional.of(3306),
                    ImmutableSortedMap.of(),
                    ImmutableList.of(),
                    Optional.empty())),
            ImmutableList.of(
                new RouteDestination(
                    new Destination("db.example.com", Optional.empty(), Optional.empty()),
                    Optional.empty()))),
        v.tcp().get(0));
  }

  @Test
  void sniHostsMustBeCoveredByVsHosts() {
    assertRejected(
        assemble(
            vs(
                """
                hosts: [api.example.com]
                tls: [{match: [{sniHosts: [other.example.com]}], route: [{destination: {host: api.example.com}}]}]
                """)),
        "spec.tls[0].match[0].sniHosts[0]",
        "not one of the VirtualService's hosts");
  }

  @Test
  void tlsRouteNeedsMatch() {
    assertRejected(
        assemble(
            vs("hosts: [a.example.com]\ntls: [{route: [{destination: {host: a.example.com}}]}]\n")),
        "spec.tls[0].match",
        "is required");
  }

  @Test
  void requiresHostsAndSomeRoutes() {
    ConfigSnapshot s = assemble(vs("gateways: [egress]\n"));
    assertRejected(s, "spec.hosts", "is required");
    assertDiagnostic(s, Severity.ERROR, "spec", "has no routes");
  }

  @Test
  void starHostOnlyForGatewayBoundVirtualServices() {
    assertRejected(
        assemble(vs("hosts: [\"*\"]\nhttp: [{" + ROUTE.trim() + "}]\n")),
        "spec.hosts[0]",
        "not allowed");
    assertNoDiagnostics(
        assemble(vs("hosts: [\"*\"]\ngateways: [egress]\nhttp: [{" + ROUTE.trim() + "}]\n")));
  }

  @Test
  void rejectsBadGatewayReferences() {
    assertRejected(
        assemble(
            vs("hosts: [a.example.com]\ngateways: [\"a/b/c\"]\nhttp: [{" + ROUTE.trim() + "}]\n")),
        "spec.gateways[0]",
        "not a gateway reference");
  }

  @Test
  void ruleNeedsExactlyOneAction() {
    assertRejected(
        assemble(http("timeout: 5s\n")),
        "spec.http[0]",
        "needs one of route, redirect, directResponse or delegate");
    assertRejected(
        assemble(http(ROUTE + "redirect: {uri: /x}\n")), "spec.http[0]", "mutually exclusive");
  }

  @Test
  void rewriteCannotBeCombinedWithRedirect() {
    assertRejected(
        assemble(http("redirect: {uri: /x}\nrewrite: {uri: /y}\n")),
        "spec.http[0].rewrite",
        "cannot be combined");
  }

  @ParameterizedTest
  @ValueSource(strings = {"(?=lookahead)", "a(b", "(\\\\1)", "[z-a]"})
  void rejectsRegexesThatRe2Rejects(String regex) {
    assertRejected(
        assemble(http("match: [{uri: {regex: \"" + regex + "\"}}]\n" + ROUTE)),
        "spec.http[0].match[0].uri.regex",
        "RE2");
  }

  /** Every regex field meets RE2's repetition limit and Envoy's program size limit. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "match: [{uri: {regex: BOMB}}]|spec.http[0].match[0].uri.regex",
        "match: [{authority: {regex: BOMB}}]|spec.http[0].match[0].authority.regex",
        "match: [{scheme: {regex: BOMB}}]|spec.http[0].match[0].scheme.regex",
        "match: [{method: {regex: BOMB}}]|spec.http[0].match[0].method.regex",
        "match: [{headers: {x-id: {regex: BOMB}}}]|spec.http[0].match[0].headers.x-id.regex",
        "match: [{withoutHeaders: {x-id: {regex: BOMB}}}]|spec.http[0].match[0].withoutHeaders.x-id.regex",
        "match: [{queryParams: {id: {regex: BOMB}}}]|spec.http[0].match[0].queryParams.id.regex",
        "rewrite: {uriRegexRewrite: {match: BOMB, rewrite: /x}}|spec.http[0].rewrite.uriRegexRewrite.match",
        "corsPolicy: {allowOrigins: [{regex: BOMB}]}|spec.http[0].corsPolicy.allowOrigins[0].regex",
      })
  void everyRegexFieldIsBounded(String ruleAndField) {
    String[] parts = ruleAndField.split("\\|");
    for (String bomb : List.of("\"(a{1000}){1000}\"", "\"" + ".{0,1000}".repeat(100) + "\"", "a".repeat(40_000))) {
      String rule = parts[0].replace("BOMB", bomb);
      ConfigSnapshot s = assemble(http(rule.startsWith("match") ? rule + "\n" + ROUTE : ROUTE + rule + "\n"));
      Diagnostic d = assertRejected(s, parts[1], "");
      assertTrue(d.message().matches("(?s).*(RE2|characters long, over).*"), d.message());
      assertTrue(d.message().length() < 700, "echoes the regex: " + d.message().length());
    }
  }

  /** With ignoreUriCase the regex is sent as (?i)..., where k and s cost RE2 more. */
  @Test
  void ignoreUriCaseRegexIsCheckedAsSent() {
    String regex = "k".repeat(30_000);
    assertNoDiagnostics(assemble(http("match: [{uri: {regex: " + regex + "}}]\n" + ROUTE)));
    assertRejected(
        assemble(http("match: [{uri: {regex: " + regex + "}, ignoreUriCase: true}]\n" + ROUTE)),
        "spec.http[0].match[0].uri.regex",
        "with ignoreUriCase (sent as (?i)...)");
  }

  @Test
  void rejectsBadRegexInHeadersAndRewrite() {
    assertRejected(
        assemble(http("match: [{headers: {x: {regex: \"(\"}}}]\n" + ROUTE)),
        "spec.http[0].match[0].headers.x.regex",
        "RE2");
    assertRejected(
        assemble(http(ROUTE + "rewrite: {uriRegexRewrite: {match: \"(\", rewrite: x}}\n")),
        "spec.http[0].rewrite.uriRegexRewrite.match",
        "RE2");
  }

  @Test
  void stringMatchNeedsExactlyOneKind() {
    assertRejected(
        assemble(http("match: [{uri: {exact: /a, prefix: /b}}]\n" + ROUTE)),
        "spec.http[0].match[0].uri",
        "only one");
    assertRejected(
        assemble(http("match: [{uri: {}}]\n" + ROUTE)), "spec.http[0].match[0].uri", "set one of");
  }

  @Test
  void queryParamsDoNotSupportPrefix() {
    assertRejected(
        assemble(http("match: [{queryParams: {q: {prefix: a}}}]\n" + ROUTE)),
        "spec.http[0].match[0].queryParams.q.prefix",
        "not supported");
  }

  @Test
  void rejectsInvalidHeaderNames() {
    assertRejected(
        assemble(http("match: [{headers: {\"bad header\": {exact: a}}}]\n" + ROUTE)),
        "spec.http[0].match[0].headers.bad header",
        "not a valid header name");
  }

  @Test
  void validatesDestination() {
    assertRejected(
        assemble(http("route: [{destination: {host: \"*.example.com\"}}]\n")),
        "spec.http[0].route[0].destination.host",
        "wildcard");
    assertRejected(
        assemble(http("route: [{destination: {subset: v1}}]\n")),
        "spec.http[0].route[0].destination.host",
        "is required");
    assertRejected(
        assemble(http("route: [{destination: {host: a, port: {number: 70000}}}]\n")),
        "spec.http[0].route[0].destination.port.number",
        "1-65535");
  }

  @Test
  void validatesWeights() {
    assertRejected(
        assemble(http("route: [{destination: {host: a}, weight: -1}]\n")),
        "spec.http[0].route[0].weight",
        "negative");
    assertRejected(
        assemble(http("route: [{destination: {host: a}}, {destination: {host: b}}]\n")),
        "spec.http[0].route",
        "no weights");
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 300, 304, 404})
  void rejectsNonRedirectCodes(int code) {
    assertRejected(
        assemble(http("redirect: {uri: /x, redirectCode: " + code + "}\n")),
        "spec.http[0].redirect.redirectCode",
        "301, 302");
  }

  @Test
  void redirectNeedsATarget() {
    assertRejected(
        assemble(http("redirect: {redirectCode: 301}\n")),
        "spec.http[0].redirect",
        "at least one of");
    assertRejected(
        assemble(http("redirect: {port: 8080, derivePort: FROM_REQUEST_PORT}\n")),
        "spec.http[0].redirect.derivePort",
        "cannot be combined");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 99, 199, 600, 1000})
  void rejectsInvalidDirectResponseStatus(int status) {
    assertRejected(
        assemble(http("directResponse: {status: " + status + "}\n")),
        "spec.http[0].directResponse.status",
        "200-599");
  }

  @Test
  void directResponseBodyIsStringOrBytes() {
    assertRejected(
        assemble(http("directResponse: {status: 200, body: {string: a, bytes: aGk=}}\n")),
        "spec.http[0].directResponse.body",
        "exactly one");
    assertRejected(
        assemble(http("directResponse: {status: 200, body: {bytes: \"***\"}}\n")),
        "spec.http[0].directResponse.body.bytes",
        "base64");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1s", "soon", "5", "1.5us", "5 s"})
  void rejectsInvalidTimeouts(String timeout) {
    assertRejected(
        assemble(http(ROUTE + "timeout: \"" + timeout + "\"\n")), "spec.http[0].timeout", "");
  }

  @Test
  void zeroTimeoutMeansDisabledButPerTryTimeoutMustBePositive() {
    assertEquals(
        Optional.of(Duration.ZERO), onlyRoute(assemble(http(ROUTE + "timeout: 0s\n"))).timeout());
    assertRejected(
        assemble(http(ROUTE + "retries: {attempts: 1, perTryTimeout: 0s}\n")),
        "spec.http[0].retries.perTryTimeout",
        "at least 1ms");
  }

  @Test
  void rejectsUnknownRetryOnConditions() {
    assertRejected(
        assemble(http(ROUTE + "retries: {attempts: 2, retryOn: \"5xx,sometimes\"}\n")),
        "spec.http[0].retries.retryOn",
        "\"sometimes\" is not a retry condition");
    assertRejected(
        assemble(http(ROUTE + "retries: {attempts: -2}\n")),
        "spec.http[0].retries.attempts",
        "negative");
  }

  @Test
  void validatesFault() {
    assertRejected(
        assemble(http(ROUTE + "fault: {}\n")), "spec.http[0].fault", "delay and/or abort");
    assertRejected(
        assemble(http(ROUTE + "fault: {delay: {percentage: {value: 5}}}\n")),
        "spec.http[0].fault.delay.fixedDelay",
        "is required");
    assertRejected(
        assemble(http(ROUTE + "fault: {abort: {httpStatus: 503, percentage: {value: 101}}}\n")),
        "spec.http[0].fault.abort.percentage.value",
        "0-100");
    assertRejected(
        assemble(http(ROUTE + "fault: {abort: {httpStatus: 700}}\n")),
        "spec.http[0].fault.abort.httpStatus",
        "200-599");
    assertRejected(
        assemble(http(ROUTE + "fault: {abort: {grpcStatus: NOPE}}\n")),
        "spec.http[0].fault.abort.grpcStatus",
        "gRPC status");
    assertRejected(
        assemble(http(ROUTE + "fault: {abort: {percentage: {value: 1}}}\n")),
        "spec.http[0].fault.abort",
        "exactly one");
  }

  @Test
  void deprecatedDelayPercentIsConverted() {
    ConfigSnapshot s = assemble(http(ROUTE + "fault: {delay: {fixedDelay: 1s, percent: 30}}\n"));
    assertDiagnostic(s, Severity.WARNING, "spec.http[0].fault.delay.percent", "deprecated");
    assertEquals(
        Optional.of(30.0), onlyRoute(s).fault().orElseThrow().delay().orElseThrow().percentage());
  }

  @Test
  void unknownFieldGetsTypoSuggestion() {
    ConfigSnapshot s = assemble(http("route: [{destinaton: {host: a}}]\n"));
    assertDiagnostic(
        s,
        Severity.WARNING,
        "spec.http[0].route[0].destinaton",
        "unknown field \"destinaton\" is ignored; did you mean \"destination\"?");
    assertDiagnostic(s, Severity.ERROR, "spec.http[0].route[0].destination", "is required");
  }

  @Test
  void unknownFieldWithoutCloseMatchSaysSo() {
    ConfigSnapshot s = assemble(http(ROUTE + "whatever: 1\n"));
    assertDiagnostic(
        s, Severity.WARNING, "spec.http[0].whatever", "check its spelling and indentation");
    assertEquals(1, s.virtualServices().size(), "an unknown field is only a warning");
  }

  @Test
  void unsupportedFieldsWarnButAreParsed() {
    ConfigSnapshot s =
        assemble(
            http(
                ROUTE
                    + """
                    mirror: {host: shadow.example.com}
                    mirrorPercentage: {value: 5}
                    mirrors: [{destination: {host: shadow2.example.com}, percentage: {value: 1}}]
                    corsPolicy: {allowOrigins: [{exact: "https://a.example.com"}], allowMethods: [GET], maxAge: 24h}
                    match: [{sourceLabels: {app: x}, sourceNamespace: ns, uri: {exact: /}}]
                    """));
    for (String field : List.of("mirror", "mirrorPercentage", "mirrors", "corsPolicy")) {
      assertDiagnostic(
          s, Severity.WARNING, "spec.http[0]." + field, "is not supported yet and is ignored");
    }
    assertDiagnostic(
        s,
        Severity.WARNING,
        "spec.http[0].match[0].sourceLabels",
        "on a gateway that is the gateway itself");
    assertDiagnostic(
        s,
        Severity.WARNING,
        "spec.http[0].match[0].sourceNamespace",
        "on a gateway that is the gateway itself");
    HttpRoute r = onlyRoute(s);
    assertEquals("shadow.example.com", r.mirror().orElseThrow().host());
    assertEquals(Optional.of(5.0), r.mirrorPercentage());
    assertEquals(1, r.mirrors().size());
    assertEquals(Optional.of(Duration.ofHours(24)), r.corsPolicy().orElseThrow().maxAge());
  }

  @Test
  void delegateIsParsedAndNotSupportedYet() {
    ConfigSnapshot s = assemble(http("delegate: {name: child, namespace: ns}\n"));
    assertDiagnostic(s, Severity.WARNING, "spec.http[0].delegate", "is not supported yet");
    assertEquals("child", onlyRoute(s).delegate().orElseThrow().name());
  }
}
