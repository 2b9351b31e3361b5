package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/**
 * {@code trafficPolicy}: upstream settings. {@code portLevelSettings} replace the whole policy for
 * their port (no inheritance from the top level, as in Istio). {@code tunnel} and {@code
 * proxyProtocol} are parsed but reported as not supported yet.
 */
public record TrafficPolicy(
    Optional<LoadBalancerSettings> loadBalancer,
    Optional<ConnectionPoolSettings> connectionPool,
    Optional<OutlierDetection> outlierDetection,
    Optional<ClientTlsSettings> tls,
    ImmutableList<PortTrafficPolicy> portLevelSettings,
    Optional<Tunnel> tunnel,
    Optional<ProxyProtocol> proxyProtocol) {

  /**
   * {@code portLevelSettings[]}: the policy for one destination port.
   *
   * @param port {@code port.number}
   */
  public record PortTrafficPolicy(
      int port,
      Optional<LoadBalancerSettings> loadBalancer,
      Optional<ConnectionPoolSettings> connectionPool,
      Optional<OutlierDetection> outlierDetection,
      Optional<ClientTlsSettings> tls) {}

  /** {@code trafficPolicy.tunnel}: tunnel TCP over HTTP CONNECT/POST (not supported yet). */
  public record Tunnel(String protocol, String targetHost, int targetPort) {}

  /** {@code trafficPolicy.proxyProtocol} (not supported yet). */
  public record ProxyProtocol(Version version) {
    /** PROXY protocol version. */
    public enum Version {
      V1,
      V2
    }
  }
}
