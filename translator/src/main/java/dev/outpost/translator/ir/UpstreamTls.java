package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS that the gateway originates towards an upstream cluster (DestinationRule {@code tls} modes
 * SIMPLE, MUTUAL and ISTIO_MUTUAL), independent of Envoy's protos.
 *
 * @param sni the server name sent; empty only for a wildcard destination host, where Envoy takes
 *     it from each request's Host header (auto SNI, as Istio does when no {@code sni} is set)
 * @param alpn protocols offered in the handshake, in order (empty: no ALPN)
 * @param clientCertificate the certificate the gateway presents (MUTUAL, ISTIO_MUTUAL)
 * @param trust what the server certificate is verified against; empty only when the user asked
 *     for {@code insecureSkipVerify} (the server is then not verified, and a warning says so)
 * @param subjectAltNames the server certificate must carry one of these SANs (exact match; DNS
 *     names match wildcard certificates); empty means the chain alone is checked, or, with an
 *     automatic SNI, the name taken from the request
 */
public record UpstreamTls(
    Optional<String> sni,
    ImmutableList<String> alpn,
    Optional<CertificateSource> clientCertificate,
    Optional<TrustSource> trust,
    ImmutableList<String> subjectAltNames) {

  /**
   * The system trust store, for SIMPLE origination without a CA of its own: the Debian/Ubuntu
   * bundle path, present in the {@code envoyproxy/envoy} images Outpost's gateways run. Envoy's
   * {@code system_root_certs} is not implemented, so the file is named explicitly.
   */
  public static final String SYSTEM_TRUST_STORE = "/etc/ssl/certs/ca-certificates.crt";

  public UpstreamTls {
    Objects.requireNonNull(sni, "sni");
    Objects.requireNonNull(alpn, "alpn");
    Objects.requireNonNull(clientCertificate, "clientCertificate");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(subjectAltNames, "subjectAltNames");
  }

  /**
   * Mesh mTLS (ISTIO_MUTUAL): the proxy presents its own mesh certificate, and the peer's
   * certificate carries a SPIFFE URI, never the host name a request names.
   */
  public boolean meshIdentity() {
    return clientCertificate
        .filter(c -> c instanceof CertificateSource.Sds sds && sds.secret().kind() == SdsSecret.Kind.MESH)
        .isPresent();
  }

  /** Envoy derives the SNI from each request and verifies the certificate against it. */
  public boolean automaticSni() {
    return sni.isEmpty();
  }

  /** The SDS secrets this context references, for the proxy's snapshot. */
  public ImmutableList<SdsSecret> secrets() {
    ImmutableList.Builder<SdsSecret> out = ImmutableList.builder();
    clientCertificate.flatMap(CertificateSource::sdsSecret).ifPresent(out::add);
    trust.flatMap(TrustSource::sdsSecret).ifPresent(out::add);
    return out.build();
  }
}
