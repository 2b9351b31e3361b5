package dev.outpost.server.ca;

import com.google.common.collect.ImmutableList;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM in and out. Reads certificates and unencrypted private keys in the forms Istio's {@code
 * cacerts} files come in (PKCS#8, PKCS#1 RSA, SEC1 EC); writes certificates and PKCS#8 keys. Error
 * messages describe the content's shape, never the content.
 */
final class Pem {
  private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

  private Pem() {}

  /** Every certificate in {@code pem}, in file order; at least one. */
  static ImmutableList<X509Certificate> certificates(byte[] pem, String what) throws CaException {
    if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
      throw new CaException(what + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    }
    try {
      ImmutableList.Builder<X509Certificate> out = ImmutableList.builder();
      for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) certificate);
      }
      return out.build();
    } catch (CertificateException | RuntimeException e) {
      throw new CaException(what + " is not a valid PEM certificate file (a certificate could not be decoded)");
    }
  }

  /** The single unencrypted private key in {@code pem}. */
  static PrivateKey privateKey(byte[] pem, String what) throws CaException {
    Object object;
    try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      object = parser.readObject();
      if (object != null && parser.readObject() != null) {
        throw new CaException(what + " must hold exactly one PEM private key, found more than one PEM block");
      }
    } catch (IOException | RuntimeException e) {
      // The parser's message can quote the offending line: keep key material out of the error.
      throw new CaException(what + " is not valid PEM (a block could not be decoded)");
    }
    PrivateKeyInfo info;
    if (object instanceof PrivateKeyInfo pkcs8) {
      info = pkcs8;
    } else if (object instanceof PEMKeyPair pair) {
      info = pair.getPrivateKeyInfo();
    } else if (object == null) {
      throw new CaException(what + " holds no PEM private key (expected -----BEGIN PRIVATE KEY-----)");
    } else {
      throw new CaException(
          what + " is not an unencrypted private key; expected -----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY)");
    }
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw new CaException(what + " uses a key algorithm this JVM cannot load; use an RSA or ECDSA key");
    }
  }

  static String encode(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        out.append(block("CERTIFICATE", certificate.getEncoded()));
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException("cannot encode a certificate", e);
      }
    }
    return out.toString();
  }

  /** PKCS#8 {@code PRIVATE KEY}, which Envoy, OpenSSL and curl all read. */
  static String encode(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + BASE64.encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
