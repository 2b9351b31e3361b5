package dev.outpost.translator.emit;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.outpost.translator.ir.DownstreamTls;
import dev.outpost.translator.ir.TrustSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;

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
    TlsValues.certificate(common, tls.certificate());
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
      DownstreamTls tls, TrustSource trust, CommonTlsContext.Builder common) {
    CertificateValidationContext.Builder checks = CertificateValidationContext.newBuilder();
    tls.subjectAltNames()
        .forEach(san -> checks.addMatchTypedSubjectAltNames(TlsValues.sanMatcher(san)));
    checks.addAllVerifyCertificateSpki(tls.verifyCertificateSpki());
    checks.addAllVerifyCertificateHash(tls.verifyCertificateHash());
    TlsValues.validation(common, trust, checks);
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
}
