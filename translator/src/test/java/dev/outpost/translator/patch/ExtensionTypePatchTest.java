package dev.outpost.translator.patch;

import static dev.outpost.translator.patch.PatchFixtures.CONTEXT;
import static dev.outpost.translator.patch.PatchFixtures.GATEWAY;
import static dev.outpost.translator.patch.PatchFixtures.HCM;
import static dev.outpost.translator.patch.PatchFixtures.ROUTER;
import static dev.outpost.translator.patch.PatchFixtures.assertChecks;
import static dev.outpost.translator.patch.PatchFixtures.assertDiagnostic;
import static dev.outpost.translator.patch.PatchFixtures.filter;
import static dev.outpost.translator.patch.PatchFixtures.gatewaySnapshot;
import static dev.outpost.translator.patch.PatchFixtures.httpFilterNames;
import static dev.outpost.translator.patch.PatchFixtures.listener;
import static dev.outpost.translator.patch.PatchFixtures.listenerNamed;
import static dev.outpost.translator.patch.PatchFixtures.patch;
import static dev.outpost.translator.patch.PatchFixtures.routeConfiguration;
import static dev.outpost.translator.patch.PatchFixtures.withFilters;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.outpost.translator.Translator;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.Context;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An EnvoyFilter whose value puts a config of the wrong type in an extension slot is refused,
 * naming the patch, the slot and the category; the rate limit guide's filter beside it applies.
 */
class ExtensionTypePatchTest {
  private static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

  private static EnvoyFilter clusterAsHttpFilter() {
    return filter("istio-system", "cluster-as-filter")
        .patch(
            patch(ApplyTo.HTTP_FILTER, Operation.INSERT_BEFORE)
                .context(Context.GATEWAY)
                .listener(listener().filter(HCM).subFilter(ROUTER))
                .yaml(
                    """
                    name: envoy.filters.http.bad
                    typed_config:
                      "@type": %s
                      name: not-a-filter
                    """
                        .formatted(CLUSTER_TYPE)))
        .build();
  }

  private static List<String> httpFilters(Translation translation) {
    return httpFilterNames(listenerNamed(translation.resources(), "0.0.0.0_80").getFilterChains(0));
  }

  @Test
  void aClusterAsAnHttpFilterIsRefusedAndTheRateLimitFilterStays() {
    EnvoyFilter rateLimit =
        LocalRateLimitGuideTest.guideFilter(LocalRateLimitGuideTest.TYPED_STRUCT_VALUE);
    Translation translation =
        new Translator()
            .translate(
                withFilters(gatewaySnapshot(), clusterAsHttpFilter(), rateLimit), GATEWAY, CONTEXT);

    assertEquals(
        List.of("envoy.filters.http.fault", "envoy.filters.http.local_ratelimit", ROUTER),
        httpFilters(translation));
    assertChecks(translation.resources());
    assertDiagnostic(
        translation.diagnostics(),
        Severity.ERROR,
        "EnvoyFilter istio-system/cluster-as-filter",
        "spec.configPatches[0].patch.value.typed_config",
        "type envoy.config.cluster.v3.Cluster is not an HTTP filter (envoy.filters.http); use one"
            + " of e.g. envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit; the"
            + " EnvoyFilter was not applied");
    assertEquals(1, translation.diagnostics().size(), PatchFixtures.lines(translation.diagnostics()));
  }

  @Test
  void aWrongTypeInATypedStructOrAPerRouteConfigIsRefusedToo() {
    EnvoyFilter networkFilterInTypedStruct =
        filter("istio-system", "tcp-proxy-as-http-filter")
            .patch(
                patch(ApplyTo.HTTP_FILTER, Operation.INSERT_BEFORE)
                    .context(Context.GATEWAY)
                    .listener(listener().filter(HCM).subFilter(ROUTER))
                    .yaml(
                        """
                        name: envoy.filters.http.bad
                        typed_config:
                          "@type": type.googleapis.com/udpa.type.v1.TypedStruct
                          type_url: type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                          value: {stat_prefix: x, cluster: y}
                        """))
            .build();
    EnvoyFilter clusterPerRoute =
        filter("istio-system", "cluster-per-route")
            .patch(
                patch(ApplyTo.VIRTUAL_HOST, Operation.MERGE)
                    .context(Context.GATEWAY)
                    .routeConfiguration(routeConfiguration().name("http.80"))
                    .yaml(
                        """
                        typed_per_filter_config:
                          envoy.filters.http.local_ratelimit:
                            "@type": %s
                            name: x
                        """
                            .formatted(CLUSTER_TYPE)))
            .build();
    Translation translation =
        new Translator()
            .translate(
                withFilters(gatewaySnapshot(), networkFilterInTypedStruct, clusterPerRoute),
                GATEWAY,
                CONTEXT);

    assertEquals(List.of("envoy.filters.http.fault", ROUTER), httpFilters(translation));
    assertDiagnostic(
        translation.diagnostics(),
        Severity.ERROR,
        "EnvoyFilter istio-system/tcp-proxy-as-http-filter",
        "spec.configPatches[0].patch.value.typed_config",
        "type envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy is not an HTTP filter");
    assertDiagnostic(
        translation.diagnostics(),
        Severity.ERROR,
        "EnvoyFilter istio-system/cluster-per-route",
        "spec.configPatches[0].patch.value.typed_per_filter_config[\"envoy.filters.http.local_ratelimit\"]",
        "type envoy.config.cluster.v3.Cluster is not the per-route config of an HTTP filter");
  }
}
