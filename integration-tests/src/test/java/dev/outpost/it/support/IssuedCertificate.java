package dev.outpost.it.support;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate with its private key and the chain above it (issuer first, root excluded unless
 * it is the issuer), as a test hands it to a server, a client or a Secret manifest. {@link
 * #toString()} never shows the key.
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> issuers) {

  public IssuedCertificate {
    issuers = List.copyOf(issuers);
  }

  /** The leaf followed by its issuers: what {@code tls.crt} and a TLS server present. */
  public List<X509Certificate> chain() {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    chain.addAll(issuers);
    return List.copyOf(chain);
  }

  public String chainPem() {
    return Pem.encode(chain());
  }

  public String privateKeyPem() {
    return Pem.encode(privateKey);
  }

  /** Serial number in lower-case hex, as the test servers report it. */
  public String serialHex() {
    return certificate.getSerialNumber().toString(16);
  }

  public String subject() {
    return certificate.getSubjectX500Principal().getName();
  }

  @Override
  public String toString() {
    return "IssuedCertificate[" + subject() + ", serial " + serialHex() + ", key redacted]";
  }
}
