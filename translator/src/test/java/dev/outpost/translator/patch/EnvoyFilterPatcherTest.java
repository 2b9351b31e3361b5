package dev.outpost.translator.patch;

import static dev.outpost.translator.patch.PatchFixtures.CONTEXT;
import static dev.outpost.translator.patch.PatchFixtures.FAULT;
import static dev.outpost.translator.patch.PatchFixtures.GATEWAY;
import static dev.outpost.translator.patch.PatchFixtures.HCM;
import static dev.outpost.translator.patch.PatchFixtures.ROUTER;
import static dev.outpost.translator.patch.PatchFixtures.assertChecks;
import static dev.outpost.translator.patch.PatchFixtures.assertDiagnostic;
import static dev.outpost.translator.patch.PatchFixtures.filter;
import static dev.outpost.translator.patch.PatchFixtures.gatewayResources;
import static dev.outpost.translator.patch.PatchFixtures.gatewaySnapshot;
import static dev.outpost.translator.patch.PatchFixtures.httpFilterNames;
import static dev.outpost.translator.patch.PatchFixtures.listener;
import static dev.outpost.translator.patch.PatchFixtures.listenerNamed;
import static dev.outpost.translator.patch.PatchFixtures.names;
import static dev.outpost.translator.patch.PatchFixtures.patch;
import static dev.outpost.translator.patch.PatchFixtures.routeConfiguration;
import static dev.outpost.translator.patch.PatchFixtures.withFilters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.Translator;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.Context;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The facade: selection, all-or-nothing filters, the checker gate, and the translator wiring. */
class EnvoyFilterPatcherTest {

  private static String httpFilterNamed(String name) {
    return """
        {"name": "%s", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors"}}
        """
        .formatted(name);
  }

  private static EnvoyFilter insertBeforeRouter(String namespace, String name, int priority, String filterName) {
    return filter(namespace, name)
        .priority(priority)
        .patch(
            patch(ApplyTo.HTTP_FILTER, Operation.INSERT_BEFORE)
                .listener(listener().port(80).filter(HCM).subFilter(ROUTER))
                .json(httpFilterNamed(filterName)))
        .build();
  }

  /** A fine filter: adds response header x-fine to http.80. */
  private static EnvoyFilter fine() {
    return filter("istio-system", "fine")
        .patch(
            patch(ApplyTo.ROUTE_CONFIGURATION, Operation.MERGE)
                .routeConfiguration(routeConfiguration().name("http.80"))
                .json("{\"response_headers_to_add\": [{\"header\": {\"key\": \"x-fine\", \"value\": \"1\"}}]}"))
        .build();
  }

  private static boolean fineApplied(EnvoyFilterPatcher.Result result) {
    return PatchFixtures.routeNamed(result.resources(), "http.80").getResponseHeadersToAddCount() == 1;
  }

  @Test
  void withoutASelectedFilterTheInputComesBackAsItIs() {
    var none = new EnvoyFilterPatcher().apply(gatewayResources(), ImmutableList.of(), GATEWAY);
    assertSame(gatewayResources(), none.resources());
    assertEquals(List.of(), none.diagnostics());

    EnvoyFilter elsewhere = insertBeforeRouter("team", "not-for-this-proxy", 0, "x");
    EnvoyFilter otherSelector =
        filter("istio-system", "ingress-only")
            .selector("istio", "ingressgateway")
            .patch(patch(ApplyTo.CLUSTER, Operation.REMOVE))
            .build();
    var unselected =
        new EnvoyFilterPatcher()
            .apply(gatewayResources(), ImmutableList.of(elsewhere, otherSelector), GATEWAY);
    assertSame(gatewayResources(), unselected.resources());
    assertEquals(List.of(), unselected.diagnostics());
  }

  @Test
  void filtersApplyInOrderRootNamespaceFirstThenByPriorityAndName() {
    var gatewayInOwnNamespace =
        ProxyIdentity.of(
            "gw", GATEWAY.role(), "egress", "sa", GATEWAY.labels());
    var result =
        new EnvoyFilterPatcher()
            .apply(
                gatewayResources(),
                ImmutableList.of(
                    insertBeforeRouter("egress", "b", 0, "ns-b"),
                    insertBeforeRouter("egress", "a", 0, "ns-a"),
                    insertBeforeRouter("egress", "first", -5, "ns-first"),
                    insertBeforeRouter("istio-system", "root-late", 100, "root-late"),
                    insertBeforeRouter("istio-system", "root", 0, "root")),
                gatewayInOwnNamespace);

    assertEquals(
        List.of(FAULT, "root", "root-late", "ns-first", "ns-a", "ns-b", ROUTER),
        httpFilterNames(listenerNamed(result.resources(), "0.0.0.0_80").getFilterChains(0)));
  }

  @Test
  void thePatchesOfOneFilterSeeTheOnesBeforeThem() {
    EnvoyFilter chained =
        filter("istio-system", "chained")
            .patch(
                patch(ApplyTo.HTTP_FILTER, Operation.INSERT_BEFORE)
                    .listener(listener().port(80).filter(HCM).subFilter(ROUTER))
                    .json(httpFilterNamed("one")))
            .patch(
                patch(ApplyTo.HTTP_FILTER, Operation.INSERT_AFTER)
                    .listener(listener().port(80).filter(HCM).subFilter("one"))
                    .json(httpFilterNamed("two")))
            .build();

    var result = PatchFixtures.patch(chained);

    assertEquals(
        List.of(FAULT, "one", "two", ROUTER),
        httpFilterNames(listenerNamed(result.resources(), "0.0.0.0_80").getFilterChains(0)));
  }

  @Test
  void theGateDropsFiltersThatBreakTheConfigAndKeepsTheFineOnes() {
    EnvoyFilter unnamedListener =
        filter("istio-system", "unnamed-listener")
            .patch(
                patch(ApplyTo.LISTENER, Operation.ADD)
                    .json(
                        """
                        {"address": {"socket_address": {"address": "0.0.0.0", "port_value": 7000}},
                         "filter_chains": [{"filters": [{"name": "envoy.filters.network.tcp_proxy",
                           "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                             "stat_prefix": "x", "cluster": "BlackHoleCluster"}}]}]}
                        """))
            .build();
    EnvoyFilter missingCluster =
        filter("istio-system", "missing-cluster")
            .patch(
                patch(ApplyTo.HTTP_ROUTE, Operation.MERGE)
                    .routeConfiguration(routeConfiguration().port(80).vhost("api.example.com:80").route("api-v1"))
                    .json("{\"route\": {\"cluster\": \"outbound|80||nowhere.example.com\"}}"))
            .build();

    var result = PatchFixtures.patch(unnamedListener, missingCluster, fine());

    assertTrue(fineApplied(result), "the fine filter still applies");
    assertEquals(names(gatewayResources()), names(result.resources()));
    assertChecks(result.resources());
    Diagnostic unnamed =
        assertDiagnostic(
            result.diagnostics(), Severity.ERROR, "EnvoyFilter istio-system/unnamed-listener",
            "spec.configPatches[0]", "the patched config would be rejected by Envoy (Listener \"\":");
    assertTrue(unnamed.message().contains("so the EnvoyFilter was not applied"), unnamed.message());
    assertDiagnostic(
        result.diagnostics(), Severity.ERROR, "EnvoyFilter istio-system/missing-cluster",
        "spec.configPatches[0]",
        "cluster \"outbound|80||nowhere.example.com\" is not in the snapshot");
    assertEquals(2, result.diagnostics().size(), PatchFixtures.lines(result.diagnostics()));
  }

  @Test
  void theGateNamesThePatchThatBrokeTheConfig() {
    EnvoyFilter secondPatchBreaks =
        filter("istio-system", "two-patches")
            .patch(
                patch(ApplyTo.CLUSTER, Operation.MERGE)
                    .cluster(PatchFixtures.cluster().service("db.example.com"))
                    .json("{\"connect_timeout\": \"3s\"}"))
            .patch(
                patch(ApplyTo.CLUSTER, Operation.MERGE)
                    .cluster(PatchFixtures.cluster().service("other.example.com"))
                    .json("{\"connect_timeout\": \"-1s\"}"))
            .build();

    var result = PatchFixtures.patch(secondPatchBreaks, fine());

    assertTrue(fineApplied(result));
    assertEquals(
        10,
        PatchFixtures.clusterNamed(result.resources(), "outbound|9000||db.example.com")
            .orElseThrow().getConnectTimeout().getSeconds(),
        "no patch of the dropped filter applies");
    assertDiagnostic(
        result.diagnostics(), Severity.ERROR, "EnvoyFilter istio-system/two-patches",
        "spec.configPatches[1]", "Cluster outbound|80||other.example.com: .connect_timeout");
  }

  @Test
  void aValueThatDoesNotParseRejectsTheWholeFilter() {
    EnvoyFilter broken =
        filter("istio-system", "broken")
            .patch(
                patch(ApplyTo.ROUTE_CONFIGURATION, Operation.MERGE)
                    .routeConfiguration(routeConfiguration().name("http.80"))
                    .json("{\"response_headers_to_add\": [{\"header\": {\"key\": \"x-a\", \"value\": \"1\"}}]}"))
            .patch(
                patch(ApplyTo.HTTP_FILTER, Operation.INSERT_BEFORE)
                    .listener(listener().filter(HCM).subFilter(ROUTER))
                    .json("{\"name\": \"x\", \"typed_config\": {\"@type\": \"type.googleapis.com/envoy.extensions.filters.http.nope.v3.Nope\"}}"))
            .patch(
                patch(ApplyTo.CLUSTER, Operation.MERGE).json("{\"connect_timeout\": {\"seconds\": 1}}"))
            .build();

    var result = PatchFixtures.patch(broken, fine());

    assertEquals(
        1,
        PatchFixtures.routeNamed(result.resources(), "http.80").getResponseHeadersToAddCount(),
        "only the fine filter's header: the broken filter's first patch did not apply");
    assertDiagnostic(
        result.diagnostics(), Severity.ERROR, "EnvoyFilter istio-system/broken",
        "spec.configPatches[1].patch.value.typed_config.@type",
        "\"type.googleapis.com/envoy.extensions.filters.http.nope.v3.Nope\" is not a type of the"
            + " Envoy API Outpost serves");
    assertDiagnostic(
        result.diagnostics(), Severity.ERROR, "EnvoyFilter istio-system/broken",
        "spec.configPatches[2].patch.value", "does not fit an Envoy envoy.config.cluster.v3.Cluster");
  }

  @Test
  void aMissingValueIsAnErrorNotACrash() {
    EnvoyFilter noValue =
        filter("istio-system", "no-value")
            .patch(patch(ApplyTo.CLUSTER, Operation.ADD))
            .build();

    var result = PatchFixtures.patch(noValue);

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.ERROR, "EnvoyFilter istio-system/no-value",
        "spec.configPatches[0].patch.value", "ADD needs a value");
  }

  @Test
  void onAClientProxyOnlyAnyAndSidecarOutboundPatchesApply() {
    EnvoyResources client =
        new EnvoyResources(
            ImmutableList.of(),
            ImmutableList.of(RouteConfiguration.newBuilder().setName("http_proxy").build()),
            ImmutableList.of(),
            ImmutableList.of(),
            ImmutableList.of());
    String header = "{\"response_headers_to_add\": [{\"header\": {\"key\": \"x-%s\", \"value\": \"1\"}}]}";
    EnvoyFilter filter =
        filter("istio-system", "contexts")
            .patch(patch(ApplyTo.ROUTE_CONFIGURATION, Operation.MERGE).context(Context.ANY).json(header.formatted("any")))
            .patch(patch(ApplyTo.ROUTE_CONFIGURATION, Operation.MERGE).context(Context.GATEWAY).json(header.formatted("gateway")))
            .patch(patch(ApplyTo.ROUTE_CONFIGURATION, Operation.MERGE).context(Context.SIDECAR_OUTBOUND).json(header.formatted("outbound")))
            .patch(patch(ApplyTo.ROUTE_CONFIGURATION, Operation.MERGE).context(Context.SIDECAR_INBOUND).json(header.formatted("inbound")))
            .build();

    var result = new EnvoyFilterPatcher().apply(client, ImmutableList.of(filter), PatchFixtures.CLIENT);

    assertEquals(
        List.of("x-any", "x-outbound"),
        result.resources().routes().get(0).getResponseHeadersToAddList().stream()
            .map(h -> h.getHeader().getKey())
            .toList());
    assertEquals(2, result.diagnostics().size(), PatchFixtures.lines(result.diagnostics()));
    assertDiagnostic(
        result.diagnostics(), Severity.WARNING, "EnvoyFilter istio-system/contexts",
        "spec.configPatches[1].match.context", "GATEWAY applies to gateway proxies only");
    assertDiagnostic(
        result.diagnostics(), Severity.WARNING, "EnvoyFilter istio-system/contexts",
        "spec.configPatches[3].match.context", "SIDECAR_INBOUND never applies");
  }

  @Test
  void theTranslatorReportsPatchDiagnosticsSortedWithItsOwn() {
    EnvoyFilter typo = insertBeforeRouter("istio-system", "typo", 0, "x");
    EnvoyFilter typoMatch =
        filter("istio-system", "a-typo")
            .patch(
                patch(ApplyTo.HTTP_FILTER, Operation.INSERT_BEFORE)
                    .context(Context.GATEWAY)
                    .listener(listener().port(8080).filter(HCM).subFilter(ROUTER))
                    .json(httpFilterNamed("y")))
            .build();
    Translation translation =
        new Translator().translate(withFilters(gatewaySnapshot(), typo, typoMatch), GATEWAY, CONTEXT);

    assertEquals(
        translation.diagnostics().stream().sorted(Diagnostic.ORDER).toList(),
        translation.diagnostics());
    assertEquals(1, translation.diagnostics().size(), PatchFixtures.lines(translation.diagnostics()));
    assertDiagnostic(
        translation.diagnostics(), Severity.WARNING, "EnvoyFilter istio-system/a-typo",
        "spec.configPatches[0]", "listener.portNumber 8080");
    assertEquals(
        List.of(FAULT, "x", ROUTER),
        httpFilterNames(listenerNamed(translation.resources(), "0.0.0.0_80").getFilterChains(0)));
  }
}
