package dev.outpost.server.xds;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.MeshSecrets;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;

/**
 * Resources shaped like an ISTIO_MUTUAL gateway server: a listener that presents SDS {@code
 * default} and validates clients with {@code ROOTCA}, and a cluster that originates mesh mTLS
 * with the same pair, so both scanning paths (listener, cluster) are exercised.
 */
public final class MeshFixtures {
  private MeshFixtures() {}

  public static EnvoyResources istioMutual(int idleTimeoutSeconds) {
    ConfigSource ads = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).setResourceApiVersion(ApiVersion.V3).build();
    CommonTlsContext mesh =
        CommonTlsContext.newBuilder()
            .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder().setName(MeshSecrets.CERTIFICATE).setSdsConfig(ads))
            .setCombinedValidationContext(
                CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                    .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                    .setValidationContextSdsSecretConfig(SdsSecretConfig.newBuilder().setName(MeshSecrets.TRUST_BUNDLE).setSdsConfig(ads)))
            .build();
    String cluster = "outbound|443||gateway.mesh";
    Listener listener =
        Listener.newBuilder()
            .setName("0.0.0.0_443")
            .setAddress(address("0.0.0.0", 443))
            .addFilterChains(
                FilterChain.newBuilder()
                    .setTransportSocket(
                        TransportSocket.newBuilder()
                            .setName("envoy.transport_sockets.tls")
                            .setTypedConfig(Any.pack(DownstreamTlsContext.newBuilder().setCommonTlsContext(mesh)
                                .setRequireClientCertificate(com.google.protobuf.BoolValue.of(true)).build())))
                    .addFilters(
                        Filter.newBuilder()
                            .setName("envoy.filters.network.tcp_proxy")
                            .setTypedConfig(Any.pack(TcpProxy.newBuilder().setStatPrefix(cluster).setCluster(cluster)
                                .setIdleTimeout(Duration.newBuilder().setSeconds(idleTimeoutSeconds)).build()))))
            .build();
    Cluster upstream =
        Cluster.newBuilder()
            .setName(cluster)
            .setType(Cluster.DiscoveryType.STATIC)
            .setConnectTimeout(Duration.newBuilder().setSeconds(5))
            .setTransportSocket(
                TransportSocket.newBuilder()
                    .setName("envoy.transport_sockets.tls")
                    .setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder().setCommonTlsContext(mesh).setSni("gateway.mesh").build())))
            .setLoadAssignment(
                ClusterLoadAssignment.newBuilder()
                    .setClusterName(cluster)
                    .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(
                        LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(address("203.0.113.7", 443))))))
            .build();
    return new EnvoyResources(ImmutableList.of(listener), ImmutableList.of(), ImmutableList.of(upstream), ImmutableList.of(), ImmutableList.of());
  }

  private static Address address(String ip, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)).build();
  }
}
