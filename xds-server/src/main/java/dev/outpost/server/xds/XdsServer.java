package dev.outpost.server.xds;

import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server speaking ADS, state of the world and delta, on java-control-plane's {@link
 * V3DiscoveryServer} with Outpost's corrections around it: {@link SafeConfigWatcher} in front of
 * the cache, {@link StreamFixingAdsService} in front of the stream handler, and the {@link
 * ProxyRegistry} as its callbacks.
 */
public final class XdsServer implements AutoCloseable {
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
            .addService(new StreamFixingAdsService(discovery.getAggregatedDiscoveryServiceImpl(), registry::streamEnded))
            // Envoy keeps ADS streams open for hours; ping so dead peers are noticed.
            .keepAliveTime(30, TimeUnit.SECONDS)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .build()
            .start();
    return new XdsServer(server);
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
