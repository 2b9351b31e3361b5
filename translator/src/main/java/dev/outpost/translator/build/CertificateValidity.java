package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Checks certificates against the translation's instant: expired or not yet valid is an error
 * (Envoy would load it, and every handshake would fail); a leaf that expires within a week is a
 * warning, so that rotation happens before the outage.
 */
final class CertificateValidity {
  static final Duration EXPIRY_WARNING = Duration.ofDays(7);

  private CertificateValidity() {}

  /** Errors for expired / not-yet-valid certificates in a chain or bundle. */
  static void requireCurrent(
      ImmutableList<X509CertificateHolder> certificates, Instant now, String what)
      throws InvalidCredentialException {
    for (int i = 0; i < certificates.size(); i++) {
      X509CertificateHolder certificate = certificates.get(i);
      String which = describe(certificates, i, what);
      Instant notAfter = certificate.getNotAfter().toInstant();
      Instant notBefore = certificate.getNotBefore().toInstant();
      if (now.isAfter(notAfter)) {
        throw new InvalidCredentialException(
            which + " expired on " + day(notAfter) + "; renew it and update the Secret");
      }
      if (now.isBefore(notBefore)) {
        throw new InvalidCredentialException(
            which + " is not valid before " + day(notBefore)
                + "; check the issuing system's clock or wait until then");
      }
    }
  }

  /** The warning for a certificate that expires within {@link #EXPIRY_WARNING}, if it does. */
  static java.util.Optional<String> expiryWarning(
      X509CertificateHolder certificate, Instant now, String what) {
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (notAfter.isAfter(now.plus(EXPIRY_WARNING))) {
      return java.util.Optional.empty();
    }
    long days = Duration.between(now, notAfter).toDays();
    return java.util.Optional.of(
        what + " (" + certificate.getSubject() + ") expires on " + day(notAfter) + ", in "
            + (days == 0 ? "less than a day" : days + (days == 1 ? " day" : " days"))
            + "; rotate it before then or TLS with it will fail");
  }

  private static String describe(
      ImmutableList<X509CertificateHolder> certificates, int index, String what) {
    String subject = certificates.get(index).getSubject().toString();
    return certificates.size() == 1
        ? what + " (" + subject + ")"
        : "certificate " + (index + 1) + " of " + certificates.size() + " in " + what + " ("
            + subject + ")";
  }

  static String day(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
