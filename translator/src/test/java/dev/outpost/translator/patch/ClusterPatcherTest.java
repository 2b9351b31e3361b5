package dev.outpost.translator.patch;

import static dev.outpost.translator.patch.PatchFixtures.assertChecks;
import static dev.outpost.translator.patch.PatchFixtures.assertDiagnostic;
import static dev.outpost.translator.patch.PatchFixtures.assertNoDiagnostics;
import static dev.outpost.translator.patch.PatchFixtures.cluster;
import static dev.outpost.translator.patch.PatchFixtures.clusterNamed;
import static dev.outpost.translator.patch.PatchFixtures.filter;
import static dev.outpost.translator.patch.PatchFixtures.gatewayResources;
import static dev.outpost.translator.patch.PatchFixtures.patch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** CLUSTER patches on the fixture gateway's clusters. */
class ClusterPatcherTest {
  private static final String API = "outbound|80||api.example.com";
  private static final String API_V1 = "outbound|80|v1|api.example.com";
  private static final String OTHER = "outbound|80||other.example.com";
  private static final String PASS = "outbound|443||pass.example.com";
  private static final String DB = "outbound|9000||db.example.com";
  private static final String BLACK_HOLE = "BlackHoleCluster";
  private static final String TIMEOUT = "{\"connect_timeout\": \"3s\"}";

  private static EnvoyFilterPatcher.Result apply(PatchFixtures.PatchBuilder... patches) {
    PatchFixtures.FilterBuilder filter = filter("istio-system", "ef");
    for (PatchFixtures.PatchBuilder p : patches) {
      filter.patch(p);
    }
    return PatchFixtures.patch(filter.build());
  }

  private static Set<String> merged(EnvoyFilterPatcher.Result result) {
    Set<String> names = new TreeSet<>();
    for (Cluster c : result.resources().clusters()) {
      if (c.getConnectTimeout().getSeconds() == 3) {
        names.add(c.getName());
      }
    }
    return names;
  }

  @Test
  void clusterMatchFields() {
    record Case(PatchFixtures.ClusterMatchBuilder match, Set<String> expected) {}
    List<Case> cases =
        List.of(
            new Case(cluster().name(API), Set.of(API)),
            new Case(cluster().service("api.example.com"), Set.of(API, API_V1)),
            new Case(cluster().service("api.example.com").subset("v1"), Set.of(API_V1)),
            new Case(cluster().port(80), Set.of(API, API_V1, OTHER)),
            new Case(cluster().port(9000).service("db.example.com"), Set.of(DB)),
            new Case(cluster().name(BLACK_HOLE), Set.of(BLACK_HOLE)),
            // name alone decides when given, as in Istio
            new Case(cluster().name(API).port(9000), Set.of(API)),
            new Case(cluster().service("api.example.com").subset("v2"), Set.of()),
            new Case(cluster().port(8080), Set.of()),
            new Case(cluster().service("API.example.com"), Set.of()));
    for (Case c : cases) {
      var result = apply(patch(ApplyTo.CLUSTER, Operation.MERGE).cluster(c.match()).json(TIMEOUT));

      assertEquals(c.expected(), merged(result), c.match().build().toString());
      if (c.expected().isEmpty()) {
        assertDiagnostic(
            result.diagnostics(), Severity.WARNING, "EnvoyFilter istio-system/ef",
            "spec.configPatches[0]", "CLUSTER MERGE matched nothing");
      } else {
        assertNoDiagnostics(result.diagnostics());
        assertChecks(result.resources());
      }
    }
    var everything = apply(patch(ApplyTo.CLUSTER, Operation.MERGE).json(TIMEOUT));
    assertEquals(Set.of(API, API_V1, OTHER, PASS, DB, BLACK_HOLE), merged(everything));
  }

  @Test
  void clusterAddAndRemove() {
    var result =
        apply(
            patch(ApplyTo.CLUSTER, Operation.REMOVE).cluster(cluster().name(BLACK_HOLE)),
            patch(ApplyTo.CLUSTER, Operation.ADD)
                .yaml(
                    """
                    name: ext-authz
                    type: STRICT_DNS
                    connect_timeout: 1s
                    load_assignment:
                      cluster_name: ext-authz
                      endpoints:
                      - lb_endpoints:
                        - endpoint: {address: {socket_address: {address: authz.example.com, port_value: 9191}}}
                    """));

    assertNoDiagnostics(result.diagnostics());
    assertTrue(clusterNamed(result.resources(), BLACK_HOLE).isEmpty());
    assertEquals(Cluster.DiscoveryType.STRICT_DNS, clusterNamed(result.resources(), "ext-authz").orElseThrow().getType());
    assertEquals(
        List.of("ext-authz", PASS, API_V1, API, OTHER, DB),
        result.resources().clusters().stream().map(Cluster::getName).toList(),
        "sorted by name again");
    assertEquals(gatewayResources().endpoints(), result.resources().endpoints());
  }

  @Test
  void removingAClusterARouteStillUsesIsRejectedByTheGate() {
    var result =
        apply(patch(ApplyTo.CLUSTER, Operation.REMOVE).cluster(cluster().service("other.example.com")));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.ERROR, "EnvoyFilter istio-system/ef", "spec.configPatches[0]",
        "the patched config would be rejected by Envoy (RouteConfiguration http.80:"
            + " .virtual_hosts[1].routes[0].route.cluster: cluster \"outbound|80||other.example.com\""
            + " is not in the snapshot), so the EnvoyFilter was not applied");
  }

  @Test
  void clusterOperationsIstioDoesNotHaveAreWarnings() {
    var result =
        apply(patch(ApplyTo.CLUSTER, Operation.INSERT_FIRST).cluster(cluster().name(API)).json(TIMEOUT));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.WARNING, "EnvoyFilter istio-system/ef", "spec.configPatches[0]",
        "operation INSERT_FIRST does nothing on applyTo CLUSTER");
  }
}
