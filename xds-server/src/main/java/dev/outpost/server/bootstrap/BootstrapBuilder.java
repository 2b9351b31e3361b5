package dev.outpost.server.bootstrap;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.server.xds.NodeIdentities;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.parse.RegexLimits;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.bootstrap.v3.LayeredRuntime;
import io.envoyproxy.envoy.config.bootstrap.v3.RuntimeLayer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.Objects;

/**
 * The Envoy bootstrap for a proxy served by Outpost: its node identity (the metadata Outpost groups
 * proxies by), ADS to the control plane for listeners and clusters (routes, endpoints and secrets
 * follow over the same stream), the admin interface (on localhost unless told otherwise), and a Prometheus listener that
 * exposes only the admin's {@code /stats/prometheus}, the way Istio's proxies do on 15090.
 */
public final class BootstrapBuilder {
  public static final String XDS_CLUSTER = "xds_cluster";
  public static final String STATS_CLUSTER = "prometheus_stats";
  public static final String STATS_LISTENER = "prometheus_stats";
  public static final String HEALTH_LISTENER = "health";
  /** Istio's readiness path on its health port 15021, answered by Envoy's admin {@code /ready}. */
  public static final String HEALTH_PATH = "/healthz/ready";
  public static final String RE2_MAX_PROGRAM_SIZE_ERROR_LEVEL = "re2.max_program_size.error_level";
  /** The limit Outpost checks every regex against before sending it (translator RegexLimits). */
  static final int RE2_MAX_PROGRAM_SIZE = RegexLimits.MAX_PROGRAM_SIZE;
  static final String STATIC_RUNTIME_LAYER = "global config";
  static final String ADMIN_RUNTIME_LAYER = "admin";
  static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  /** Everything the bootstrap depends on. {@code cluster} is Envoy's {@code node.cluster}. */
  public record Options(
      HostAndPort xdsAddress,
      ProxyIdentity proxy,
      String cluster,
      boolean delta,
      String adminAddress,
      int adminPort,
      int statsPort,
      int healthPort) {
    public Options {
      Objects.requireNonNull(xdsAddress, "xdsAddress");
      Objects.requireNonNull(adminAddress, "adminAddress");
      Objects.requireNonNull(proxy, "proxy");
      Objects.requireNonNull(cluster, "cluster");
      if (!xdsAddress.hasPort()) {
        throw new IllegalArgumentException("--xds-address needs a port: HOST:PORT, e.g. outpost:18000");
      }
    }
  }

  public Bootstrap build(Options options) {
    ConfigSource ads =
        ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3)
            .build();
    return Bootstrap.newBuilder()
        .setNode(node(options))
        .setDynamicResources(
            Bootstrap.DynamicResources.newBuilder()
                .setAdsConfig(
                    ApiConfigSource.newBuilder()
                        .setApiType(options.delta() ? ApiConfigSource.ApiType.DELTA_GRPC : ApiConfigSource.ApiType.GRPC)
                        .setTransportApiVersion(ApiVersion.V3)
                        .setSetNodeOnFirstMessageOnly(true)
                        .addGrpcServices(
                            GrpcService.newBuilder()
                                .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(XDS_CLUSTER))))
                .setLdsConfig(ads)
                .setCdsConfig(ads))
        .setStaticResources(
            Bootstrap.StaticResources.newBuilder()
                .addListeners(statsListener(options.statsPort()))
                .addListeners(healthListener(options.healthPort()))
                .addClusters(xdsCluster(options.xdsAddress()))
                .addClusters(statsCluster(options.adminPort())))
        .setAdmin(Admin.newBuilder().setAddress(address(options.adminAddress(), options.adminPort())))
        .setLayeredRuntime(runtime())
        .build();
  }

  /**
   * Runtime defaults as on Istio's proxies. Envoy rejects a route config in which a regex compiles
   * to an RE2 program larger than {@code re2.max_program_size.error_level} (100 by default), so an
   * ordinary VirtualService regex match could get the whole route config NACKed; Istio raises the
   * limit to 32768, and so do we. The admin layer keeps {@code /runtime_modify} working, which a
   * bootstrap without layered_runtime has by default and would otherwise lose.
   */
  private static LayeredRuntime runtime() {
    return LayeredRuntime.newBuilder()
        .addLayers(
            RuntimeLayer.newBuilder()
                .setName(STATIC_RUNTIME_LAYER)
                .setStaticLayer(
                    Struct.newBuilder()
                        .putFields(RE2_MAX_PROGRAM_SIZE_ERROR_LEVEL, Value.newBuilder().setNumberValue(RE2_MAX_PROGRAM_SIZE).build())))
        .addLayers(RuntimeLayer.newBuilder().setName(ADMIN_RUNTIME_LAYER).setAdminLayer(RuntimeLayer.AdminLayer.getDefaultInstance()))
        .build();
  }

  private static Node node(Options options) {
    ProxyIdentity proxy = options.proxy();
    Struct.Builder labels = Struct.newBuilder();
    proxy.labels().forEach((k, v) -> labels.putFields(k, string(v)));
    return Node.newBuilder()
        .setId(proxy.nodeId())
        .setCluster(options.cluster())
        .setMetadata(
            Struct.newBuilder()
                .putFields(NodeIdentities.NAMESPACE, string(proxy.namespace()))
                .putFields(NodeIdentities.SERVICE_ACCOUNT, string(proxy.serviceAccount()))
                .putFields(NodeIdentities.ROLE, string(proxy.role().wireName()))
                .putFields(NodeIdentities.LABELS, Value.newBuilder().setStructValue(labels).build()))
        .build();
  }

  private static Cluster xdsCluster(HostAndPort xds) {
    boolean literalIp = InetAddresses.isInetAddress(xds.getHost());
    HttpProtocolOptions http2 =
        HttpProtocolOptions.newBuilder()
            .setExplicitHttpConfig(
                HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                    .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
            .build();
    return Cluster.newBuilder()
        .setName(XDS_CLUSTER)
        // A host name is re-resolved as the control plane moves (a Kubernetes Service, Docker DNS).
        .setType(literalIp ? Cluster.DiscoveryType.STATIC : Cluster.DiscoveryType.STRICT_DNS)
        .setConnectTimeout(Duration.newBuilder().setSeconds(5))
        .putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Any.pack(http2))
        .setLoadAssignment(loadAssignment(XDS_CLUSTER, xds.getHost(), xds.getPort()))
        .build();
  }

  private static Cluster statsCluster(int adminPort) {
    return Cluster.newBuilder()
        .setName(STATS_CLUSTER)
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(Duration.newBuilder().setSeconds(1))
        .setLoadAssignment(loadAssignment(STATS_CLUSTER, "127.0.0.1", adminPort))
        .build();
  }

  // Only /stats/prometheus is reachable from outside; the rest of the admin API stays on localhost.
  private static Listener statsListener(int statsPort) {
    return adminPathListener(
        STATS_LISTENER, statsPort, "stats", RouteAction.newBuilder().setCluster(STATS_CLUSTER), "/stats/prometheus");
  }

  /**
   * Readiness for the kubelet, which cannot reach the admin API on loopback: Istio's {@code
   * /healthz/ready} on its health port, answered by the admin's {@code /ready} (200 once the first
   * listeners and clusters are in, 503 while initializing or draining).
   */
  private static Listener healthListener(int healthPort) {
    return adminPathListener(
        HEALTH_LISTENER,
        healthPort,
        "health",
        RouteAction.newBuilder().setCluster(STATS_CLUSTER).setPrefixRewrite("/ready"),
        HEALTH_PATH);
  }

  /** A listener on all addresses that forwards exactly one path to the loopback admin API. */
  private static Listener adminPathListener(
      String name, int port, String statPrefix, RouteAction.Builder action, String path) {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(statPrefix)
            .setRouteConfig(
                RouteConfiguration.newBuilder()
                    .setName(name)
                    .addVirtualHosts(
                        VirtualHost.newBuilder()
                            .setName(name)
                            .addDomains("*")
                            .addRoutes(
                                Route.newBuilder()
                                    .setMatch(RouteMatch.newBuilder().setPath(path))
                                    .setRoute(action))))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    return Listener.newBuilder()
        .setName(name)
        .setAddress(address("0.0.0.0", port))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(hcm))))
        .build();
  }

  private static ClusterLoadAssignment loadAssignment(String cluster, String host, int port) {
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(cluster)
        .addEndpoints(
            LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(address(host, port)))))
        .build();
  }

  private static Address address(String host, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }

  private static Value string(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }
}
