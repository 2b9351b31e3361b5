package dev.outpost.translator.check;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.translator.api.EnvoyResources;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
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
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.CombinedCertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;

/** A small, correct egress snapshot, and builders to break it one piece at a time. */
final class SnapshotFixtures {
  static final String LISTENER = "0.0.0.0_80";
  static final String ROUTE_CONFIG = "http.80";
  static final String EDS_CLUSTER = "outbound|80||api.example.com";
  static final String DNS_CLUSTER = "outbound|80||dns.example.com";
  static final String TLS_CLUSTER = "outbound|443||tls.example.com";
  static final String CLIENT_CERT = "kubernetes://client";
  static final String CLIENT_CA = "kubernetes://client-cacert";

  private SnapshotFixtures() {}

  static ConfigSource ads() {
    return ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3)
        .build();
  }

  static Address address(String host, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }

  static HttpConnectionManager.Builder hcm() {
    Struct jsonFormat =
        Struct.newBuilder()
            .putFields("upstream_cluster", Value.newBuilder().setStringValue("%UPSTREAM_CLUSTER%").build())
            .putFields("response_code", Value.newBuilder().setStringValue("%RESPONSE_CODE%").build())
            .build();
    StdoutAccessLog stdout =
        StdoutAccessLog.newBuilder()
            .setLogFormat(SubstitutionFormatString.newBuilder().setJsonFormat(jsonFormat))
            .build();
    return HttpConnectionManager.newBuilder()
        .setStatPrefix("outbound_0.0.0.0_80")
        .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName(ROUTE_CONFIG))
        .addHttpFilters(
            HttpFilter.newBuilder()
                .setName("envoy.filters.http.router")
                .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .addAccessLog(
            AccessLog.newBuilder()
                .setName("envoy.access_loggers.stdout")
                .setTypedConfig(Any.pack(stdout)));
  }

  static Listener listenerWith(String name, int port, Filter filter) {
    return Listener.newBuilder()
        .setName(name)
        .setAddress(address("0.0.0.0", port))
        .addFilterChains(FilterChain.newBuilder().addFilters(filter))
        .build();
  }

  static Listener httpListener(HttpConnectionManager hcm) {
    return listenerWith(
        LISTENER,
        80,
        Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager")
            .setTypedConfig(Any.pack(hcm))
            .build());
  }

  static Listener tcpListener(TcpProxy tcpProxy) {
    return listenerWith(
        "0.0.0.0_9000",
        9000,
        Filter.newBuilder()
            .setName("envoy.filters.network.tcp_proxy")
            .setTypedConfig(Any.pack(tcpProxy))
            .build());
  }

  static RouteConfiguration routeTo(String routeConfigName, String cluster) {
    return RouteConfiguration.newBuilder()
        .setName(routeConfigName)
        .addVirtualHosts(
            VirtualHost.newBuilder()
                .setName("api.example.com:80")
                .addDomains("api.example.com")
                .addRoutes(
                    Route.newBuilder()
                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(RouteAction.newBuilder().setCluster(cluster))))
        .build();
  }

  static Cluster edsCluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setConnectTimeout(Duration.newBuilder().setSeconds(10))
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads()))
        .build();
  }

  static Cluster.Builder dnsCluster(String name, String host) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.STRICT_DNS)
        .setConnectTimeout(Duration.newBuilder().setSeconds(10))
        .setLoadAssignment(assignment(name, host));
  }

  static ClusterLoadAssignment assignment(String clusterName, String host) {
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(clusterName)
        .addEndpoints(
            LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(
                    LbEndpoint.newBuilder()
                        .setEndpoint(Endpoint.newBuilder().setAddress(address(host, 80)))))
        .build();
  }

  static SdsSecretConfig sds(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ads()).build();
  }

  /** An upstream mTLS cluster whose certificate and CA come over SDS. */
  static Cluster tlsCluster(SdsSecretConfig certificate, SdsSecretConfig ca) {
    UpstreamTlsContext tls =
        UpstreamTlsContext.newBuilder()
            .setSni("tls.example.com")
            .setCommonTlsContext(
                CommonTlsContext.newBuilder()
                    .addTlsCertificateSdsSecretConfigs(certificate)
                    .setCombinedValidationContext(
                        CombinedCertificateValidationContext.newBuilder()
                            .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                            .setValidationContextSdsSecretConfig(ca)))
            .build();
    return dnsCluster(TLS_CLUSTER, "tls.example.com")
        .setTransportSocket(
            TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(tls)))
        .build();
  }

  static Secret certificateSecret(String name) {
    return Secret.newBuilder()
        .setName(name)
        .setTlsCertificate(
            TlsCertificate.newBuilder()
                .setCertificateChain(DataSource.newBuilder().setInlineString("-----BEGIN CERTIFICATE-----"))
                .setPrivateKey(DataSource.newBuilder().setInlineString("-----BEGIN PRIVATE KEY-----")))
        .build();
  }

  static Secret caSecret(String name) {
    return Secret.newBuilder()
        .setName(name)
        .setValidationContext(
            CertificateValidationContext.newBuilder()
                .setTrustedCa(DataSource.newBuilder().setInlineString("-----BEGIN CERTIFICATE-----")))
        .build();
  }

  /** HCM listener with RDS + router + JSON stdout access log, a route to an EDS cluster, a
   *  STRICT_DNS cluster, the EDS cluster's endpoints. */
  static EnvoyResources validSnapshot() {
    return new EnvoyResources(
        ImmutableList.of(httpListener(hcm().build())),
        ImmutableList.of(routeTo(ROUTE_CONFIG, EDS_CLUSTER)),
        ImmutableList.of(edsCluster(EDS_CLUSTER), dnsCluster(DNS_CLUSTER, "dns.example.com").build()),
        ImmutableList.of(assignment(EDS_CLUSTER, "10.0.0.1")),
        ImmutableList.of());
  }

  static EnvoyResources withListeners(EnvoyResources base, Listener... listeners) {
    return new EnvoyResources(
        ImmutableList.copyOf(listeners), base.routes(), base.clusters(), base.endpoints(), base.secrets());
  }

  static EnvoyResources withRoutes(EnvoyResources base, RouteConfiguration... routes) {
    return new EnvoyResources(
        base.listeners(), ImmutableList.copyOf(routes), base.clusters(), base.endpoints(), base.secrets());
  }

  static EnvoyResources withClusters(EnvoyResources base, Cluster... clusters) {
    return new EnvoyResources(
        base.listeners(), base.routes(), ImmutableList.copyOf(clusters), base.endpoints(), base.secrets());
  }

  static EnvoyResources withEndpoints(EnvoyResources base, ClusterLoadAssignment... endpoints) {
    return new EnvoyResources(
        base.listeners(), base.routes(), base.clusters(), ImmutableList.copyOf(endpoints), base.secrets());
  }

  static EnvoyResources withSecrets(EnvoyResources base, Secret... secrets) {
    return new EnvoyResources(
        base.listeners(), base.routes(), base.clusters(), base.endpoints(), ImmutableList.copyOf(secrets));
  }
}
