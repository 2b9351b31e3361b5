package dev.outpost.translator.patch;

import static dev.outpost.translator.patch.PatchFixtures.CLIENT;
import static dev.outpost.translator.patch.PatchFixtures.GATEWAY;
import static dev.outpost.translator.patch.PatchFixtures.assertDiagnostic;
import static dev.outpost.translator.patch.PatchFixtures.assertNoDiagnostics;
import static dev.outpost.translator.patch.PatchFixtures.filter;
import static dev.outpost.translator.patch.PatchFixtures.patch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.Context;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvoyFilterSelectionTest {
  private final EnvoyFilterSelection selection = new EnvoyFilterSelection();

  private static PatchFixtures.FilterBuilder ef(String namespace, String name) {
    return filter(namespace, name).patch(patch(ApplyTo.CLUSTER, Operation.REMOVE));
  }

  private static List<String> names(EnvoyFilterSelection.Selected selected) {
    return selected.filters().stream()
        .map(f -> f.metadata().namespace() + "/" + f.metadata().name())
        .toList();
  }

  @Test
  void rootNamespaceFirstThenTheProxysNamespaceEachByPriorityThenName() {
    ProxyIdentity proxy =
        ProxyIdentity.of("gw", ProxyRole.GATEWAY, "egress", "sa", Map.of("istio", "egressgateway"));
    List<EnvoyFilter> filters =
        List.of(
            ef("egress", "b").build(),
            ef("egress", "a").priority(5).build(),
            ef("egress", "c").priority(-1).build(),
            ef("istio-system", "z").priority(10).build(),
            ef("istio-system", "y").build(),
            ef("istio-system", "x").build(),
            ef("other", "o").build());

    EnvoyFilterSelection.Selected selected = selection.select(filters, proxy);

    // A high-priority root filter still comes before every namespace filter.
    assertEquals(
        List.of(
            "istio-system/x", "istio-system/y", "istio-system/z",
            "egress/c", "egress/b", "egress/a"),
        names(selected));
    assertNoDiagnostics(selected.diagnostics());
  }

  @Test
  void workloadSelectorNeedsEveryLabel() {
    List<EnvoyFilter> filters =
        List.of(
            ef("istio-system", "match").selector("istio", "egressgateway").build(),
            ef("istio-system", "both").selector("istio", "egressgateway", "app", "istio-egressgateway").build(),
            ef("istio-system", "wrong-value").selector("istio", "ingressgateway").build(),
            ef("istio-system", "extra-label").selector("istio", "egressgateway", "zone", "a").build());

    assertEquals(
        List.of("istio-system/both", "istio-system/match"),
        names(selection.select(filters, GATEWAY)));
  }

  @Test
  void withoutSelectorTheRootNamespaceSelectsTheMeshAndAnyOtherOnlyItsOwnProxies() {
    List<EnvoyFilter> filters =
        List.of(
            ef("istio-system", "mesh-wide").build(),
            ef("apps", "apps-wide").build(),
            ef("team", "team-wide").build());

    assertEquals(
        List.of("istio-system/mesh-wide", "apps/apps-wide"),
        names(selection.select(filters, CLIENT)));
    assertEquals(List.of("istio-system/mesh-wide"), names(selection.select(filters, GATEWAY)));
  }

  @Test
  void aProxyInTheRootNamespaceGetsEachFilterOnce() {
    List<EnvoyFilter> filters = List.of(ef("istio-system", "only").build());

    assertEquals(List.of("istio-system/only"), names(selection.select(filters, GATEWAY)));
  }

  @Test
  void contextByRole() {
    for (ProxyRole role : ProxyRole.values()) {
      assertEquals(true, EnvoyFilterSelection.contextApplies(Context.ANY, role));
      assertEquals(false, EnvoyFilterSelection.contextApplies(Context.SIDECAR_INBOUND, role));
    }
    assertEquals(true, EnvoyFilterSelection.contextApplies(Context.GATEWAY, ProxyRole.GATEWAY));
    assertEquals(false, EnvoyFilterSelection.contextApplies(Context.GATEWAY, ProxyRole.CLIENT));
    assertEquals(
        true, EnvoyFilterSelection.contextApplies(Context.SIDECAR_OUTBOUND, ProxyRole.CLIENT));
    assertEquals(
        false, EnvoyFilterSelection.contextApplies(Context.SIDECAR_OUTBOUND, ProxyRole.GATEWAY));
  }

  @Test
  void aPatchWhoseContextNeverAppliesToTheProxyIsAWarningSayingWhy() {
    EnvoyFilter filter =
        filter("istio-system", "contexts")
            .patch(patch(ApplyTo.CLUSTER, Operation.REMOVE).context(Context.ANY))
            .patch(patch(ApplyTo.CLUSTER, Operation.REMOVE).context(Context.SIDECAR_INBOUND))
            .patch(patch(ApplyTo.CLUSTER, Operation.REMOVE).context(Context.GATEWAY))
            .patch(patch(ApplyTo.CLUSTER, Operation.REMOVE).context(Context.SIDECAR_OUTBOUND))
            .build();

    var onGateway = selection.select(List.of(filter), GATEWAY).diagnostics();
    assertEquals(2, onGateway.size(), PatchFixtures.lines(onGateway));
    assertDiagnostic(
        onGateway, Severity.WARNING, "EnvoyFilter istio-system/contexts",
        "spec.configPatches[1].match.context", "Outpost proxies have no inbound side");
    assertDiagnostic(
        onGateway, Severity.WARNING, "EnvoyFilter istio-system/contexts",
        "spec.configPatches[3].match.context",
        "SIDECAR_OUTBOUND applies to client proxies only; the patch is not applied to gateway"
            + " proxies of namespace istio-system");

    var onClient = selection.select(List.of(filter), CLIENT).diagnostics();
    assertEquals(2, onClient.size(), PatchFixtures.lines(onClient));
    assertDiagnostic(
        onClient, Severity.WARNING, "EnvoyFilter istio-system/contexts",
        "spec.configPatches[2].match.context",
        "GATEWAY applies to gateway proxies only; the patch is not applied to client proxies of namespace apps");
  }

  @Test
  void unselectedFiltersSayNothing() {
    EnvoyFilter inbound =
        filter("team", "inbound")
            .patch(patch(ApplyTo.CLUSTER, Operation.REMOVE).context(Context.SIDECAR_INBOUND))
            .build();

    var selected = selection.select(List.of(inbound), GATEWAY);
    assertEquals(List.of(), selected.filters());
    assertNoDiagnostics(selected.diagnostics());
  }
}
