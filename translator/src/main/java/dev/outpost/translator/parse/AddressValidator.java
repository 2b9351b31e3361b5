package dev.outpost.translator.parse;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Optional;

/** IP address and CIDR syntax (no DNS lookups). */
final class AddressValidator {
  private AddressValidator() {}

  static boolean isIp(String s) {
    return !s.isEmpty() && InetAddresses.isInetAddress(s);
  }

  /** An IP address or a CIDR block such as {@code 10.0.0.0/8}. Returns why not, or empty. */
  static Optional<String> checkIpOrCidr(String s) {
    int slash = s.indexOf('/');
    String ip = slash < 0 ? s : s.substring(0, slash);
    if (!isIp(ip)) {
      return Optional.of(
          "\"" + s + "\" is not an IP address or CIDR block (e.g. 192.0.2.10 or 10.0.0.0/8)");
    }
    if (slash < 0) {
      return Optional.empty();
    }
    InetAddress address = InetAddresses.forString(ip);
    int maxBits = address.getAddress().length * 8;
    String bits = s.substring(slash + 1);
    if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > maxBits) {
      return Optional.of("\"" + s + "\" has an invalid prefix length; it must be 0-" + maxBits);
    }
    return Optional.empty();
  }
}
