package dev.outpost.server.xds;

import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server speaking ADS, state of the world and delta, on java-control-plane's {@link
 * V3DiscoveryServer} with Outpost's corrections around it: {@link SafeConfigWatcher} in front of
 * the cache, {@link StreamFixingAdsService} in front of the stream handler, {@link
 * PeerAddressInterceptor} so that identity checks see where a stream comes from, and the {@link
 * ProxyRegistry} as its callbacks.
 */
public final class XdsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XdsServer.class);
  private final Server server;

  private XdsServer(Server server) {
    this.server = server;
  }

  /** Starts listening on {@code address} (port 0 picks a free port; see {@link #port()}). */
  public static XdsServer start(InetSocketAddress address, XdsCache cache, ProxyRegistry registry)
      throws IOException {
    V3DiscoveryServer discovery = new V3DiscoveryServer(List.of(registry), new SafeConfigWatcher(cache));
    Server server =
        NettyServerBuilder.forAddress(address)
            .addService(
                ServerInterceptors.intercept(
                    new StreamFixingAdsService(discovery.getAggregatedDiscoveryServiceImpl(), registry::streamEnded),
                    new PeerAddressInterceptor()))
            // Envoy keeps ADS streams open for hours; ping so dead peers are noticed.
            .keepAliveTime(30, TimeUnit.SECONDS)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .build()
            .start();
    exposureWarning(address).ifPresent(LOG::warn);
    return new XdsServer(server);
  }

  /**
   * ADS is plaintext and the node metadata it receives is trusted: on an address other hosts can
   * reach, whoever connects can claim any identity and receive its mesh certificate and its
   * namespace's TLS keys. Said at every start, because the fix is outside Outpost (network policy).
   */
  static Optional<String> exposureWarning(InetSocketAddress address) {
    if (address.getAddress() != null && address.getAddress().isLoopbackAddress()) {
      return Optional.empty();
    }
    String where = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    return Optional.of(
        "ADS on " + where + ":" + address.getPort() + " is plaintext and trusts the identity (NAMESPACE, SERVICE_ACCOUNT,"
            + " LABELS) in each proxy's node metadata: any client that can connect can claim an identity and receive its"
            + " mesh certificate and private key and the TLS keys of that namespace's gateways. Let only your gateway"
            + " pods reach this port (Kubernetes NetworkPolicy, firewall), or --bind 127.0.0.1; see README, \"Security\"");
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
