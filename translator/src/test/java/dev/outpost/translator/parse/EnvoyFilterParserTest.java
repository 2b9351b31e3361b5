package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static dev.outpost.translator.parse.Inputs.assertRejected;
import static dev.outpost.translator.parse.Inputs.errors;
import static dev.outpost.translator.parse.Inputs.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.ClusterMatch;
import dev.outpost.translator.model.EnvoyFilter.Context;
import dev.outpost.translator.model.EnvoyFilter.FilterChainMatch;
import dev.outpost.translator.model.EnvoyFilter.FilterMatch;
import dev.outpost.translator.model.EnvoyFilter.ListenerMatch;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import dev.outpost.translator.model.EnvoyFilter.Patch;
import dev.outpost.translator.model.EnvoyFilter.RouteConfigurationMatch;
import dev.outpost.translator.model.EnvoyFilter.VirtualHostMatch;
import dev.outpost.translator.model.WorkloadSelector;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvoyFilterParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The local rate limit EnvoyFilter of the guide, in its gateway variant, as written there. */
  private static final String LOCAL_RATE_LIMIT =
      """
      apiVersion: networking.istio.io/v1alpha3
      kind: EnvoyFilter
      metadata:
        name: filter-local-ratelimit-svc
        namespace: istio-system
      spec:
        workloadSelector:
          labels:
            istio: egressgateway
        configPatches:
          - applyTo: HTTP_FILTER
            match:
              context: GATEWAY
              listener:
                filterChain:
                  filter:
                    name: "envoy.filters.network.http_connection_manager"
                    subFilter:
                      name: "envoy.filters.http.router"
            patch:
              operation: INSERT_BEFORE
              value:
                name: envoy.filters.http.local_ratelimit
                typed_config:
                  "@type": type.googleapis.com/udpa.type.v1.TypedStruct
                  type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                  value:
                    stat_prefix: http_local_rate_limiter
                    token_bucket: {max_tokens: 4, tokens_per_fill: 4, fill_interval: 60s}
                    filter_enabled:
                      runtime_key: local_rate_limit_enabled
                      default_value: {numerator: 100, denominator: HUNDRED}
                    filter_enforced:
                      runtime_key: local_rate_limit_enforced
                      default_value: {numerator: 100, denominator: HUNDRED}
                    response_headers_to_add:
                      - append: false
                        header: {key: x-local-rate-limit, value: 'true'}
      """;

  private static String filter(String spec) {
    return """
    apiVersion: networking.istio.io/v1alpha3
    kind: EnvoyFilter
    metadata: {name: f, namespace: istio-system}
    spec:
    """
        + spec.indent(2);
  }

  /** A filter whose only config patch is {@code patch} (a flow mapping or block, one element). */
  private static String withPatch(String patch) {
    return filter("configPatches:\n- " + patch.strip().indent(2).substring(2));
  }

  private static EnvoyFilter only(ConfigSnapshot s) {
    assertEquals(1, s.envoyFilters().size(), () -> "one EnvoyFilter expected; " + lines(s));
    return s.envoyFilters().get(0);
  }

  @Test
  void theGuidesLocalRateLimitParsesAsWritten() throws Exception {
    ConfigSnapshot s = assemble(LOCAL_RATE_LIMIT);
    assertNoDiagnostics(s);
    EnvoyFilter f = only(s);
    assertEquals("filter-local-ratelimit-svc", f.metadata().name());
    assertEquals(
        Optional.of(new WorkloadSelector(ImmutableSortedMap.of("istio", "egressgateway"))),
        f.workloadSelector());
    assertEquals(0, f.priority());
    Patch p = f.configPatches().get(0);
    assertEquals(1, f.configPatches().size());
    assertEquals(
        new Patch(
            0,
            ApplyTo.HTTP_FILTER,
            Context.GATEWAY,
            Optional.of(
                new ListenerMatch(
                    OptionalInt.empty(),
                    Optional.empty(),
                    Optional.of(
                        new FilterChainMatch(
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.of(
                                new FilterMatch(
                                    "envoy.filters.network.http_connection_manager",
                                    Optional.of("envoy.filters.http.router"))))))),
            Optional.empty(),
            Optional.empty(),
            Operation.INSERT_BEFORE,
            p.valueJson()),
        p);
    JsonNode value = JSON.readTree(p.valueJson().orElseThrow());
    assertEquals("envoy.filters.http.local_ratelimit", value.get("name").textValue());
    JsonNode typed = value.get("typed_config");
    assertEquals("type.googleapis.com/udpa.type.v1.TypedStruct", typed.get("@type").textValue());
    JsonNode inner = typed.get("value");
    assertEquals(4, inner.at("/token_bucket/max_tokens").intValue(), "numbers stay numbers");
    assertTrue(inner.at("/token_bucket/max_tokens").isInt());
    assertEquals("60s", inner.at("/token_bucket/fill_interval").textValue());
    assertEquals("HUNDRED", inner.at("/filter_enforced/default_value/denominator").textValue());
    assertTrue(inner.at("/response_headers_to_add/0/append").isBoolean());
    assertEquals("true", inner.at("/response_headers_to_add/0/header/value").textValue(), "a quoted 'true' stays a string");
  }

  @Test
  void theGuidesSidecarVariantIsAcceptedWithAWarning() {
    ConfigSnapshot s = assemble(LOCAL_RATE_LIMIT.replace("context: GATEWAY", "context: SIDECAR_INBOUND"));
    assertTrue(errors(s).isEmpty(), () -> lines(s).toString());
    assertDiagnostic(
        s,
        Severity.WARNING,
        "spec.configPatches[0].match.context",
        "Outpost configures no inbound listeners");
    assertEquals(Context.SIDECAR_INBOUND, only(s).configPatches().get(0).context());
  }

  @Test
  void readsEveryMatchFieldPriorityAndIndex() {
    ConfigSnapshot s =
        assemble(
            filter(
                """
                priority: -5
                configPatches:
                - applyTo: NETWORK_FILTER
                  match:
                    context: SIDECAR_OUTBOUND
                    listener:
                      portNumber: 443
                      name: 0.0.0.0_443
                      filterChain:
                        name: chain
                        sni: api.example.com
                        transportProtocol: tls
                        filter: {name: envoy.filters.network.tcp_proxy}
                  patch: {operation: REMOVE}
                - applyTo: HTTP_ROUTE
                  match:
                    routeConfiguration:
                      portNumber: 80
                      portName: http
                      gateway: istio-system/istio-egressgateway
                      name: http.80
                      vhost:
                        name: "api.example.com:80"
                        route: {name: default}
                  patch:
                    operation: MERGE
                    value: {timeout: 5s}
                - applyTo: CLUSTER
                  match:
                    context: ANY
                    cluster: {portNumber: 443, service: api.example.com, subset: v1, name: "outbound|443|v1|api.example.com"}
                  patch:
                    operation: MERGE
                    value: {connect_timeout: 1s}
                """));
    assertNoDiagnostics(s);
    EnvoyFilter f = only(s);
    assertEquals(-5, f.priority());
    assertEquals(Optional.empty(), f.workloadSelector());
    List<Patch> patches = f.configPatches();
    assertEquals(List.of(0, 1, 2), patches.stream().map(Patch::index).toList());

    Patch listener = patches.get(0);
    assertEquals(ApplyTo.NETWORK_FILTER, listener.applyTo());
    assertEquals(Context.SIDECAR_OUTBOUND, listener.context());
    assertEquals(
        Optional.of(
            new ListenerMatch(
                OptionalInt.of(443),
                Optional.of("0.0.0.0_443"),
                Optional.of(
                    new FilterChainMatch(
                        Optional.of("chain"),
                        Optional.of("api.example.com"),
                        Optional.of("tls"),
                        Optional.of(
                            new FilterMatch("envoy.filters.network.tcp_proxy", Optional.empty())))))),
        listener.listener());
    assertEquals(Operation.REMOVE, listener.operation());
    assertEquals(Optional.empty(), listener.valueJson(), "REMOVE needs no value");

    Patch route = patches.get(1);
    assertEquals(Context.ANY, route.context(), "ANY when not given");
    assertEquals(
        Optional.of(
            new RouteConfigurationMatch(
                OptionalInt.of(80),
                Optional.of("http"),
                Optional.of("istio-system/istio-egressgateway"),
                Optional.of("http.80"),
                Optional.of(
                    new VirtualHostMatch(Optional.of("api.example.com:80"), Optional.of("default"))))),
        route.routeConfiguration());
    assertEquals(Optional.of("{\"timeout\":\"5s\"}"), route.valueJson());
    assertEquals(Optional.empty(), route.listener());

    Patch cluster = patches.get(2);
    assertEquals(
        Optional.of(
            new ClusterMatch(
                OptionalInt.of(443),
                Optional.of("api.example.com"),
                Optional.of("v1"),
                Optional.of("outbound|443|v1|api.example.com"))),
        cluster.cluster());
    assertEquals(Optional.empty(), cluster.routeConfiguration());
  }

  @Test
  void withoutMatchEveryContextAndObjectIsMeant() {
    ConfigSnapshot s =
        assemble(withPatch("{applyTo: CLUSTER, patch: {operation: ADD, value: {name: extra}}}"));
    assertNoDiagnostics(s);
    Patch p = only(s).configPatches().get(0);
    assertEquals(Context.ANY, p.context());
    assertEquals(Optional.empty(), p.listener());
    assertEquals(Optional.empty(), p.routeConfiguration());
    assertEquals(Optional.empty(), p.cluster());
    assertEquals(Optional.of("{\"name\":\"extra\"}"), p.valueJson());
  }

  /** Istio's documented operations per applyTo; the parser must accept exactly these. */
  private static final Map<ApplyTo, Set<Operation>> ALLOWED =
      Map.of(
          ApplyTo.LISTENER, EnumSet.of(Operation.MERGE, Operation.ADD, Operation.REMOVE),
          ApplyTo.FILTER_CHAIN, EnumSet.of(Operation.MERGE, Operation.ADD, Operation.REMOVE),
          ApplyTo.NETWORK_FILTER, EnumSet.allOf(Operation.class),
          ApplyTo.HTTP_FILTER, EnumSet.allOf(Operation.class),
          ApplyTo.ROUTE_CONFIGURATION, EnumSet.of(Operation.MERGE),
          ApplyTo.VIRTUAL_HOST,
              EnumSet.of(Operation.MERGE, Operation.ADD, Operation.REMOVE, Operation.REPLACE),
          ApplyTo.HTTP_ROUTE,
              EnumSet.of(
                  Operation.MERGE,
                  Operation.ADD,
                  Operation.REMOVE,
                  Operation.INSERT_BEFORE,
                  Operation.INSERT_AFTER,
                  Operation.INSERT_FIRST),
          ApplyTo.CLUSTER, EnumSet.of(Operation.MERGE, Operation.ADD, Operation.REMOVE));

  static Stream<Arguments> applyToAndOperation() {
    return Stream.of(ApplyTo.values())
        .flatMap(a -> Stream.of(Operation.values()).map(o -> Arguments.of(a, o)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("applyToAndOperation")
  void anOperationIsAcceptedExactlyWhereIstioAppliesIt(ApplyTo applyTo, Operation operation) {
    ConfigSnapshot s =
        assemble(
            withPatch(
                "{applyTo: "
                    + applyTo
                    + ", patch: {operation: "
                    + operation
                    + (operation == Operation.REMOVE ? "" : ", value: {name: x}")
                    + "}}"));
    if (ALLOWED.get(applyTo).contains(operation)) {
      assertNoDiagnostics(s);
      assertEquals(operation, only(s).configPatches().get(0).operation());
    } else {
      assertRejected(
          s,
          "spec.configPatches[0].patch.operation",
          operation + " has no effect with applyTo " + applyTo + " (Istio ignores it there); use one of");
    }
  }

  static Stream<Arguments> invalidFilters() {
    return Stream.of(
        Arguments.of(
            filter(
                "targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: g}]\n"
                    + "configPatches: [{applyTo: CLUSTER, patch: {operation: MERGE, value: {}}}]"),
            "spec.targetRefs",
            "is not supported by Outpost (its proxies are not Gateway API gateways): select the"
                + " proxies with workloadSelector.labels"),
        Arguments.of(
            filter("priority: high\nconfigPatches: [{applyTo: CLUSTER, patch: {operation: REMOVE}}]"),
            "spec.priority",
            "must be an integer"),
        Arguments.of(
            filter("workloadSelector: {labels: {app: \"web*\"}}\nconfigPatches: [{applyTo: CLUSTER, patch: {operation: REMOVE}}]"),
            "spec.workloadSelector.labels.app",
            "wildcards are not supported"),
        Arguments.of(
            withPatch("{patch: {operation: REMOVE}}"),
            "spec.configPatches[0].applyTo",
            "is required: name the kind of object to patch"),
        Arguments.of(
            withPatch("{applyTo: LISTENER_FILTER, patch: {operation: ADD, value: {name: x}}}"),
            "spec.configPatches[0].applyTo",
            "LISTENER_FILTER is not supported by Outpost; it patches LISTENER, FILTER_CHAIN,"
                + " NETWORK_FILTER, HTTP_FILTER, ROUTE_CONFIGURATION, VIRTUAL_HOST, HTTP_ROUTE,"
                + " CLUSTER"),
        Arguments.of(
            withPatch("{applyTo: EXTENSION_CONFIG, patch: {operation: ADD, value: {name: x}}}"),
            "spec.configPatches[0].applyTo",
            "EXTENSION_CONFIG is not supported by Outpost"),
        Arguments.of(
            withPatch("{applyTo: BOOTSTRAP, patch: {operation: MERGE, value: {}}}"),
            "spec.configPatches[0].applyTo",
            "BOOTSTRAP is not supported by Outpost"),
        Arguments.of(
            withPatch("{applyTo: INVALID, patch: {operation: MERGE, value: {}}}"),
            "spec.configPatches[0].applyTo",
            "\"INVALID\" is not a valid applyTo; use one of LISTENER"),
        Arguments.of(
            withPatch("{applyTo: http_filter, patch: {operation: MERGE, value: {}}}"),
            "spec.configPatches[0].applyTo",
            "\"http_filter\" is not a valid applyTo"),
        Arguments.of(
            withPatch("{applyTo: CLUSTER}"),
            "spec.configPatches[0].patch",
            "is required: give the operation"),
        Arguments.of(
            withPatch("{applyTo: CLUSTER, patch: {value: {}}}"),
            "spec.configPatches[0].patch.operation",
            "is required: one of MERGE, ADD"),
        Arguments.of(
            withPatch("{applyTo: CLUSTER, patch: {operation: INVALID, value: {}}}"),
            "spec.configPatches[0].patch.operation",
            "\"INVALID\" is not a valid value; use one of MERGE, ADD, REMOVE, INSERT_BEFORE,"
                + " INSERT_AFTER, INSERT_FIRST, REPLACE"),
        Arguments.of(
            withPatch("{applyTo: CLUSTER, patch: {operation: DELETE}}"),
            "spec.configPatches[0].patch.operation",
            "\"DELETE\" is not a valid value"),
        Arguments.of(
            withPatch("{applyTo: HTTP_FILTER, patch: {operation: INSERT_FIRST}}"),
            "spec.configPatches[0].patch.value",
            "is required with operation INSERT_FIRST"),
        Arguments.of(
            withPatch("{applyTo: CLUSTER, patch: {operation: MERGE, value: [a]}}"),
            "spec.configPatches[0].patch.value",
            "must be a mapping (the Envoy object, e.g. an HTTP filter with name and typed_config),"
                + " but is a list"),
        Arguments.of(
            withPatch("{applyTo: CLUSTER, patch: {operation: MERGE, value: \"name: x\"}}"),
            "spec.configPatches[0].patch.value",
            "but is a string"),
        Arguments.of(
            withPatch(
                "{applyTo: CLUSTER, match: {listener: {portNumber: 80}}, patch: {operation: REMOVE}}"),
            "spec.configPatches[0].match.listener",
            "cannot be used with applyTo CLUSTER: match on cluster instead"),
        Arguments.of(
            withPatch(
                "{applyTo: HTTP_FILTER, match: {cluster: {service: a}}, patch: {operation: REMOVE}}"),
            "spec.configPatches[0].match.cluster",
            "cannot be used with applyTo HTTP_FILTER: match on listener instead"),
        Arguments.of(
            withPatch(
                "{applyTo: VIRTUAL_HOST, match: {listener: {}}, patch: {operation: REMOVE}}"),
            "spec.configPatches[0].match.listener",
            "match on routeConfiguration instead"),
        Arguments.of(
            withPatch(
                "{applyTo: LISTENER, match: {listener: {}, routeConfiguration: {}}, patch: {operation: REMOVE}}"),
            "spec.configPatches[0].match.routeConfiguration",
            "cannot be used with applyTo LISTENER"),
        Arguments.of(
            withPatch("{applyTo: CLUSTER, match: {context: OUTBOUND}, patch: {operation: REMOVE}}"),
            "spec.configPatches[0].match.context",
            "use one of ANY, SIDECAR_INBOUND, SIDECAR_OUTBOUND, GATEWAY"),
        Arguments.of(
            withPatch(
                "{applyTo: NETWORK_FILTER, match: {listener: {filterChain: {filter: {}}}}, patch: {operation: REMOVE}}"),
            "spec.configPatches[0].match.listener.filterChain.filter.name",
            "is required"),
        Arguments.of(
            withPatch(
                "{applyTo: NETWORK_FILTER, match: {listener: {filterChain: {filter: {name:"
                    + " envoy.filters.network.http_connection_manager, subFilter: {name: r}}}}},"
                    + " patch: {operation: REMOVE}}"),
            "spec.configPatches[0].match.listener.filterChain.filter.subFilter",
            "can only be used with applyTo HTTP_FILTER (it selects an HTTP filter), not"
                + " NETWORK_FILTER"),
        Arguments.of(
            withPatch(
                "{applyTo: HTTP_FILTER, match: {listener: {filterChain: {filter: {name:"
                    + " envoy.filters.network.tcp_proxy, subFilter: {name: r}}}}},"
                    + " patch: {operation: REMOVE}}"),
            "spec.configPatches[0].match.listener.filterChain.filter.subFilter",
            "set name to envoy.filters.network.http_connection_manager (not"
                + " \"envoy.filters.network.tcp_proxy\")"),
        Arguments.of(
            withPatch(
                "{applyTo: HTTP_FILTER, match: {listener: {filterChain: {filter: {name:"
                    + " envoy.http_connection_manager, subFilter: {}}}}},"
                    + " patch: {operation: REMOVE}}"),
            "spec.configPatches[0].match.listener.filterChain.filter.subFilter.name",
            "is required"),
        Arguments.of(
            withPatch(
                "{applyTo: LISTENER, match: {listener: {portNumber: 0}}, patch: {operation: REMOVE}}"),
            "spec.configPatches[0].match.listener.portNumber",
            "0 is not a valid port number"),
        Arguments.of(
            withPatch(
                "{applyTo: CLUSTER, match: {cluster: {portNumber: 70000}}, patch: {operation: REMOVE}}"),
            "spec.configPatches[0].match.cluster.portNumber",
            "not a valid port number"),
        Arguments.of(
            withPatch(
                "{applyTo: ROUTE_CONFIGURATION, match: {routeConfiguration: {gateway: egress}},"
                    + " patch: {operation: MERGE, value: {}}}"),
            "spec.configPatches[0].match.routeConfiguration.gateway",
            "\"egress\" must be the Gateway's namespace/name, e.g."
                + " istio-system/istio-egressgateway"),
        Arguments.of(
            filter("configPatches: [a]"),
            "spec.configPatches[0]",
            "must be an object"));
  }

  @ParameterizedTest
  @MethodSource("invalidFilters")
  void invalidFilterIsRejected(String yaml, String field, String message) {
    assertRejected(assemble(yaml), field, message);
  }

  static Stream<Arguments> warnings() {
    return Stream.of(
        Arguments.of(
            "{applyTo: CLUSTER, match: {proxy: {proxyVersion: '^1\\.2.*'}}, patch: {operation: REMOVE}}",
            "spec.configPatches[0].match.proxy",
            "is not used: Outpost applies the patch to every proxy the EnvoyFilter selects"),
        Arguments.of(
            "{applyTo: FILTER_CHAIN, match: {listener: {filterChain: {applicationProtocols: h2}}},"
                + " patch: {operation: REMOVE}}",
            "spec.configPatches[0].match.listener.filterChain.applicationProtocols",
            "is not used: Outpost does not match filter chains on it"),
        Arguments.of(
            "{applyTo: FILTER_CHAIN, match: {listener: {filterChain: {destinationPort: 443}}},"
                + " patch: {operation: REMOVE}}",
            "spec.configPatches[0].match.listener.filterChain.destinationPort",
            "is not used"),
        Arguments.of(
            "{applyTo: FILTER_CHAIN, match: {listener: {filterChain: {transportProtocol: TLS}}},"
                + " patch: {operation: REMOVE}}",
            "spec.configPatches[0].match.listener.filterChain.transportProtocol",
            "\"TLS\" matches no filter chain"),
        Arguments.of(
            "{applyTo: LISTENER, match: {listener: {filterChain: {filter: {name: x}}}},"
                + " patch: {operation: REMOVE}}",
            "spec.configPatches[0].match.listener.filterChain.filter",
            "has no effect with applyTo LISTENER"),
        Arguments.of(
            "{applyTo: HTTP_ROUTE, match: {routeConfiguration: {vhost: {route: {name: r, action:"
                + " ROUTE}}}}, patch: {operation: REMOVE}}",
            "spec.configPatches[0].match.routeConfiguration.vhost.route.action",
            "is not used: Outpost matches routes by name only"),
        Arguments.of(
            "{applyTo: HTTP_FILTER, patch: {operation: ADD, filterClass: AUTHZ, value: {name: x}}}",
            "spec.configPatches[0].patch.filterClass",
            "is not used: Outpost places the filter where operation and match say"),
        Arguments.of(
            "{applyTo: CLUSTER, patch: {operation: REMOVE, value: {name: x}}}",
            "spec.configPatches[0].patch.value",
            "is ignored with operation REMOVE"),
        Arguments.of(
            "{applyTo: CLUSTER, patch: {operation: REMOVE}, extra: 1}",
            "spec.configPatches[0].extra",
            "unknown field \"extra\" is ignored"),
        Arguments.of(
            "{applyTo: CLUSTER, match: {cluster: {serivce: a}}, patch: {operation: REMOVE}}",
            "spec.configPatches[0].match.cluster.serivce",
            "did you mean \"service\"?"),
        Arguments.of(
            "{applyTo: CLUSTER, patch: {operaton: REMOVE, operation: REMOVE}}",
            "spec.configPatches[0].patch.operaton",
            "did you mean \"operation\"?"));
  }

  @ParameterizedTest
  @MethodSource("warnings")
  void acceptedWithAWarning(String patch, String field, String message) {
    ConfigSnapshot s = assemble(withPatch(patch));
    assertTrue(errors(s).isEmpty(), () -> lines(s).toString());
    assertDiagnostic(s, Severity.WARNING, field, message);
    assertEquals(1, only(s).configPatches().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"configPatches: []", "workloadSelector: {labels: {app: a}}"})
  void withoutPatchesItIsAcceptedWithAWarning(String spec) {
    ConfigSnapshot s = assemble(filter(spec));
    assertDiagnostic(s, Severity.WARNING, "spec.configPatches", "is empty: this EnvoyFilter changes nothing");
    assertEquals(List.of(), only(s).configPatches());
  }

  @Test
  void withoutSpecItIsRejected() {
    assertRejected(
        assemble(
            "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: f}\n"),
        "spec",
        "is required");
  }

  @Test
  void aJsonValueIsKeptAsTheSameJson() {
    String json =
        "{\"apiVersion\": \"networking.istio.io/v1alpha3\", \"kind\": \"EnvoyFilter\","
            + " \"metadata\": {\"name\": \"f\", \"namespace\": \"istio-system\"}, \"spec\":"
            + " {\"configPatches\": [{\"applyTo\": \"CLUSTER\", \"patch\": {\"operation\":"
            + " \"MERGE\", \"value\": {\"typed_extension_protocol_options\": {\"envoy.x\":"
            + " {\"@type\": \"type.googleapis.com/x.Y\", \"n\": 1.5, \"b\": null}}}}}]}}";
    ConfigSnapshot s = assemble(json);
    assertNoDiagnostics(s);
    assertEquals(
        Optional.of(
            "{\"typed_extension_protocol_options\":{\"envoy.x\":{\"@type\":"
                + "\"type.googleapis.com/x.Y\",\"n\":1.5,\"b\":null}}}"),
        only(s).configPatches().get(0).valueJson());
  }

  @Test
  void anInvalidEditKeepsTheLastGoodVersion() {
    ConfigSnapshot first =
        assemble(ConfigSnapshot.EMPTY, new SourceFile("ef.yaml", LOCAL_RATE_LIMIT));
    ConfigSnapshot second =
        assemble(
            first,
            new SourceFile(
                "ef.yaml", LOCAL_RATE_LIMIT.replace("INSERT_BEFORE", "INSERT_BEFOR")));
    assertEquals(first.envoyFilters(), second.envoyFilters());
    assertEquals(1, second.envoyFilters().size());
    assertDiagnostic(
        second,
        Severity.ERROR,
        "spec.configPatches[0].patch.operation",
        "\"INSERT_BEFOR\" is not a valid value");
    assertDiagnostic(second, Severity.WARNING, "", "last good version (from ef.yaml, document 1)");
    assertEquals(
        "EnvoyFilter istio-system/filter-local-ratelimit-svc", errors(second).get(0).subject());
  }
}
