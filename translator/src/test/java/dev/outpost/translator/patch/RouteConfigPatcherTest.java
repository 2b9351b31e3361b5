package dev.outpost.translator.patch;

import static dev.outpost.translator.patch.PatchFixtures.CLIENT;
import static dev.outpost.translator.patch.PatchFixtures.assertChecks;
import static dev.outpost.translator.patch.PatchFixtures.assertDiagnostic;
import static dev.outpost.translator.patch.PatchFixtures.assertNoDiagnostics;
import static dev.outpost.translator.patch.PatchFixtures.filter;
import static dev.outpost.translator.patch.PatchFixtures.gatewayResources;
import static dev.outpost.translator.patch.PatchFixtures.patch;
import static dev.outpost.translator.patch.PatchFixtures.routeConfiguration;
import static dev.outpost.translator.patch.PatchFixtures.routeNamed;
import static dev.outpost.translator.patch.PatchFixtures.vhostNamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ROUTE_CONFIGURATION, VIRTUAL_HOST and HTTP_ROUTE patches on the fixture gateway. */
class RouteConfigPatcherTest {
  private static final String SUBJECT = "EnvoyFilter istio-system/ef";
  private static final String HTTPS = "https.443.https-api.egress.istio-system";
  private static final String HEADER_VALUE =
      "{\"response_headers_to_add\": [{\"header\": {\"key\": \"x-patched\", \"value\": \"1\"}}]}";

  private static EnvoyFilterPatcher.Result apply(PatchFixtures.PatchBuilder... patches) {
    PatchFixtures.FilterBuilder filter = filter("istio-system", "ef");
    for (PatchFixtures.PatchBuilder p : patches) {
      filter.patch(p);
    }
    return PatchFixtures.patch(filter.build());
  }

  private static boolean patched(RouteConfiguration config) {
    return config.getResponseHeadersToAddCount() > 0;
  }

  private static List<String> routeNames(VirtualHost host) {
    return host.getRoutesList().stream().map(Route::getName).toList();
  }

  private static final String NEW_ROUTE =
      "{\"name\": \"new\", \"match\": {\"prefix\": \"/new\"}, \"direct_response\": {\"status\": 204}}";

  // ---- ROUTE_CONFIGURATION ----

  @Test
  void routeConfigurationMatchFields() {
    record Case(PatchFixtures.RouteMatchBuilder match, boolean http80, boolean https443) {}
    List<Case> cases =
        List.of(
            new Case(routeConfiguration().port(80), true, false),
            new Case(routeConfiguration().port(443), false, true),
            new Case(routeConfiguration().portName("https-api"), false, true),
            new Case(routeConfiguration().gateway("istio-system/egress"), false, true),
            new Case(routeConfiguration().name("http.80"), true, false),
            new Case(routeConfiguration().port(443).portName("https-api").gateway("istio-system/egress"), false, true),
            new Case(routeConfiguration().port(80).portName("http"), false, false),
            new Case(routeConfiguration().gateway("egress/istio-system"), false, false),
            new Case(routeConfiguration().name("http_80"), false, false),
            new Case(routeConfiguration(), true, true));
    for (Case c : cases) {
      var result =
          apply(patch(ApplyTo.ROUTE_CONFIGURATION, Operation.MERGE).routeConfiguration(c.match()).json(HEADER_VALUE));

      String description = c.match().build().toString();
      assertEquals(c.http80(), patched(routeNamed(result.resources(), "http.80")), description);
      assertEquals(c.https443(), patched(routeNamed(result.resources(), HTTPS)), description);
      if (!c.http80() && !c.https443()) {
        assertDiagnostic(
            result.diagnostics(), Severity.WARNING, SUBJECT, "spec.configPatches[0]",
            "ROUTE_CONFIGURATION MERGE matched nothing");
      } else {
        assertNoDiagnostics(result.diagnostics());
      }
    }
  }

  @Test
  void onClientProxiesThePortIsTheRouteConfigNameAndGatewayFieldsAreNotCompared() {
    EnvoyResources client =
        new EnvoyResources(
            ImmutableList.of(),
            ImmutableList.of(
                RouteConfiguration.newBuilder().setName("8080").build(),
                RouteConfiguration.newBuilder().setName("http_proxy").build()),
            ImmutableList.of(),
            ImmutableList.of(),
            ImmutableList.of());
    var byPort =
        new EnvoyFilterPatcher()
            .apply(
                client,
                ImmutableList.of(
                    filter("apps", "ef")
                        .patch(
                            patch(ApplyTo.ROUTE_CONFIGURATION, Operation.MERGE)
                                .routeConfiguration(routeConfiguration().port(8080).gateway("x/y"))
                                .json(HEADER_VALUE))
                        .build()),
                CLIENT);

    assertNoDiagnostics(byPort.diagnostics());
    assertTrue(patched(routeNamed(byPort.resources(), "8080")));
    assertFalse(patched(routeNamed(byPort.resources(), "http_proxy")));
  }

  @Test
  void routeConfigurationOnlyMerges() {
    var result =
        apply(patch(ApplyTo.ROUTE_CONFIGURATION, Operation.REMOVE).routeConfiguration(routeConfiguration().port(80)));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.WARNING, SUBJECT, "spec.configPatches[0]",
        "operation REMOVE does nothing on applyTo ROUTE_CONFIGURATION");
  }

  // ---- VIRTUAL_HOST ----

  @Test
  void virtualHostMergeReplaceRemoveAndAdd() {
    var merged =
        apply(
            patch(ApplyTo.VIRTUAL_HOST, Operation.MERGE)
                .routeConfiguration(routeConfiguration().port(80).vhost("api.example.com:80"))
                .json(HEADER_VALUE));
    RouteConfiguration http = routeNamed(merged.resources(), "http.80");
    assertEquals(1, vhostNamed(http, "api.example.com:80").getResponseHeadersToAddCount());
    assertEquals(0, vhostNamed(http, "other.example.com:80").getResponseHeadersToAddCount());
    assertEquals(2, vhostNamed(http, "api.example.com:80").getRoutesCount(), "MERGE keeps routes");

    String replacement =
        "{\"name\": \"api.example.com:80\", \"domains\": [\"api.example.com\"], \"routes\": [" + NEW_ROUTE + "]}";
    var replaced =
        apply(
            patch(ApplyTo.VIRTUAL_HOST, Operation.REPLACE)
                .routeConfiguration(routeConfiguration().vhost("api.example.com:80"))
                .json(replacement));
    assertEquals(
        List.of("new"), routeNames(vhostNamed(routeNamed(replaced.resources(), "http.80"), "api.example.com:80")));
    assertEquals(
        List.of("api-v1", "api-default"),
        routeNames(vhostNamed(routeNamed(replaced.resources(), HTTPS), "api.example.com:443")),
        "the https route config's virtual host is api.example.com:443");
    assertChecks(replaced.resources());

    var removed =
        apply(
            patch(ApplyTo.VIRTUAL_HOST, Operation.REMOVE)
                .routeConfiguration(routeConfiguration().name("http.80").vhost("other.example.com:80")));
    assertEquals(
        List.of("api.example.com:80"),
        routeNamed(removed.resources(), "http.80").getVirtualHostsList().stream().map(VirtualHost::getName).toList());

    var added =
        apply(
            patch(ApplyTo.VIRTUAL_HOST, Operation.ADD)
                .routeConfiguration(routeConfiguration().port(80))
                .json("{\"name\": \"extra\", \"domains\": [\"extra.example.com\"], \"routes\": [" + NEW_ROUTE + "]}"));
    assertEquals(3, routeNamed(added.resources(), "http.80").getVirtualHostsCount());
    assertEquals("extra", routeNamed(added.resources(), "http.80").getVirtualHosts(2).getName());
    assertEquals(1, routeNamed(added.resources(), HTTPS).getVirtualHostsCount());
    assertChecks(added.resources());
  }

  @Test
  void aVirtualHostNameThatIsNotThereMatchesNothing() {
    var result =
        apply(
            patch(ApplyTo.VIRTUAL_HOST, Operation.MERGE)
                .routeConfiguration(routeConfiguration().vhost("api.example.com"))
                .json(HEADER_VALUE));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.WARNING, SUBJECT, "spec.configPatches[0]",
        "(vhost.name \"api.example.com\"), so it changed nothing; check the names and ports against"
            + " the proxy's config (gateway route configs are named http.PORT and"
            + " https.PORT.PORTNAME.GATEWAY.NAMESPACE, virtual hosts HOST:PORT)");
  }

  // ---- HTTP_ROUTE ----

  private static VirtualHost api80(EnvoyFilterPatcher.Result result) {
    return vhostNamed(routeNamed(result.resources(), "http.80"), "api.example.com:80");
  }

  @Test
  void httpRouteMergeByRouteName() {
    var result =
        apply(
            patch(ApplyTo.HTTP_ROUTE, Operation.MERGE)
                .routeConfiguration(routeConfiguration().port(80).vhost("api.example.com:80").route("api-v1"))
                .json("{\"route\": {\"timeout\": \"5s\"}}"));

    assertNoDiagnostics(result.diagnostics());
    Route v1 = api80(result).getRoutes(0);
    assertEquals("api-v1", v1.getName());
    assertEquals(5, v1.getRoute().getTimeout().getSeconds());
    assertEquals("outbound|80|v1|api.example.com", v1.getRoute().getCluster(), "MERGE keeps the rest");
    assertEquals(0, api80(result).getRoutes(1).getRoute().getTimeout().getSeconds());
    assertChecks(result.resources());
  }

  @Test
  void httpRouteMergeWithoutRouteNameMergesEveryRouteOfTheVirtualHost() {
    var result =
        apply(
            patch(ApplyTo.HTTP_ROUTE, Operation.MERGE)
                .routeConfiguration(routeConfiguration().port(80).vhost("api.example.com:80"))
                .json("{\"route\": {\"timeout\": \"5s\"}}"));

    for (Route route : api80(result).getRoutesList()) {
      assertEquals(5, route.getRoute().getTimeout().getSeconds(), route.getName());
    }
  }

  @Test
  void httpRouteInsertionsAndRemove() {
    record Case(Operation op, String anchor, List<String> expected) {}
    List<Case> cases =
        List.of(
            new Case(Operation.INSERT_BEFORE, "api-default", List.of("api-v1", "new", "api-default")),
            new Case(Operation.INSERT_AFTER, "api-v1", List.of("api-v1", "new", "api-default")),
            new Case(Operation.INSERT_BEFORE, null, List.of("new", "api-v1", "api-default")),
            new Case(Operation.INSERT_AFTER, null, List.of("api-v1", "api-default", "new")),
            new Case(Operation.INSERT_FIRST, "api-default", List.of("new", "api-v1", "api-default")),
            new Case(Operation.INSERT_FIRST, "missing", List.of("api-v1", "api-default")),
            new Case(Operation.ADD, null, List.of("api-v1", "api-default", "new")),
            new Case(Operation.REMOVE, "api-v1", List.of("api-default")));
    for (Case c : cases) {
      PatchFixtures.RouteMatchBuilder match = routeConfiguration().port(80).vhost("api.example.com:80");
      if (c.anchor() != null) {
        match.route(c.anchor());
      }
      PatchFixtures.PatchBuilder p = patch(ApplyTo.HTTP_ROUTE, c.op()).routeConfiguration(match);
      if (c.op() != Operation.REMOVE) {
        p.json(NEW_ROUTE);
      }
      var result = apply(p);

      assertEquals(c.expected(), routeNames(api80(result)), c.toString());
      assertEquals(
          1,
          vhostNamed(routeNamed(result.resources(), "http.80"), "other.example.com:80").getRoutesCount(),
          "other virtual hosts keep their routes");
    }
  }

  @Test
  void httpRouteReplaceIsNotAnIstioOperation() {
    var result =
        apply(
            patch(ApplyTo.HTTP_ROUTE, Operation.REPLACE)
                .routeConfiguration(routeConfiguration().vhost("api.example.com:80").route("api-v1"))
                .json(NEW_ROUTE));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.WARNING, SUBJECT, "spec.configPatches[0]",
        "operation REPLACE does nothing on applyTo HTTP_ROUTE");
  }
}
