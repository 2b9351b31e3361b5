package dev.outpost.translator.check;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Cross-reference rules, applied to every message wherever it sits (top level, inline, or inside
 * any number of {@code Any}s): a name that points at another xDS resource must name one in the
 * same snapshot, and every dynamic config source must be ADS, the only channel Outpost serves.
 * Envoy would otherwise wait forever for the missing resource (a warming listener or cluster) or
 * route to nowhere.
 *
 * <p>An SDS reference must also name a secret of the kind its field wants (a certificate and key
 * for {@code tls_certificate_sds_secret_configs}, a CA bundle for {@code
 * validation_context_sds_secret_config}): two credentials can map to one SDS name ({@code
 * kubernetes://X-cacert} is both X's CA and a credential named {@code X-cacert}).
 *
 * <p>Rules match on message type, not on field paths, so they hold wherever the translator puts
 * the message (e.g. an SDS reference in a listener's or a cluster's TLS context, a weighted
 * cluster in a route or in tcp_proxy).
 */
final class ReferenceRules {
  private final ImmutableSet<String> routeConfigNames;
  private final ImmutableSet<String> clusterNames;
  private final ImmutableSet<String> secretNames;
  private final ImmutableMap<String, Secret.TypeCase> secretTypes;

  /**
   * @param secretNames every secret a reference may name: the snapshot's and those the server
   *     supplies itself
   * @param secretTypes what each of the snapshot's secrets holds (supplied ones are not known here)
   */
  ReferenceRules(
      ImmutableSet<String> routeConfigNames,
      ImmutableSet<String> clusterNames,
      ImmutableSet<String> secretNames,
      ImmutableMap<String, Secret.TypeCase> secretTypes) {
    this.routeConfigNames = routeConfigNames;
    this.clusterNames = clusterNames;
    this.secretNames = secretNames;
    this.secretTypes = secretTypes;
  }

  /** Reports each broken reference in {@code message} as (field path, problem). */
  void check(String path, Message message, BiConsumer<String, String> problems) {
    if (message instanceof Rds rds) {
      requireRouteConfig(path + ".route_config_name", rds.getRouteConfigName(), problems);
    } else if (message instanceof HttpConnectionManager hcm && hcm.hasScopedRoutes()) {
      problems.accept(
          path + ".scoped_routes",
          "scoped routes (SRDS) are not served by Outpost: use rds with an ADS config source");
    } else if (message instanceof RouteAction action
        && action.getClusterSpecifierCase() == RouteAction.ClusterSpecifierCase.CLUSTER) {
      requireCluster(path + ".cluster", action.getCluster(), problems);
    } else if (message instanceof WeightedCluster.ClusterWeight weight
        && !weight.getName().isEmpty()) {
      requireCluster(path + ".name", weight.getName(), problems);
    } else if (message instanceof RouteAction.RequestMirrorPolicy mirror
        && !mirror.getCluster().isEmpty()) {
      requireCluster(path + ".cluster", mirror.getCluster(), problems);
    } else if (message instanceof TcpProxy tcpProxy
        && tcpProxy.getClusterSpecifierCase() == TcpProxy.ClusterSpecifierCase.CLUSTER) {
      requireCluster(path + ".cluster", tcpProxy.getCluster(), problems);
    } else if (message instanceof TcpProxy.WeightedCluster.ClusterWeight weight) {
      requireCluster(path + ".name", weight.getName(), problems);
    } else if (message instanceof SdsSecretConfig sds) {
      checkSecretReference(path, sds, problems);
    } else if (message instanceof ConfigSource source
        && source.getConfigSourceSpecifierCase() != ConfigSource.ConfigSourceSpecifierCase.ADS) {
      problems.accept(
          path,
          "config source is " + describe(source) + ", but Outpost serves every resource over"
              + " ADS: set ads: {}");
    }
  }

  private void checkSecretReference(
      String path, SdsSecretConfig sds, BiConsumer<String, String> problems) {
    if (!sds.hasSdsConfig()) {
      // Without sds_config the name refers to a static secret in Envoy's bootstrap, which
      // Outpost neither writes nor knows.
      problems.accept(
          path + ".sds_config",
          "SDS secret \"" + sds.getName() + "\" has no sds_config: Outpost serves secrets over"
              + " ADS, set sds_config: {ads: {}}");
    }
    if (!secretNames.contains(sds.getName())) {
      problems.accept(
          path + ".name",
          "SDS secret \"" + sds.getName() + "\" is not in the snapshot; Envoy would wait for it"
              + " forever and never serve this listener or cluster");
      return;
    }
    Secret.TypeCase wanted = wantedType(path);
    Secret.TypeCase held = secretTypes.get(sds.getName());
    if (wanted != null && held != null && held != wanted) {
      problems.accept(
          path + ".name",
          "SDS secret \"" + sds.getName() + "\" holds " + describe(held) + " but is referenced"
              + " for " + describe(wanted) + "; Envoy would reject it there");
    }
  }

  /** What the reference at {@code path} needs, from the field it sits in; null: unknown. */
  private static Secret.TypeCase wantedType(String path) {
    if (path.matches(".*\\.tls_certificate_sds_secret_configs\\[\\d+\\]$")) {
      return Secret.TypeCase.TLS_CERTIFICATE;
    }
    if (path.endsWith(".validation_context_sds_secret_config")) {
      return Secret.TypeCase.VALIDATION_CONTEXT;
    }
    return null;
  }

  private static String describe(Secret.TypeCase type) {
    return switch (type) {
      case TLS_CERTIFICATE -> "a certificate and key";
      case VALIDATION_CONTEXT -> "a CA bundle";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }

  private void requireRouteConfig(String path, String name, BiConsumer<String, String> problems) {
    if (!routeConfigNames.contains(name)) {
      problems.accept(
          path,
          "route config \"" + name + "\" is not in the snapshot; the listener would never become"
              + " ready");
    }
  }

  private void requireCluster(String path, String name, BiConsumer<String, String> problems) {
    if (!clusterNames.contains(name)) {
      problems.accept(path, "cluster \"" + name + "\" is not in the snapshot");
    }
  }

  private static String describe(ConfigSource source) {
    return switch (source.getConfigSourceSpecifierCase()) {
      case CONFIGSOURCESPECIFIER_NOT_SET -> "not set";
      default -> source.getConfigSourceSpecifierCase().name().toLowerCase(Locale.ROOT);
    };
  }
}
