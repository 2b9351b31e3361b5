package dev.outpost.k8s;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Who a proxy is, according to the API server: its pod's namespace, service account, labels and IP
 * addresses. The server compares these with the node metadata a connecting Envoy claims, and the
 * addresses with where its connection comes from.
 *
 * @param addresses the pod's IPs ({@code status.podIPs}, else {@code status.podIP}) in canonical
 *     text ({@link #canonical(InetAddress)}), so that {@code 2001:DB8:0::1} and {@code 2001:db8::1}
 *     are one address; empty while the pod has none (not started yet) and once it has finished
 *     (Succeeded or Failed: its IPs are released for other pods)
 */
public record PodIdentity(
    String name,
    String namespace,
    String serviceAccount,
    ImmutableSortedMap<String, String> labels,
    String uid,
    ImmutableSet<String> addresses) {

  /**
   * @throws IllegalArgumentException if an address is not an IP literal
   */
  public PodIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(uid, "uid");
    addresses =
        Objects.requireNonNull(addresses, "addresses").stream()
            .map(a -> canonical(InetAddresses.forString(a)))
            .collect(ImmutableSet.toImmutableSet());
  }

  /** The node id such a pod's proxy uses: {@code POD_NAME.NAMESPACE}. */
  public String nodeId() {
    return name + "." + namespace;
  }

  /** Whether {@code address} (e.g. a connection's peer) is one of the pod's IPs. */
  public boolean hasAddress(InetAddress address) {
    return addresses.contains(canonical(address));
  }

  /**
   * An address as {@link #addresses} holds it: IPv6 compressed and lower case, an IPv4-mapped IPv6
   * address as its IPv4 form, without an IPv6 scope (pod IPs carry none; a socket's peer may).
   */
  public static String canonical(InetAddress address) {
    try {
      // getByAddress drops the scope and turns ::ffff:a.b.c.d into an Inet4Address.
      return InetAddresses.toAddrString(InetAddress.getByAddress(address.getAddress()));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + address, e); // 4 or 16 bytes never get here
    }
  }
}
