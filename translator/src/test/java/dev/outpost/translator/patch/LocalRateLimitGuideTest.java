package dev.outpost.translator.patch;

import static dev.outpost.translator.patch.PatchFixtures.CONTEXT;
import static dev.outpost.translator.patch.PatchFixtures.GATEWAY;
import static dev.outpost.translator.patch.PatchFixtures.HCM;
import static dev.outpost.translator.patch.PatchFixtures.ROUTER;
import static dev.outpost.translator.patch.PatchFixtures.assertChecks;
import static dev.outpost.translator.patch.PatchFixtures.assertNoDiagnostics;
import static dev.outpost.translator.patch.PatchFixtures.filter;
import static dev.outpost.translator.patch.PatchFixtures.gatewaySnapshot;
import static dev.outpost.translator.patch.PatchFixtures.hcm;
import static dev.outpost.translator.patch.PatchFixtures.httpFilterNames;
import static dev.outpost.translator.patch.PatchFixtures.listener;
import static dev.outpost.translator.patch.PatchFixtures.listenerNamed;
import static dev.outpost.translator.patch.PatchFixtures.patch;
import static dev.outpost.translator.patch.PatchFixtures.routeConfiguration;
import static dev.outpost.translator.patch.PatchFixtures.routeNamed;
import static dev.outpost.translator.patch.PatchFixtures.vhostNamed;
import static dev.outpost.translator.patch.PatchFixtures.withFilters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import dev.outpost.translator.Translator;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.Context;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Istio's local rate limit guide, gateway variant, through the whole translator: the filter goes in
 * just before the router, typed as the real LocalRateLimit (converted from the TypedStruct), and the
 * result passes the snapshot checker.
 */
class LocalRateLimitGuideTest {
  private static final String LOCAL_RATELIMIT = "envoy.filters.http.local_ratelimit";
  private static final String LOCAL_RATELIMIT_TYPE =
      "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit";

  static final String BUCKET_CONFIG =
      """
      stat_prefix: http_local_rate_limiter
      token_bucket: {max_tokens: 4, tokens_per_fill: 4, fill_interval: 60s}
      filter_enabled: {runtime_key: local_rate_limit_enabled, default_value: {numerator: 100, denominator: HUNDRED}}
      filter_enforced: {runtime_key: local_rate_limit_enforced, default_value: {numerator: 100, denominator: HUNDRED}}
      response_headers_to_add:
        - append: false
          header: {key: x-local-rate-limit, value: 'true'}
      """;

  static final String TYPED_STRUCT_VALUE =
      """
      name: envoy.filters.http.local_ratelimit
      typed_config:
        "@type": type.googleapis.com/udpa.type.v1.TypedStruct
        type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
        value:
      """
          + BUCKET_CONFIG.indent(4);

  static final String DIRECT_VALUE =
      """
      name: envoy.filters.http.local_ratelimit
      typed_config:
        "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
      """
          + BUCKET_CONFIG.indent(2);

  static EnvoyFilter guideFilter(String value) {
    return filter("istio-system", "filter-local-ratelimit-svc")
        .selector("istio", "egressgateway")
        .patch(
            patch(ApplyTo.HTTP_FILTER, Operation.INSERT_BEFORE)
                .context(Context.GATEWAY)
                .listener(listener().filter(HCM).subFilter(ROUTER))
                .yaml(value))
        .build();
  }

  @Test
  void typedStructFilterGoesJustBeforeTheRouterAsTheRealType() throws Exception {
    Translation translation =
        new Translator()
            .translate(withFilters(gatewaySnapshot(), guideFilter(TYPED_STRUCT_VALUE)), GATEWAY, CONTEXT);

    assertNoDiagnostics(translation.diagnostics());
    assertChecks(translation.resources());
    var chain = listenerNamed(translation.resources(), "0.0.0.0_80").getFilterChains(0);
    assertEquals(
        List.of("envoy.filters.http.fault", LOCAL_RATELIMIT, ROUTER), httpFilterNames(chain));
    HttpFilter inserted = hcm(chain).getHttpFilters(1);
    assertEquals(LOCAL_RATELIMIT_TYPE, inserted.getTypedConfig().getTypeUrl());
    LocalRateLimit config = inserted.getTypedConfig().unpack(LocalRateLimit.class);
    assertEquals("http_local_rate_limiter", config.getStatPrefix());
    assertEquals(4, config.getTokenBucket().getMaxTokens());
    assertEquals(60, config.getTokenBucket().getFillInterval().getSeconds());
    assertEquals(
        FractionalPercent.DenominatorType.HUNDRED,
        config.getFilterEnforced().getDefaultValue().getDenominator());
    assertEquals("x-local-rate-limit", config.getResponseHeadersToAdd(0).getHeader().getKey());
    // Every HTTP chain of the gateway got it: the TLS-terminating one on 443 too.
    var https = listenerNamed(translation.resources(), "0.0.0.0_443").getFilterChains(0);
    assertEquals(LOCAL_RATELIMIT, httpFilterNames(https).get(1));
  }

  @Test
  void directTypeGivesTheSameConfigAsTheTypedStruct() {
    Translation viaTypedStruct =
        new Translator()
            .translate(withFilters(gatewaySnapshot(), guideFilter(TYPED_STRUCT_VALUE)), GATEWAY, CONTEXT);
    Translation direct =
        new Translator()
            .translate(withFilters(gatewaySnapshot(), guideFilter(DIRECT_VALUE)), GATEWAY, CONTEXT);

    assertNoDiagnostics(direct.diagnostics());
    assertEquals(viaTypedStruct.resources(), direct.resources());
  }

  @Test
  void perRouteBucketsThroughHttpRouteMergeAndVirtualHostMerge() throws Exception {
    String perRoute =
        """
        typed_per_filter_config:
          envoy.filters.http.local_ratelimit:
            "@type": type.googleapis.com/xds.type.v3.TypedStruct
            type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
            value:
        """
            + BUCKET_CONFIG.indent(6);
    EnvoyFilter filter =
        filter("istio-system", "filter-local-ratelimit-svc")
            .selector("istio", "egressgateway")
            .patch(
                patch(ApplyTo.HTTP_FILTER, Operation.INSERT_BEFORE)
                    .context(Context.GATEWAY)
                    .listener(listener().port(80).filter(HCM).subFilter(ROUTER))
                    .yaml(
                        """
                        name: envoy.filters.http.local_ratelimit
                        typed_config:
                          "@type": type.googleapis.com/udpa.type.v1.TypedStruct
                          type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                          value: {stat_prefix: http_local_rate_limiter}
                        """))
            .patch(
                patch(ApplyTo.HTTP_ROUTE, Operation.MERGE)
                    .context(Context.GATEWAY)
                    .routeConfiguration(routeConfiguration().port(80).vhost("api.example.com:80"))
                    .yaml(perRoute))
            .patch(
                patch(ApplyTo.VIRTUAL_HOST, Operation.MERGE)
                    .context(Context.GATEWAY)
                    .routeConfiguration(routeConfiguration().port(80).vhost("other.example.com:80"))
                    .yaml(perRoute))
            .build();

    Translation translation =
        new Translator().translate(withFilters(gatewaySnapshot(), filter), GATEWAY, CONTEXT);

    assertNoDiagnostics(translation.diagnostics());
    assertChecks(translation.resources());
    VirtualHost api = vhostNamed(routeNamed(translation.resources(), "http.80"), "api.example.com:80");
    assertEquals(2, api.getRoutesCount());
    for (Route route : api.getRoutesList()) {
      Any perFilter = route.getTypedPerFilterConfigOrThrow(LOCAL_RATELIMIT);
      assertEquals(LOCAL_RATELIMIT_TYPE, perFilter.getTypeUrl());
      assertEquals(4, perFilter.unpack(LocalRateLimit.class).getTokenBucket().getTokensPerFill().getValue());
    }
    VirtualHost other =
        vhostNamed(routeNamed(translation.resources(), "http.80"), "other.example.com:80");
    assertTrue(other.containsTypedPerFilterConfig(LOCAL_RATELIMIT));
    assertTrue(other.getRoutes(0).getTypedPerFilterConfigMap().isEmpty());
    // The https route config was not matched (portNumber 80).
    VirtualHost https =
        routeNamed(translation.resources(), "https.443.https-api.egress.istio-system")
            .getVirtualHosts(0);
    assertTrue(https.getRoutes(0).getTypedPerFilterConfigMap().isEmpty());
  }
}
