package dev.outpost.server.ca;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * A root (RSA, like Istio's sample CA) and an intermediate (EC) written in Istio's cacerts layout,
 * the way an operator plugs in a CA.
 */
final class TestHierarchy {
  final X509Certificate root;
  final PrivateKey rootKey;
  final X509Certificate intermediate;
  final PrivateKey intermediateKey;

  TestHierarchy(Instant now) throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rootKeys = rsa.generateKeyPair();
    X500Name rootName = new X500Name("O=Example Corp, CN=Example Root CA");
    root = ca(rootName, rootName, rootKeys.getPublic(), rootKeys.getPrivate(), now, Duration.ofDays(3650));
    rootKey = rootKeys.getPrivate();
    KeyPair intermediateKeys = Certificates.p256();
    intermediate =
        ca(new X500Name("O=Example Corp, CN=Example Mesh Intermediate"), rootName, intermediateKeys.getPublic(), rootKey, now, Duration.ofDays(365));
    intermediateKey = intermediateKeys.getPrivate();
  }

  static X509Certificate ca(
      X500Name subject, X500Name issuer, java.security.PublicKey key, PrivateKey signer, Instant now, Duration validity) throws Exception {
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(issuer, Certificates.serial(), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return Certificates.sign(builder, signer);
  }

  /** ca-cert.pem = intermediate, cert-chain.pem = intermediate + root, root-cert.pem = root. */
  Path writeCacerts(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(CacertsLayout.CA_CERT), Pem.encode(List.of(intermediate)));
    Files.writeString(dir.resolve(CacertsLayout.CA_KEY), Pem.encode(intermediateKey));
    Files.writeString(dir.resolve(CacertsLayout.CERT_CHAIN), Pem.encode(List.of(intermediate, root)));
    Files.writeString(dir.resolve(CacertsLayout.ROOT_CERT), Pem.encode(List.of(root)));
    return dir;
  }
}
