package dev.outpost.server.ca;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * The mesh root Outpost creates when no CA is plugged in: ECDSA P-256, ten years (as Istio's
 * self-signed root), {@code O=<trust domain>}, and it signs workload certificates directly.
 */
final class SelfSignedRoot {
  static final Duration VALIDITY = Duration.ofDays(3650);
  // Proxies whose clock is a little behind must not see the root as not yet valid.
  private static final Duration BACKDATE = Duration.ofHours(1);

  record Generated(X509Certificate certificate, PrivateKey key) {
    @Override
    public String toString() {
      return "Generated[" + certificate.getSubjectX500Principal().getName() + ", key=<redacted>]";
    }
  }

  private SelfSignedRoot() {}

  static Generated generate(String trustDomain, Instant now) throws CaException {
    KeyPair keys = Certificates.p256();
    var subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, trustDomain)
        .addRDN(BCStyle.CN, "Outpost mesh root CA")
        .build();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            Certificates.serial(),
            Date.from(now.minus(BACKDATE)),
            Date.from(now.plus(VALIDITY)),
            subject,
            keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      builder.addExtension(Extension.subjectKeyIdentifier, false, Certificates.subjectKeyId(keys.getPublic()));
    } catch (org.bouncycastle.cert.CertIOException e) {
      throw new IllegalStateException("cannot build the root's extensions", e);
    }
    return new Generated(Certificates.sign(builder, keys.getPrivate()), keys.getPrivate());
  }
}
