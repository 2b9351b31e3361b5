package dev.outpost.translator.emit;

import com.google.common.net.InetAddresses;
import dev.outpost.translator.ir.CertificateSource;
import dev.outpost.translator.ir.TrustSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
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

  /**
   * The certificate this side presents: an SDS reference (never inline, so a rotated certificate
   * changes only the Secret resource), or files Envoy reads from its own disk.
   */
  static void certificate(CommonTlsContext.Builder common, CertificateSource source) {
    if (source instanceof CertificateSource.Sds sds) {
      common.addTlsCertificateSdsSecretConfigs(sds(sds.secret().name()));
    } else if (source instanceof CertificateSource.Files files) {
      common.addTlsCertificates(
          TlsCertificate.newBuilder()
              .setCertificateChain(file(files.certificateChain()))
              .setPrivateKey(file(files.privateKey())));
    }
  }

  /**
   * How the peer is verified: the CA from {@code trust} with this side's own {@code checks} (SANs,
   * pins). A CA file goes into the validation context with the checks; a CA over SDS is merged
   * with them by Envoy (combined validation context, as Istio does), or referenced alone when
   * there are no checks.
   */
  static void validation(
      CommonTlsContext.Builder common,
      TrustSource trust,
      CertificateValidationContext.Builder checks) {
    if (trust instanceof TrustSource.File file) {
      common.setValidationContext(checks.setTrustedCa(file(file.path())));
    } else if (trust instanceof TrustSource.Sds sds) {
      if (checks.build().equals(CertificateValidationContext.getDefaultInstance())) {
        common.setValidationContextSdsSecretConfig(sds(sds.secret().name()));
      } else {
        common.setCombinedValidationContext(
            CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                .setDefaultValidationContext(checks)
                .setValidationContextSdsSecretConfig(sds(sds.secret().name())));
      }
    }
  }

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
