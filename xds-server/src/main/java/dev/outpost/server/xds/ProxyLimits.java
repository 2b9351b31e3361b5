package dev.outpost.server.xds;

/**
 * Caps on what connecting proxies can make the server hold ({@code serve --max-proxy-groups},
 * {@code --max-streams-per-peer}). A stream over a cap is refused with {@code RESOURCE_EXHAUSTED}
 * (Envoy retries it with backoff) and counted in {@code outpost_proxy_limit_refusals_total}.
 *
 * @param maxProxyGroups distinct groups (role, namespace, service account, labels) served at once:
 *     each costs a translation and a gate check on every config change, and perhaps a certificate
 * @param maxStreamsPerPeer open ADS streams from one IP address. In Kubernetes every pod has its
 *     own IP and an Envoy keeps one ADS stream; in file mode, or behind SNAT or a proxy in front of
 *     the control plane, many Envoys share one address, hence a default that 500 replicas behind
 *     one address (each briefly with two streams while reconnecting) stay under
 */
public record ProxyLimits(int maxProxyGroups, int maxStreamsPerPeer) {
  public static final int DEFAULT_MAX_PROXY_GROUPS = 1000;
  public static final int DEFAULT_MAX_STREAMS_PER_PEER = 1000;
  public static final ProxyLimits DEFAULTS = new ProxyLimits(DEFAULT_MAX_PROXY_GROUPS, DEFAULT_MAX_STREAMS_PER_PEER);

  /** Metric label of the groups cap. */
  public static final String PROXY_GROUPS = "proxy_groups";
  /** Metric label of the per-peer streams cap. */
  public static final String STREAMS_PER_PEER = "streams_per_peer";

  public ProxyLimits {
    if (maxProxyGroups < 1 || maxStreamsPerPeer < 1) {
      throw new IllegalArgumentException("proxy limits must be at least 1");
    }
  }
}
