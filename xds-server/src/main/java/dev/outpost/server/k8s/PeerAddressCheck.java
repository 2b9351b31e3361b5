package dev.outpost.server.k8s;

/**
 * Whether Kubernetes mode accepts a proxy's node id only from an IP of the pod it names ({@code
 * serve --kubernetes --peer-address-check}).
 */
public enum PeerAddressCheck {
  /**
   * The stream's peer address must be one of the pod's IPs. Pod-to-Service traffic keeps its source
   * address (kube-proxy rewrites only the destination of traffic from the pod network), so this
   * holds for proxies in pods; a hostNetwork pod's IP is its node's, which is its source unless the
   * node masquerades it (see xds-server/README.md, "Proxy identity").
   */
  ENFORCE,
  /**
   * No address check, for networks that rewrite source addresses on the way to the control plane (a
   * sidecar or other proxy in front of Outpost, SNAT): any client that can connect may claim any pod
   * it can name.
   */
  OFF
}
