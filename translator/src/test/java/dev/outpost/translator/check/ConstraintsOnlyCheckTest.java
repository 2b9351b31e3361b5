package dev.outpost.translator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import org.junit.jupiter.api.Test;

/** {@link SnapshotChecker#checkConstraints}: PGV alone, for messages outside a snapshot. */
class ConstraintsOnlyCheckTest {
  private final SnapshotChecker checker = new SnapshotChecker();

  @Test
  void aBootstrapWithAGrpcConfigSourceIsFineWithoutSnapshotReferenceRules() {
    Bootstrap bootstrap =
        Bootstrap.newBuilder()
            .setNode(Node.newBuilder().setId("egress-1"))
            .setDynamicResources(
                Bootstrap.DynamicResources.newBuilder()
                    .setAdsConfig(
                        ApiConfigSource.newBuilder()
                            .setApiType(ApiConfigSource.ApiType.GRPC)
                            .addGrpcServices(
                                GrpcService.newBuilder()
                                    .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName("xds_cluster")))))
            .build();

    assertTrue(checker.checkConstraints("Bootstrap", "egress-1", bootstrap).ok());
  }

  @Test
  void aViolationInsideAnAnyOfAStaticListenerIsFound() {
    Listener listener =
        Listener.newBuilder()
            .setName("prometheus_stats")
            .addFilterChains(
                FilterChain.newBuilder()
                    .addFilters(
                        Filter.newBuilder()
                            .setName("envoy.filters.network.http_connection_manager")
                            // stat_prefix is required (min_len 1)
                            .setTypedConfig(Any.pack(HttpConnectionManager.getDefaultInstance()))))
            .build();
    Bootstrap bootstrap =
        Bootstrap.newBuilder()
            .setStaticResources(Bootstrap.StaticResources.newBuilder().addListeners(listener))
            .build();

    CheckResult result = checker.checkConstraints("Bootstrap", "egress-1", bootstrap);

    assertEquals(1, result.problems().size(), result.problems().toString());
    String problem = result.problems().get(0);
    assertTrue(problem.startsWith("Bootstrap egress-1: .static_resources.listeners[0].filter_chains[0].filters[0].typed_config"), problem);
    assertTrue(problem.contains("stat_prefix"), problem);
    assertFalse(problem.contains("ADS"), "snapshot reference rules must not apply: " + problem);
  }
}
