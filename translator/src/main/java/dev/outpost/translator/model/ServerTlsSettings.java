package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/**
 * {@code servers[].tls} of a Gateway. File paths and credentialName are references only; the
 * translator resolves credentialName against Secrets.
 *
 * @param httpsRedirect on a plaintext HTTP server: answer every request with a 301 to https
 * @param mode TLS mode (Istio's default when unset: PASSTHROUGH)
 */
public record ServerTlsSettings(
    boolean httpsRedirect,
    Mode mode,
    Optional<String> serverCertificate,
    Optional<String> privateKey,
    Optional<String> caCertificates,
    Optional<String> credentialName,
    ImmutableList<String> subjectAltNames,
    ImmutableList<String> verifyCertificateSpki,
    ImmutableList<String> verifyCertificateHash,
    TlsProtocolVersion minProtocolVersion,
    TlsProtocolVersion maxProtocolVersion,
    ImmutableList<String> cipherSuites) {

  /** {@code tls.mode}. */
  public enum Mode {
    PASSTHROUGH,
    SIMPLE,
    MUTUAL,
    AUTO_PASSTHROUGH,
    ISTIO_MUTUAL,
    OPTIONAL_MUTUAL
  }

  /** {@code tls.minProtocolVersion} / {@code maxProtocolVersion}; TLS_AUTO when unset. */
  public enum TlsProtocolVersion {
    TLS_AUTO,
    TLSV1_0,
    TLSV1_1,
    TLSV1_2,
    TLSV1_3
  }
}
