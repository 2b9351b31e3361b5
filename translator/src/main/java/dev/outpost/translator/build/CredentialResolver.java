package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.SdsSecret;
import dev.outpost.translator.model.KubeSecret;
import java.time.Instant;
import java.util.Optional;

/**
 * Resolves {@code credentialName} references of one proxy against the Secrets of the proxy's own
 * namespace (Istio's rule), and checks what it finds: PEM parses, the key matches the leaf
 * certificate, the chain is in order, the certificates are not expired at {@code now} (expiring
 * within 7 days: warning). A reference that cannot be used yields empty and an error diagnostic
 * naming the referencing resource and field, the secret and the namespace searched: the caller
 * then drops the server or cluster that needed it (fail closed: never reference a secret that
 * would not arrive).
 *
 * <p>Names follow Istio: the key pair is SDS {@code kubernetes://NAME}; the CA is {@code
 * kubernetes://NAME-cacert}, taken from Secret {@code NAME-cacert} if it exists, else from key
 * {@code ca.crt} / {@code cacert} of {@code NAME}. Key pair keys: {@code tls.crt}/{@code tls.key}
 * or {@code cert}/{@code key}.
 */
final class CredentialResolver {
  private final ImmutableList<KubeSecret> secrets;
  private final String proxyNamespace;
  private final Instant now;
  private final DiagnosticSink diagnostics;

  CredentialResolver(
      ImmutableList<KubeSecret> secrets,
      String proxyNamespace,
      Instant now,
      DiagnosticSink diagnostics) {
    this.secrets = secrets;
    this.proxyNamespace = proxyNamespace;
    this.now = now;
    this.diagnostics = diagnostics;
  }

  /**
   * The certificate chain and key of Secret {@code credentialName}, as SDS {@code
   * kubernetes://NAME}; empty (and an error on {@code subject}/{@code field}) if the Secret is
   * missing, has no usable key pair, or is expired.
   */
  Optional<SdsSecret> keyPair(String subject, String field, String credentialName) {
    throw new UnsupportedOperationException("being implemented");
  }

  /**
   * The CA certificates for {@code credentialName}, as SDS {@code kubernetes://NAME-cacert}; empty
   * (and an error) if neither Secret {@code NAME-cacert} nor a CA key of {@code NAME} holds a
   * usable CA.
   */
  Optional<SdsSecret> trustedCa(String subject, String field, String credentialName) {
    throw new UnsupportedOperationException("being implemented");
  }

  /** Outcome of an optional CA lookup: a usable CA, none at all, or one that is there but unusable. */
  record OptionalCa(Optional<SdsSecret> ca, boolean unusable) {}

  /**
   * Like {@link #trustedCa} but for SIMPLE origination, where a CA is optional: {@code ca} empty
   * and not {@code unusable}, without a diagnostic, when the Secrets hold no CA at all (the caller
   * then verifies against the system trust store); {@code unusable} with an error when a CA is
   * there but cannot be used (the caller fails closed). A missing Secret {@code NAME} itself is an
   * error and {@code unusable}.
   */
  OptionalCa optionalTrustedCa(String subject, String field, String credentialName) {
    throw new UnsupportedOperationException("being implemented");
  }
}
