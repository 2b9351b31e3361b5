package dev.outpost.server.dump;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.outpost.server.xds.XdsSnapshot;
import dev.outpost.translator.api.EnvoyResources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;

/**
 * What a proxy receives, in the format of Envoy's admin {@code /config_dump}: the dynamic part of
 * each xDS type with its version, secrets redacted. {@code istioctl proxy-config ... --file} and
 * people who know Envoy can read it. Used by {@code outpost translate} and {@code
 * /debug/config_dump}, so both always agree.
 */
public final class ConfigDumps {
  private final JsonFormat.TypeRegistry registry;
  private final SensitiveFields sensitive;

  public ConfigDumps(JsonFormat.TypeRegistry registry) {
    this.registry = registry;
    this.sensitive = new SensitiveFields(registry);
  }

  public static ConfigDumps standard() {
    return new ConfigDumps(JsonTypes.registry());
  }

  public ConfigDump build(XdsSnapshot snapshot) {
    EnvoyResources r = snapshot.resources();
    ListenersConfigDump.Builder listeners =
        ListenersConfigDump.newBuilder().setVersionInfo(snapshot.version(ResourceType.LISTENER));
    for (Listener listener : r.listeners()) {
      listeners.addDynamicListeners(
          ListenersConfigDump.DynamicListener.newBuilder()
              .setName(listener.getName())
              .setActiveState(
                  ListenersConfigDump.DynamicListenerState.newBuilder()
                      .setVersionInfo(versionOf(snapshot, ResourceType.LISTENER, listener.getName()))
                      .setListener(pack(listener))));
    }
    RoutesConfigDump.Builder routes = RoutesConfigDump.newBuilder();
    for (RouteConfiguration route : r.routes()) {
      routes.addDynamicRouteConfigs(
          RoutesConfigDump.DynamicRouteConfig.newBuilder()
              .setVersionInfo(versionOf(snapshot, ResourceType.ROUTE, route.getName()))
              .setRouteConfig(pack(route)));
    }
    ClustersConfigDump.Builder clusters =
        ClustersConfigDump.newBuilder().setVersionInfo(snapshot.version(ResourceType.CLUSTER));
    for (Cluster cluster : r.clusters()) {
      clusters.addDynamicActiveClusters(
          ClustersConfigDump.DynamicCluster.newBuilder()
              .setVersionInfo(versionOf(snapshot, ResourceType.CLUSTER, cluster.getName()))
              .setCluster(pack(cluster)));
    }
    EndpointsConfigDump.Builder endpoints = EndpointsConfigDump.newBuilder();
    for (ClusterLoadAssignment assignment : r.endpoints()) {
      endpoints.addDynamicEndpointConfigs(
          EndpointsConfigDump.DynamicEndpointConfig.newBuilder()
              .setVersionInfo(versionOf(snapshot, ResourceType.ENDPOINT, assignment.getClusterName()))
              .setEndpointConfig(pack(assignment)));
    }
    SecretsConfigDump.Builder secrets = SecretsConfigDump.newBuilder();
    for (Secret secret : r.secrets()) {
      secrets.addDynamicActiveSecrets(
          SecretsConfigDump.DynamicSecret.newBuilder()
              .setName(secret.getName())
              .setVersionInfo(versionOf(snapshot, ResourceType.SECRET, secret.getName()))
              .setSecret(pack(secret)));
    }
    // Envoy's order: bootstrap, clusters, endpoints, listeners, routes, secrets; we have no bootstrap.
    return ConfigDump.newBuilder()
        .addConfigs(Any.pack(clusters.build()))
        .addConfigs(Any.pack(endpoints.build()))
        .addConfigs(Any.pack(listeners.build()))
        .addConfigs(Any.pack(routes.build()))
        .addConfigs(Any.pack(secrets.build()))
        .build();
  }

  /** The dump as Envoy prints it: JSON, two-space indent, Anys expanded. */
  public String json(XdsSnapshot snapshot) {
    try {
      return JsonFormat.printer().usingTypeRegistry(registry).preservingProtoFieldNames().print(build(snapshot));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print the config dump as JSON: " + e.getMessage(), e);
    }
  }

  // Redact before packing: nothing sensitive ever reaches the dump, whoever prints it.
  private Any pack(Message resource) {
    return Any.pack(sensitive.redact(resource));
  }

  private static String versionOf(XdsSnapshot snapshot, ResourceType type, String name) {
    var versioned = snapshot.versionedResources(type).get(name);
    return versioned != null ? versioned.version() : "";
  }
}
