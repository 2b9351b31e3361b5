package dev.outpost.server.ca;

import com.google.common.collect.ImmutableList;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A workload certificate the mesh CA issued, with its key and the chain served after it. Renewed
 * at half of its lifetime, counted from when it was issued, as Istio's agent does. {@link
 * #toString()} never shows the key.
 */
public final class WorkloadCertificate {
  private final SpiffeId id;
  private final X509Certificate certificate;
  private final PrivateKey key;
  private final ImmutableList<X509Certificate> chain;
  private final Instant issuedAt;

  WorkloadCertificate(SpiffeId id, X509Certificate certificate, PrivateKey key, ImmutableList<X509Certificate> chain, Instant issuedAt) {
    this.id = id;
    this.certificate = certificate;
    this.key = key;
    this.chain = chain;
    this.issuedAt = issuedAt;
  }

  public SpiffeId id() {
    return id;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The leaf and then the CA chain up to the root: what a TLS peer is sent. */
  public ImmutableList<X509Certificate> fullChain() {
    return ImmutableList.<X509Certificate>builder().add(certificate).addAll(chain).build();
  }

  public String fullChainPem() {
    return Pem.encode(fullChain());
  }

  /** PKCS#8 PEM. Goes into SDS and {@code ca issue}'s key.pem only, never into logs. */
  public String keyPem() {
    return Pem.encode(key);
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /** Half-way from issue to expiry: from then on a new certificate is issued. */
  public Instant renewAt() {
    return issuedAt.plus(java.time.Duration.between(issuedAt, notAfter()).dividedBy(2));
  }

  @Override
  public String toString() {
    return "WorkloadCertificate[" + id + ", serial " + certificate.getSerialNumber().toString(16) + ", valid until "
        + notAfter() + ", key=<redacted>]";
  }
}
