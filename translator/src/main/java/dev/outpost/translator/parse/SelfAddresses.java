package dev.outpost.translator.parse;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Addresses that, used as an upstream by the gateway, point back at the gateway itself: loopback
 * IPs (127.0.0.0/8, ::1, also IPv4-mapped), the unspecified address (0.0.0.0, ::, which Linux
 * connects to the local host), and {@code localhost} and names under {@code .localhost} (RFC 6761
 * reserves them for the loopback address). Istio's ServiceEntry validation accepts them (it only
 * checks IP and FQDN syntax), so Outpost warns instead of rejecting.
 */
final class SelfAddresses {
  private SelfAddresses() {}

  /** What kind of self address {@code address} is ("a loopback address", ...), or empty. */
  static Optional<String> kind(String address) {
    if (AddressValidator.isIp(address)) {
      InetAddress ip = InetAddresses.forString(address);
      if (ip.isLoopbackAddress()) {
        return Optional.of("a loopback address");
      }
      if (ip.isAnyLocalAddress()) {
        return Optional.of("the unspecified address (it connects to the local host)");
      }
      return Optional.empty();
    }
    String name = address.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    return name.equals("localhost") || name.endsWith(".localhost")
        ? Optional.of("a name for the loopback address")
        : Optional.empty();
  }

  /** The warning for a self address in a field the gateway connects to. */
  static String warning(String address, String kind) {
    return "\""
        + address
        + "\" is "
        + kind
        + ": the gateway would connect to itself (its own pod in Kubernetes), not to the service."
        + " Use the service's own address, unless Envoy and the service share one machine on"
        + " purpose (Istio accepts this, hence a warning)";
  }
}
