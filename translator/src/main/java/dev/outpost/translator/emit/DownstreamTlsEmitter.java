package dev.outpost.translator.emit;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.outpost.translator.ir.DownstreamTls;
import dev.outpost.translator.ir.SdsSecret;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/**
 * A server's {@link DownstreamTls} → the filter chain's {@code envoy.transport_sockets.tls}
 * transport socket. Certificates from Secrets and the mesh identity are SDS references over ADS
 * (never inline), so a rotated certificate changes only the Secret resource; file paths become
 * filename data sources read by Envoy from its own disk.
 */
public final class DownstreamTlsEmitter {
  public static final String TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";

  public TransportSocket emit(DownstreamTls tls) {
    CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
    TlsParameters params = parameters(tls);
    if (!params.equals(TlsParameters.getDefaultInstance())) {
      common.setTlsParams(params);
    }
    common.addAllAlpnProtocols(tls.alpnProtocols());
    if (tls.certificate() instanceof DownstreamTls.CertificateSource.Sds sds) {
      common.addTlsCertificateSdsSecretConfigs(sds(sds.secret()));
    } else if (tls.certificate() instanceof DownstreamTls.CertificateSource.Files files) {
      common.addTlsCertificates(
          TlsCertificate.newBuilder()
              .setCertificateChain(file(files.certificateChain()))
              .setPrivateKey(file(files.privateKey())));
    }
    tls.trust().ifPresent(trust -> validation(tls, trust, common));
    DownstreamTlsContext.Builder context =
        DownstreamTlsContext.newBuilder().setCommonTlsContext(common);
    if (tls.requireClientCertificate()) {
      context.setRequireClientCertificate(BoolValue.of(true));
    }
    return TransportSocket.newBuilder()
        .setName(TLS_TRANSPORT_SOCKET)
        .setTypedConfig(Any.pack(context.build()))
        .build();
  }

  private static void validation(
      DownstreamTls tls, DownstreamTls.TrustSource trust, CommonTlsContext.Builder common) {
    CertificateValidationContext.Builder checks = CertificateValidationContext.newBuilder();
    for (String san : tls.subjectAltNames()) {
      checks.addMatchTypedSubjectAltNames(
          SubjectAltNameMatcher.newBuilder()
              .setSanType(sanType(san))
              .setMatcher(StringMatcher.newBuilder().setExact(san)));
    }
    checks.addAllVerifyCertificateSpki(tls.verifyCertificateSpki());
    checks.addAllVerifyCertificateHash(tls.verifyCertificateHash());
    if (trust instanceof DownstreamTls.TrustSource.File file) {
      checks.setTrustedCa(file(file.path()));
      common.setValidationContext(checks);
    } else if (trust instanceof DownstreamTls.TrustSource.Sds sds) {
      if (checks.build().equals(CertificateValidationContext.getDefaultInstance())) {
        common.setValidationContextSdsSecretConfig(sds(sds.secret()));
      } else {
        // The CA comes over SDS, the SAN and pin checks are this server's own: Envoy merges the
        // two (combined validation context), as Istio does.
        common.setCombinedValidationContext(
            CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                .setDefaultValidationContext(checks)
                .setValidationContextSdsSecretConfig(sds(sds.secret())));
      }
    }
  }

  /**
   * Istio's SANs are plain strings; the certificate field they are meant for follows from their
   * form: {@code spiffe://...} and other URIs, IP addresses, e-mail addresses, else DNS names.
   */
  static SubjectAltNameMatcher.SanType sanType(String san) {
    if (san.contains("://")) {
      return SubjectAltNameMatcher.SanType.URI;
    }
    if (san.contains("@")) {
      return SubjectAltNameMatcher.SanType.EMAIL;
    }
    if (san.matches("[0-9.]+") || san.contains(":")) {
      return SubjectAltNameMatcher.SanType.IP_ADDRESS;
    }
    return SubjectAltNameMatcher.SanType.DNS;
  }

  private static TlsParameters parameters(DownstreamTls tls) {
    TlsParameters.Builder params = TlsParameters.newBuilder();
    if (tls.minVersion() != DownstreamTls.TlsVersion.AUTO) {
      params.setTlsMinimumProtocolVersion(version(tls.minVersion()));
    }
    if (tls.maxVersion() != DownstreamTls.TlsVersion.AUTO) {
      params.setTlsMaximumProtocolVersion(version(tls.maxVersion()));
    }
    params.addAllCipherSuites(tls.cipherSuites());
    return params.build();
  }

  private static TlsParameters.TlsProtocol version(DownstreamTls.TlsVersion version) {
    return switch (version) {
      case AUTO -> TlsParameters.TlsProtocol.TLS_AUTO;
      case TLS_1_0 -> TlsParameters.TlsProtocol.TLSv1_0;
      case TLS_1_1 -> TlsParameters.TlsProtocol.TLSv1_1;
      case TLS_1_2 -> TlsParameters.TlsProtocol.TLSv1_2;
      case TLS_1_3 -> TlsParameters.TlsProtocol.TLSv1_3;
    };
  }

  private static SdsSecretConfig sds(SdsSecret secret) {
    return SdsSecretConfig.newBuilder()
        .setName(secret.name())
        .setSdsConfig(ProtoValues.ads())
        .build();
  }

  private static DataSource file(String path) {
    return DataSource.newBuilder().setFilename(path).build();
  }
}
