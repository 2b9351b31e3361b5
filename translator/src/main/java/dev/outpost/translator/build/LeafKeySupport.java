package dev.outpost.translator.build;

import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * The certificates Envoy will load as its own (the leaf of a server or client certificate): RSA
 * keys of 2048 bits or more, or ECDSA on P-256, P-384 or P-521. Envoy rejects any other leaf when
 * the Secret arrives, and a listener or cluster that waits for a rejected Secret waits forever
 * (for a listener: every server on its port). So such a credential is unusable here, before it is
 * sent, and the server or cluster that needs it fails closed with a reason.
 */
final class LeafKeySupport {
  static final int MIN_RSA_BITS = 2048;

  private static final ImmutableSet<ASN1ObjectIdentifier> CURVES =
      ImmutableSet.of(
          X9ObjectIdentifiers.prime256v1,
          SECObjectIdentifiers.secp384r1,
          SECObjectIdentifiers.secp521r1);

  private LeafKeySupport() {}

  static void requireSupported(X509CertificateHolder leaf, String what)
      throws InvalidCredentialException {
    SubjectPublicKeyInfo key = leaf.getSubjectPublicKeyInfo();
    AlgorithmIdentifier algorithm = key.getAlgorithm();
    if (algorithm.getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
      int bits = rsaBits(key, what);
      if (bits < MIN_RSA_BITS) {
        throw new InvalidCredentialException(
            "the certificate in "
                + what
                + " has a "
                + bits
                + "-bit RSA key, and Envoy loads only RSA keys of "
                + MIN_RSA_BITS
                + " bits or more; issue it with a larger key (or an ECDSA P-256 key)");
      }
      return;
    }
    if (algorithm.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier curve)
          || !CURVES.contains(curve)) {
        throw new InvalidCredentialException(
            "the certificate in "
                + what
                + " has an ECDSA key on a curve Envoy does not load; use P-256, P-384 or P-521");
      }
      return;
    }
    throw new InvalidCredentialException(
        "the certificate in "
            + what
            + " has a key type Envoy does not load; use an RSA (2048 bits or more) or ECDSA"
            + " (P-256, P-384, P-521) key");
  }

  private static int rsaBits(SubjectPublicKeyInfo key, String what)
      throws InvalidCredentialException {
    try {
      return ((RSAKeyParameters) PublicKeyFactory.createKey(key)).getModulus().bitLength();
    } catch (IOException | RuntimeException e) {
      throw new InvalidCredentialException(
          "the certificate in " + what + " has an unreadable RSA key");
    }
  }
}
