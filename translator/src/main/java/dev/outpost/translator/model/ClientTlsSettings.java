package dev.outpost.translator.model;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/**
 * {@code trafficPolicy.tls}: TLS that the proxy originates towards the upstream. Parsed fully; the
 * translator decides what it supports.
 *
 * @param mode Istio's default when unset: DISABLE
 * @param credentialName Secret holding client cert/key and/or CA (same namespace as the proxy)
 * @param sni SNI sent upstream
 * @param insecureSkipVerify skip verifying the server certificate
 */
public record ClientTlsSettings(
    Mode mode,
    Optional<String> clientCertificate,
    Optional<String> privateKey,
    Optional<String> caCertificates,
    Optional<String> credentialName,
    ImmutableList<String> subjectAltNames,
    Optional<String> sni,
    Optional<Boolean> insecureSkipVerify) {

  /** {@code tls.mode}. */
  public enum Mode {
    DISABLE,
    SIMPLE,
    MUTUAL,
    ISTIO_MUTUAL
  }
}
