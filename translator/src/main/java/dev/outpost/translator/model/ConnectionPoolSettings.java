package dev.outpost.translator.model;

import java.time.Duration;
import java.util.Optional;

/** {@code trafficPolicy.connectionPool}: limits that become Envoy circuit breakers and timeouts. */
public record ConnectionPoolSettings(Optional<Tcp> tcp, Optional<Http> http) {

  /**
   * {@code connectionPool.tcp}.
   *
   * @param maxConnections max connections to the destination host
   * @param connectTimeout TCP connect timeout (positive)
   * @param maxConnectionDuration max lifetime of a connection
   * @param idleTimeout idle timeout of a TCP connection
   */
  public record Tcp(
      Optional<Integer> maxConnections,
      Optional<Duration> connectTimeout,
      Optional<TcpKeepalive> tcpKeepalive,
      Optional<Duration> maxConnectionDuration,
      Optional<Duration> idleTimeout) {}

  /** {@code connectionPool.tcp.tcpKeepalive}. */
  public record TcpKeepalive(
      Optional<Integer> probes, Optional<Duration> time, Optional<Duration> interval) {}

  /**
   * {@code connectionPool.http}.
   *
   * @param maxRequestsPerConnection 0 = unlimited; 1 disables keep-alive
   * @param idleTimeout idle timeout of an upstream HTTP connection
   */
  public record Http(
      Optional<Integer> http1MaxPendingRequests,
      Optional<Integer> http2MaxRequests,
      Optional<Integer> maxRequestsPerConnection,
      Optional<Integer> maxRetries,
      Optional<Duration> idleTimeout,
      Optional<H2UpgradePolicy> h2UpgradePolicy,
      Optional<Boolean> useClientProtocol,
      Optional<Integer> maxConcurrentStreams) {}

  /** {@code connectionPool.http.h2UpgradePolicy}. */
  public enum H2UpgradePolicy {
    DEFAULT,
    DO_NOT_UPGRADE,
    UPGRADE
  }
}
