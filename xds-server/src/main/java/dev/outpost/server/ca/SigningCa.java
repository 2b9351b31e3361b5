package dev.outpost.server.ca;

import com.google.common.collect.ImmutableList;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the mesh CA signs with, in the shape of Istio's {@code cacerts}: the signing certificate and
 * its key ({@code ca-cert.pem}, {@code ca-key.pem}), the chain served after every leaf ({@code
 * cert-chain.pem}: the signing certificate up to the root) and the trust bundle ({@code
 * root-cert.pem}). Only built through {@link #verified}, so a SigningCa is always consistent.
 * {@link #toString()} never shows the key.
 */
public final class SigningCa {
  private final X509Certificate certificate;
  private final PrivateKey key;
  private final ImmutableList<X509Certificate> chain;
  private final ImmutableList<X509Certificate> roots;
  private final Instant validUntil;

  private SigningCa(
      X509Certificate certificate,
      PrivateKey key,
      ImmutableList<X509Certificate> chain,
      ImmutableList<X509Certificate> roots,
      Instant validUntil) {
    this.certificate = certificate;
    this.key = key;
    this.chain = chain;
    this.roots = roots;
    this.validUntil = validUntil;
  }

  /**
   * Checks what Istio checks of a plugged-in CA, and a little more: the key belongs to the signing
   * certificate, the signing certificate is a CA valid at {@code now}, the chain starts with it,
   * and it verifies to one of the roots through the chain.
   *
   * @param chain the certificates served after each leaf, the signing certificate first; empty
   *     means the signing certificate alone
   * @param where describes the source in error messages, e.g. the directory
   */
  public static SigningCa verified(
      X509Certificate certificate, PrivateKey key, List<X509Certificate> chain, List<X509Certificate> roots, Instant now, String where)
      throws CaException {
    if (roots.isEmpty()) {
      throw new CaException(where + ": " + CacertsLayout.ROOT_CERT + " holds no certificate");
    }
    if (!keyMatches(key, certificate.getPublicKey())) {
      throw new CaException(
          where + ": " + CacertsLayout.CA_KEY + " does not belong to " + CacertsLayout.CA_CERT
              + " (the key's signature does not verify with the certificate's public key); plug in the"
              + " key that was generated with this certificate");
    }
    if (certificate.getBasicConstraints() < 0) {
      throw new CaException(
          where + ": " + CacertsLayout.CA_CERT + " (" + certificate.getSubjectX500Principal().getName()
              + ") is not a CA certificate (basicConstraints CA:TRUE is missing); it cannot sign workload certificates");
    }
    boolean[] usage = certificate.getKeyUsage();
    if (usage != null && !usage[5]) {
      throw new CaException(
          where + ": " + CacertsLayout.CA_CERT + " does not allow certificate signing (keyUsage keyCertSign is missing)");
    }
    if (now.isAfter(certificate.getNotAfter().toInstant()) || now.isBefore(certificate.getNotBefore().toInstant())) {
      throw new CaException(
          where + ": " + CacertsLayout.CA_CERT + " is valid from " + certificate.getNotBefore().toInstant()
              + " to " + certificate.getNotAfter().toInstant() + ", not now (" + now + "); plug in a current CA");
    }
    ImmutableList<X509Certificate> served = chain.isEmpty() ? ImmutableList.of(certificate) : ImmutableList.copyOf(chain);
    if (!served.get(0).equals(certificate)) {
      throw new CaException(
          where + ": " + CacertsLayout.CERT_CHAIN + " must start with " + CacertsLayout.CA_CERT
              + " and go up to the root, as in Istio (cat ca-cert.pem root-cert.pem > cert-chain.pem);"
              + " its first certificate is " + served.get(0).getSubjectX500Principal().getName());
    }
    X509Certificate root = verifyPath(certificate, served, roots, now, where);
    // A peer verifies the whole path: it stops working when its first certificate expires, which
    // may be the root or an intermediate rather than the signing certificate.
    Instant validUntil = certificate.getNotAfter().toInstant();
    for (X509Certificate c : ImmutableList.<X509Certificate>builder().addAll(served).add(root).build()) {
      Instant end = c.getNotAfter().toInstant();
      validUntil = end.isBefore(validUntil) ? end : validUntil;
    }
    return new SigningCa(certificate, key, served, ImmutableList.copyOf(roots), validUntil);
  }

  // A trial signature works for every key type and proves possession, where comparing public
  // keys would need per-algorithm arithmetic.
  private static boolean keyMatches(PrivateKey key, PublicKey publicKey) throws CaException {
    String algorithm = signatureAlgorithm(key);
    byte[] probe = new byte[32];
    new SecureRandom().nextBytes(probe);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. an RSA key with an EC certificate
    }
  }

  /** Returns the root the signing certificate verifies to. */
  private static X509Certificate verifyPath(
      X509Certificate certificate, List<X509Certificate> chain, List<X509Certificate> roots, Instant now, String where)
      throws CaException {
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate root : roots) {
      anchors.add(new TrustAnchor(root, null));
    }
    if (roots.contains(certificate)) {
      return certificate; // the root signs directly
    }
    // The path runs from the signing certificate up to (not including) a root; the chain file may
    // or may not end with the root itself.
    List<X509Certificate> path = chain.stream().filter(c -> !roots.contains(c)).toList();
    try {
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      PKIXCertPathValidatorResult result =
          (PKIXCertPathValidatorResult)
              CertPathValidator.getInstance("PKIX")
                  .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
      return result.getTrustAnchor().getTrustedCert();
    } catch (CertPathValidatorException e) {
      throw new CaException(
          where + ": " + CacertsLayout.CA_CERT + " does not verify to " + CacertsLayout.ROOT_CERT + " through "
              + CacertsLayout.CERT_CHAIN + ": " + e.getMessage()
              + "; the four files must come from one CA hierarchy");
    } catch (GeneralSecurityException e) {
      throw new CaException(where + ": cannot verify the CA chain: " + e.getMessage(), e);
    }
  }

  static String signatureAlgorithm(PrivateKey key) throws CaException {
    return switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> throw new CaException(
          "the CA key is a " + key.getAlgorithm() + " key; the mesh CA signs with RSA or ECDSA keys");
    };
  }

  public X509Certificate certificate() {
    return certificate;
  }

  PrivateKey key() {
    return key;
  }

  /** Served after each leaf: the signing certificate up to the root. */
  public ImmutableList<X509Certificate> chain() {
    return chain;
  }

  /**
   * When the CA stops being usable: the earliest expiry of the signing certificate, the chain
   * served after each leaf and the root it verifies to. No workload certificate outlives it.
   */
  public Instant validUntil() {
    return validUntil;
  }

  /** The trust bundle ({@code ROOTCA}). */
  public ImmutableList<X509Certificate> roots() {
    return roots;
  }

  @Override
  public String toString() {
    return "SigningCa[" + certificate.getSubjectX500Principal().getName() + ", key=<redacted>, chain=" + chain.size()
        + ", roots=" + roots.size() + "]";
  }
}
