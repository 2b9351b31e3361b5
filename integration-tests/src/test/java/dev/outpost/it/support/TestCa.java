package dev.outpost.it.support;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time: a self-signed EC P-256 root that issues server and
 * client certificates for the TLS tests' upstreams, clients and Secret manifests. Certificates are
 * valid from an hour ago for 90 days, so that the translator's expiry checks (error when expired,
 * warning within 7 days) see them as plainly valid on the real clock. Every certificate gets a
 * fresh random serial, which the test servers report, so a test can tell two certificates with the
 * same subject apart (rotation).
 *
 * <p>Uses the JDK's providers (SunEC) for keys and signatures; Bouncy Castle only builds the
 * certificate structures, so no provider is registered globally.
 */
public final class TestCa {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration VALIDITY = Duration.ofDays(90);

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private TestCa(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /** A new root with subject {@code CN=commonName}. */
  public static TestCa create(String commonName) {
    KeyPair keys = newKeyPair();
    X500Name subject = new X500Name("CN=" + commonName);
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          validFromNow(subject, subject, keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new TestCa(sign(builder, keys.getPrivate()), keys.getPrivate());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot create test CA", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return Pem.encode(certificate);
  }

  /**
   * A server certificate for {@code dnsNames} (the first is also the CN); a name that is an IPv4
   * literal becomes an IP SAN. Usable as a client certificate too (both extended key usages), as
   * mesh certificates are.
   */
  public IssuedCertificate issueServer(String... dnsNames) {
    if (dnsNames.length == 0) {
      throw new IllegalArgumentException("a server certificate needs at least one name");
    }
    List<GeneralName> names = new ArrayList<>();
    for (String name : dnsNames) {
      names.add(name.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")
          ? new GeneralName(GeneralName.iPAddress, name)
          : new GeneralName(GeneralName.dNSName, name));
    }
    return issue(dnsNames[0], names, KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
  }

  /** A client certificate with subject {@code CN=commonName} and no SANs. */
  public IssuedCertificate issueClient(String commonName) {
    return issue(commonName, List.of(), KeyPurposeId.id_kp_clientAuth);
  }

  private IssuedCertificate issue(String commonName, List<GeneralName> subjectAltNames, KeyPurposeId... purposes) {
    KeyPair keys = newKeyPair();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          signedBy(certificate, new X500Name("CN=" + commonName), keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
              .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
      if (!subjectAltNames.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName, false, new GeneralNames(subjectAltNames.toArray(GeneralName[]::new)));
      }
      return new IssuedCertificate(sign(builder, privateKey), keys.getPrivate(), List.of(certificate));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot issue test certificate for " + commonName, e);
    }
  }

  private static X509v3CertificateBuilder validFromNow(X500Name issuer, X500Name subject, PublicKey key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer, newSerial(), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, key);
  }

  /** Issuer name copied from the issuer's certificate byte for byte, so chains always link. */
  private static X509v3CertificateBuilder signedBy(X509Certificate issuer, X500Name subject, PublicKey key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        newSerial(),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(VALIDITY)),
        new X500Principal(subject.toString()),
        key);
  }

  /** Positive, 63 bits: unique enough for a test run, and what Envoy and the JDK accept. */
  private static BigInteger newSerial() {
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "TestCa[" + certificate.getSubjectX500Principal().getName() + ", key redacted]";
  }
}
