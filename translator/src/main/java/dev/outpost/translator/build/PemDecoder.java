package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads certificates and private keys from PEM text, in the forms Envoy accepts: certificates
 * (several, concatenated), and unencrypted private keys as PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}). Error messages
 * describe the content's shape, never the content.
 */
final class PemDecoder {
  private PemDecoder() {}

  /** Every certificate in {@code pem}, in order; at least one. */
  static ImmutableList<X509CertificateHolder> certificates(ByteString pem, String what)
      throws InvalidCredentialException {
    ImmutableList.Builder<X509CertificateHolder> out = ImmutableList.builder();
    for (Object object : objects(pem, what)) {
      if (object instanceof X509CertificateHolder certificate) {
        out.add(certificate);
      } else {
        throw new InvalidCredentialException(
            what + " holds a PEM block that is not a certificate (" + describe(object)
                + "); it must contain only CERTIFICATE blocks");
      }
    }
    ImmutableList<X509CertificateHolder> certificates = out.build();
    if (certificates.isEmpty()) {
      throw new InvalidCredentialException(
          what + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /** The single unencrypted private key in {@code pem}. */
  static PrivateKeyInfo privateKey(ByteString pem, String what) throws InvalidCredentialException {
    ImmutableList<Object> objects = objects(pem, what);
    if (objects.size() != 1) {
      throw new InvalidCredentialException(
          what + " must hold exactly one PEM private key, found " + objects.size() + " PEM blocks");
    }
    Object object = objects.get(0);
    if (object instanceof PrivateKeyInfo pkcs8) {
      return pkcs8;
    }
    if (object instanceof PEMKeyPair pair) {
      return pair.getPrivateKeyInfo();
    }
    if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new InvalidCredentialException(
          what + " is an encrypted private key, which Envoy cannot use; store it unencrypted"
              + " (e.g. openssl pkey -in key.pem -out plain.pem)");
    }
    throw new InvalidCredentialException(
        what + " is not a private key (found " + describe(object)
            + "); expected -----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY)");
  }

  private static ImmutableList<Object> objects(ByteString pem, String what)
      throws InvalidCredentialException {
    ImmutableList.Builder<Object> out = ImmutableList.builder();
    try (PEMParser parser =
        new PEMParser(new StringReader(pem.toString(StandardCharsets.US_ASCII)))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        out.add(object);
      }
    } catch (IOException | RuntimeException e) {
      // The parser's message can quote the offending line; keep it out of the diagnostic.
      throw new InvalidCredentialException(what + " is not valid PEM (a block could not be decoded)");
    }
    return out.build();
  }

  private static String describe(Object object) {
    if (object instanceof X509CertificateHolder) {
      return "a certificate";
    }
    if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair) {
      return "a private key";
    }
    return "a " + object.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2");
  }
}
