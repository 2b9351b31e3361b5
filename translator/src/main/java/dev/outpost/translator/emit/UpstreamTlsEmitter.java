package dev.outpost.translator.emit;

import com.google.common.net.InetAddresses;
import com.google.protobuf.Any;
import dev.outpost.translator.ir.UpstreamTls;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.Optional;

/**
 * IR upstream TLS → the cluster's {@code envoy.transport_sockets.tls} transport socket with an
 * UpstreamTlsContext, shaped as Istio's: secrets by SDS name over ADS, a CA from SDS combined with
 * the SAN matchers, or a CA file in the validation context.
 */
public final class UpstreamTlsEmitter {
  public static final String TRANSPORT_SOCKET = "envoy.transport_sockets.tls";

  public TransportSocket transportSocket(UpstreamTls tls) {
    CommonTlsContext.Builder common =
        CommonTlsContext.newBuilder()
            // Istio's client defaults: Envoy alone would stop at TLS 1.2 in older releases.
            .setTlsParams(
                TlsParameters.newBuilder()
                    .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
                    .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3))
            .addAllAlpnProtocols(tls.alpn());
    if (tls.clientCertificate().orElse(null) instanceof UpstreamTls.ClientCertificate.Sds sds) {
      common.addTlsCertificateSdsSecretConfigs(sds(sds.secret().name()));
    } else if (tls.clientCertificate().orElse(null)
        instanceof UpstreamTls.ClientCertificate.Files files) {
      common.addTlsCertificates(
          TlsCertificate.newBuilder()
              .setCertificateChain(file(files.certificateChain()))
              .setPrivateKey(file(files.privateKey())));
    }
    CertificateValidationContext.Builder names = CertificateValidationContext.newBuilder();
    tls.subjectAltNames().forEach(san -> names.addMatchTypedSubjectAltNames(matcher(san)));
    if (tls.trust().orElse(null) instanceof UpstreamTls.TrustAnchor.Sds sds) {
      common.setCombinedValidationContext(
          CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
              .setDefaultValidationContext(names)
              .setValidationContextSdsSecretConfig(sds(sds.secret().name())));
    } else if (tls.trust().orElse(null) instanceof UpstreamTls.TrustAnchor.File file) {
      common.setValidationContext(names.setTrustedCa(file(file.path())));
    }
    // No trust anchor: insecureSkipVerify, no validation context at all (as Istio).
    UpstreamTlsContext.Builder context = UpstreamTlsContext.newBuilder().setCommonTlsContext(common);
    tls.sni().ifPresent(context::setSni);
    return TransportSocket.newBuilder()
        .setName(TRANSPORT_SOCKET)
        .setTypedConfig(Any.pack(context.build()))
        .build();
  }

  /**
   * With an automatic SNI (wildcard destination host), Envoy sends each request's Host as SNI and,
   * when the server is verified without explicit SANs, checks the certificate against that name, as
   * Istio configures it.
   */
  public Optional<UpstreamHttpProtocolOptions> upstreamHttpProtocolOptions(UpstreamTls tls) {
    if (!tls.automaticSni()) {
      return Optional.empty();
    }
    return Optional.of(
        UpstreamHttpProtocolOptions.newBuilder()
            .setAutoSni(true)
            .setAutoSanValidation(tls.trust().isPresent() && tls.subjectAltNames().isEmpty())
            .build());
  }

  private static SdsSecretConfig sds(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ProtoValues.ads()).build();
  }

  private static DataSource file(String path) {
    return DataSource.newBuilder().setFilename(path).build();
  }

  /**
   * Istio's SAN strings carry no type; the form tells: a URI has a scheme ({@code spiffe://...}),
   * an IP address parses as one, anything else is a DNS name (where Envoy's exact match also
   * accepts a wildcard certificate covering it).
   */
  static SubjectAltNameMatcher matcher(String san) {
    SubjectAltNameMatcher.SanType type;
    if (san.contains("://")) {
      type = SubjectAltNameMatcher.SanType.URI;
    } else if (InetAddresses.isInetAddress(san)) {
      type = SubjectAltNameMatcher.SanType.IP_ADDRESS;
    } else {
      type = SubjectAltNameMatcher.SanType.DNS;
    }
    return SubjectAltNameMatcher.newBuilder()
        .setSanType(type)
        .setMatcher(StringMatcher.newBuilder().setExact(san))
        .build();
  }
}
