package dev.outpost.server.ca;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** Reads and verifies a directory in Istio's {@code cacerts} layout. */
final class CacertsFiles {
  private CacertsFiles() {}

  /**
   * {@code ca-cert.pem}, {@code ca-key.pem} and {@code root-cert.pem} are required; {@code
   * cert-chain.pem} is optional when ca-cert.pem is the root or the only certificate to send.
   */
  static SigningCa read(Path dir, Instant now) throws CaException {
    String where = "mesh CA in " + dir;
    X509Certificate certificate = single(Pem.certificates(bytes(dir, CacertsLayout.CA_CERT, true), where(dir, CacertsLayout.CA_CERT)), dir);
    PrivateKey key = Pem.privateKey(bytes(dir, CacertsLayout.CA_KEY, true), where(dir, CacertsLayout.CA_KEY));
    byte[] chainBytes = bytes(dir, CacertsLayout.CERT_CHAIN, false);
    ImmutableList<X509Certificate> chain =
        chainBytes == null ? ImmutableList.of() : Pem.certificates(chainBytes, where(dir, CacertsLayout.CERT_CHAIN));
    ImmutableList<X509Certificate> roots = Pem.certificates(bytes(dir, CacertsLayout.ROOT_CERT, true), where(dir, CacertsLayout.ROOT_CERT));
    return SigningCa.verified(certificate, key, chain, roots, now, where);
  }

  private static X509Certificate single(ImmutableList<X509Certificate> certificates, Path dir) throws CaException {
    if (certificates.size() != 1) {
      throw new CaException(
          where(dir, CacertsLayout.CA_CERT) + " must hold exactly the signing certificate, found " + certificates.size()
              + " certificates; the chain up to the root belongs in " + CacertsLayout.CERT_CHAIN);
    }
    return certificates.get(0);
  }

  private static byte[] bytes(Path dir, String name, boolean required) throws CaException {
    Path file = dir.resolve(name);
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      if (!required) {
        return null;
      }
      throw new CaException(
          file + " does not exist; a CA directory holds " + CacertsLayout.CA_CERT + ", " + CacertsLayout.CA_KEY + ", "
              + CacertsLayout.ROOT_CERT + " and " + CacertsLayout.CERT_CHAIN + " (Istio's cacerts layout)");
    } catch (AccessDeniedException e) {
      throw new CaException(file + " is not readable by this process (user " + System.getProperty("user.name") + "): check its owner and mode");
    } catch (IOException e) {
      throw new CaException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String where(Path dir, String name) {
    return dir.resolve(name).toString();
  }
}
