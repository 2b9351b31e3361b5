package dev.outpost.translator.build;

import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Whether a private key belongs to a certificate's public key, by arithmetic rather than a trial
 * signature (which would need randomness): RSA moduli compare, an EC key's public point is
 * recomputed from the private scalar. Envoy takes RSA and ECDSA keys; anything else is reported.
 */
final class KeyMatch {
  private KeyMatch() {}

  static boolean matches(PrivateKeyInfo privateKey, SubjectPublicKeyInfo publicKey, String what)
      throws InvalidCredentialException {
    AsymmetricKeyParameter priv;
    AsymmetricKeyParameter pub;
    try {
      priv = PrivateKeyFactory.createKey(privateKey);
      pub = PublicKeyFactory.createKey(publicKey);
    } catch (IOException | RuntimeException e) {
      throw new InvalidCredentialException(
          what + " uses a key algorithm Envoy does not support; use an RSA or ECDSA (P-256, P-384, P-521) key");
    }
    if (priv instanceof RSAPrivateCrtKeyParameters rsaPriv && pub instanceof RSAKeyParameters rsaPub) {
      return rsaPriv.getModulus().equals(rsaPub.getModulus())
          && rsaPriv.getPublicExponent().equals(rsaPub.getExponent());
    }
    if (priv instanceof ECPrivateKeyParameters ecPriv && pub instanceof ECPublicKeyParameters ecPub) {
      if (!ecPriv.getParameters().getCurve().equals(ecPub.getParameters().getCurve())) {
        return false;
      }
      BigInteger d = ecPriv.getD();
      ECPoint derived =
          new FixedPointCombMultiplier().multiply(ecPriv.getParameters().getG(), d).normalize();
      return derived.equals(ecPub.getQ().normalize());
    }
    if ((priv instanceof RSAKeyParameters || priv instanceof ECPrivateKeyParameters)
        && (pub instanceof RSAKeyParameters || pub instanceof ECPublicKeyParameters)) {
      return false; // an RSA key with an EC certificate or the other way round
    }
    throw new InvalidCredentialException(
        what + " uses a key algorithm Envoy does not support; use an RSA or ECDSA (P-256, P-384, P-521) key");
  }
}
