package dev.outpost.server.ca;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outpost's mesh CA: signs SPIFFE workload certificates with the CA a {@link CaStore} holds.
 *
 * <p>A workload certificate is shaped like Istio's: an empty subject with the SPIFFE ID as the only,
 * critical, URI SAN; ECDSA P-256; server and client auth; not a CA.
 */
public final class MeshCa {
  private static final Logger LOG = LoggerFactory.getLogger(MeshCa.class);
  // A proxy whose clock is slightly behind ours must not see a fresh certificate as not yet valid.
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private final SigningCa ca;
  private final String trustDomain;
  private final String location;

  public MeshCa(SigningCa ca, String trustDomain, String location) {
    this.ca = Objects.requireNonNull(ca, "ca");
    this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
    this.location = Objects.requireNonNull(location, "location");
    new SpiffeId(trustDomain, "ns", "sa"); // validates the trust domain
  }

  /** Loads (or, for the self-signed store, first creates) the CA. */
  public static MeshCa load(CaStore store, String trustDomain, Instant now) throws CaException {
    return new MeshCa(store.load(now), trustDomain, store.location());
  }

  public String trustDomain() {
    return trustDomain;
  }

  /** Where the CA lives (the directory), for logs. */
  public String location() {
    return location;
  }

  public SigningCa signingCa() {
    return ca;
  }

  /** {@code root-cert.pem}: what peers verify mesh certificates with. */
  public String trustBundlePem() {
    return Pem.encode(ca.roots());
  }

  public SpiffeId spiffeId(String namespace, String serviceAccount) {
    return new SpiffeId(trustDomain, namespace, serviceAccount);
  }

  /**
   * A new key and certificate for {@code id}, valid for {@code ttl} from {@code now} but never
   * beyond the signing CA's own expiry.
   */
  public WorkloadCertificate issue(SpiffeId id, Duration ttl, Instant now) throws CaException {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("certificate TTL must be positive, got " + ttl);
    }
    Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS); // X.509 times have whole seconds
    X509Certificate signer = ca.certificate();
    // The signing certificate, or an intermediate or the root above it, whichever expires first.
    Instant caExpiry = ca.validUntil();
    if (!issuedAt.isBefore(caExpiry)) {
      throw new CaException(
          "the mesh CA in " + location + " expired at " + caExpiry + " (its signing certificate, chain or root);"
              + " plug in a renewed CA (no workload certificate can be issued)");
    }
    Instant notAfter = issuedAt.plus(ttl);
    if (notAfter.isAfter(caExpiry)) {
      LOG.warn("mesh CA in {} expires at {}, before the requested lifetime of the certificate for {} ends;"
          + " the certificate ends with the CA. Renew the CA", location, caExpiry, id);
      notAfter = caExpiry;
    }
    KeyPair keys = Certificates.p256();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            signer,
            Certificates.serial(),
            Date.from(issuedAt.minus(CLOCK_SKEW)),
            Date.from(notAfter),
            new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
            keys.getPublic());
    try {
      // With an empty subject the SAN carries the identity and must be critical (RFC 5280 4.2.1.6).
      builder.addExtension(
          Extension.subjectAlternativeName, true, new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, id.uri())));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, Certificates.extensionUtils().createAuthorityKeyIdentifier(signer));
      builder.addExtension(Extension.subjectKeyIdentifier, false, Certificates.subjectKeyId(keys.getPublic()));
    } catch (CertIOException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("cannot build workload certificate extensions", e);
    }
    X509Certificate certificate = Certificates.sign(builder, ca.key());
    return new WorkloadCertificate(id, certificate, keys.getPrivate(), ca.chain(), issuedAt);
  }
}
