package dev.outpost.server.ca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key generation and signing with the JDK's own providers (SunEC, SunRsaSign) and BouncyCastle's
 * certificate builder; BouncyCastle is never registered as a JCA provider.
 */
final class Certificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /** An ECDSA P-256 key pair, as Istio's workload certificates use. */
  static KeyPair p256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate EC P-256 keys", e);
    }
  }

  /** A positive 127-bit random serial: unique without state shared between replicas. */
  static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws CaException {
    try {
      X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder(SigningCa.signatureAlgorithm(signer)).build(signer));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException | java.security.cert.CertificateException e) {
      throw new CaException("cannot sign a certificate with the CA key: " + e.getMessage(), e);
    }
  }

  static JcaX509ExtensionUtils extensionUtils() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 (for key identifiers) is not available", e);
    }
  }

  static org.bouncycastle.asn1.x509.SubjectKeyIdentifier subjectKeyId(PublicKey key) {
    return extensionUtils().createSubjectKeyIdentifier(key);
  }
}
