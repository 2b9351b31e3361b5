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
   * cert-chain.pem} is optional (then ca-cert.pem is what follows each leaf).
   */
  static SigningCa read(Path dir, Instant now) throws CaException {
    String where = "mesh CA in " + dir;
    ImmutableList<X509Certificate> caCert = Pem.certificates(bytes(dir, CacertsLayout.CA_CERT, true), where(dir, CacertsLayout.CA_CERT));
    PrivateKey key = Pem.privateKey(bytes(dir, CacertsLayout.CA_KEY, true), where(dir, CacertsLayout.CA_KEY));
    byte[] chainBytes = bytes(dir, CacertsLayout.CERT_CHAIN, false);
    // As in Istio, the signing certificate is the first one of ca-cert.pem. Without cert-chain.pem,
    // ca-cert.pem (which some put the whole chain into) is what follows each leaf.
    ImmutableList<X509Certificate> chain =
        chainBytes == null ? caCert : Pem.certificates(chainBytes, where(dir, CacertsLayout.CERT_CHAIN));
    ImmutableList<X509Certificate> roots = Pem.certificates(bytes(dir, CacertsLayout.ROOT_CERT, true), where(dir, CacertsLayout.ROOT_CERT));
    return SigningCa.verified(caCert.get(0), key, chain, roots, now, where);
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
