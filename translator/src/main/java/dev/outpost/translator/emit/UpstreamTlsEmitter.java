package dev.outpost.translator.emit;

import com.google.protobuf.Any;
import dev.outpost.translator.ir.UpstreamTls;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
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
    tls.clientCertificate().ifPresent(c -> TlsValues.certificate(common, c));
    CertificateValidationContext.Builder names = CertificateValidationContext.newBuilder();
    tls.subjectAltNames()
        .forEach(san -> names.addMatchTypedSubjectAltNames(TlsValues.sanMatcher(san)));
    tls.trust().ifPresent(trust -> TlsValues.validation(common, trust, names));
    // No trust anchor: insecureSkipVerify, no validation context at all (as Istio).
    UpstreamTlsContext.Builder context = UpstreamTlsContext.newBuilder().setCommonTlsContext(common);
    tls.sni().ifPresent(context::setSni);
    return TransportSocket.newBuilder()
        .setName(TRANSPORT_SOCKET)
        .setTypedConfig(Any.pack(context.build()))
        .build();
  }

  /**
   * With an automatic SNI (wildcard destination host, or a client proxy's mesh mTLS to a gateway),
   * Envoy sends each request's Host as SNI and, when the server is verified without explicit SANs,
   * checks the certificate against that name, as Istio configures it. Not for mesh mTLS: the
   * gateway's mesh certificate names its SPIFFE identity, not the host, and the mesh CA alone
   * vouches for it.
   */
  public Optional<UpstreamHttpProtocolOptions> upstreamHttpProtocolOptions(UpstreamTls tls) {
    if (!tls.automaticSni()) {
      return Optional.empty();
    }
    return Optional.of(
        UpstreamHttpProtocolOptions.newBuilder()
            .setAutoSni(true)
            .setAutoSanValidation(
                tls.trust().isPresent() && tls.subjectAltNames().isEmpty() && !tls.meshIdentity())
            .build());
  }
}
