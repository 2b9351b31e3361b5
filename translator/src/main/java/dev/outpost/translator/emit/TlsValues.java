package dev.outpost.translator.emit;

import com.google.common.net.InetAddresses;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.regex.Pattern;

/**
 * The pieces the upstream and downstream TLS emitters build alike, so a gateway checks a SAN, names
 * an SDS secret and reads a file the same way on both sides.
 */
final class TlsValues {
  /** An RFC 3986 scheme and its colon: {@code spiffe:}, {@code urn:}, {@code https:}. */
  private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  private TlsValues() {}

  /** A secret fetched over the ADS stream by name. */
  static SdsSecretConfig sds(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ProtoValues.ads()).build();
  }

  /** A file on the proxy's own disk, read by Envoy. */
  static DataSource file(String path) {
    return DataSource.newBuilder().setFilename(path).build();
  }

  /** An exact SAN check, typed by the SAN's form (see {@link #sanType}). */
  static SubjectAltNameMatcher sanMatcher(String san) {
    return SubjectAltNameMatcher.newBuilder()
        .setSanType(sanType(san))
        .setMatcher(StringMatcher.newBuilder().setExact(san))
        .build();
  }

  /**
   * Istio's SANs are untyped strings, and Envoy's typed matcher compares one certificate field, so
   * the type follows from the form: an IP address parses as one (IPv6 has colons, so this comes
   * before the scheme test), anything with a URI scheme ({@code spiffe://...}, {@code urn:...}) is
   * a URI, an address with {@code @} an e-mail, the rest DNS names (where Envoy's exact match also
   * accepts a wildcard certificate covering the name).
   */
  static SubjectAltNameMatcher.SanType sanType(String san) {
    if (InetAddresses.isInetAddress(san)) {
      return SubjectAltNameMatcher.SanType.IP_ADDRESS;
    }
    if (URI_SCHEME.matcher(san).find()) {
      return SubjectAltNameMatcher.SanType.URI;
    }
    if (san.contains("@")) {
      return SubjectAltNameMatcher.SanType.EMAIL;
    }
    return SubjectAltNameMatcher.SanType.DNS;
  }
}
