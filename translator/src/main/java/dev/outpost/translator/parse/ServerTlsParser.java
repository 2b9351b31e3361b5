package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.ServerTlsSettings;
import dev.outpost.translator.model.ServerTlsSettings.Mode;
import dev.outpost.translator.model.ServerTlsSettings.TlsProtocolVersion;
import java.util.Optional;

/** Reads a Gateway server's {@code tls} block, with Istio's rules per mode. */
final class ServerTlsParser {
  private ServerTlsParser() {}

  static ServerTlsSettings parse(FieldReader t) {
    boolean httpsRedirect = t.bool("httpsRedirect").orElse(false);
    Mode mode = t.enumValue("mode", Mode.class).orElse(Mode.PASSTHROUGH);
    Optional<String> serverCertificate = t.string("serverCertificate");
    Optional<String> privateKey = t.string("privateKey");
    Optional<String> caCertificates = t.string("caCertificates");
    Optional<String> credentialName = t.string("credentialName");
    credentialName
        .filter(c -> !Names.isDns1123Subdomain(c))
        .ifPresent(c -> t.error("credentialName", "\"" + c + "\" is not a valid Secret name"));
    ImmutableList<String> sans = t.strings("subjectAltNames");
    ImmutableList<String> spki = t.strings("verifyCertificateSpki");
    ImmutableList<String> hash = t.strings("verifyCertificateHash");
    TlsProtocolVersion min =
        t.enumValue("minProtocolVersion", TlsProtocolVersion.class)
            .orElse(TlsProtocolVersion.TLS_AUTO);
    TlsProtocolVersion max =
        t.enumValue("maxProtocolVersion", TlsProtocolVersion.class)
            .orElse(TlsProtocolVersion.TLS_AUTO);
    ImmutableList<String> ciphers = t.strings("cipherSuites");
    t.notSupportedYet("caCrl", "credentialNames", "tlsCertificates");
    t.finish();

    if (min != TlsProtocolVersion.TLS_AUTO
        && max != TlsProtocolVersion.TLS_AUTO
        && min.compareTo(max) > 0) {
      t.error("minProtocolVersion", min + " is higher than maxProtocolVersion " + max);
    }
    checkMode(t, mode, serverCertificate, privateKey, caCertificates, credentialName);
    return new ServerTlsSettings(
        httpsRedirect,
        mode,
        serverCertificate,
        privateKey,
        caCertificates,
        credentialName,
        sans,
        spki,
        hash,
        min,
        max,
        ciphers);
  }

  private static void checkMode(
      FieldReader t,
      Mode mode,
      Optional<String> cert,
      Optional<String> key,
      Optional<String> ca,
      Optional<String> credentialName) {
    boolean anyFile = cert.isPresent() || key.isPresent() || ca.isPresent();
    switch (mode) {
      case ISTIO_MUTUAL -> {
        if (anyFile || credentialName.isPresent()) {
          t.error(
              "mode",
              "ISTIO_MUTUAL uses the mesh certificates; remove serverCertificate, privateKey,"
                  + " caCertificates and credentialName");
        }
      }
      case PASSTHROUGH, AUTO_PASSTHROUGH -> {
        if (anyFile || credentialName.isPresent()) {
          t.warning("mode", mode + " does not terminate TLS; the certificate settings are ignored");
        }
      }
      case SIMPLE, MUTUAL, OPTIONAL_MUTUAL -> {
        if (credentialName.isPresent()) {
          return;
        }
        if (cert.isEmpty() || key.isEmpty()) {
          t.error(
              "mode",
              mode
                  + " needs credentialName (recommended) or both serverCertificate and privateKey");
        }
        if (mode != Mode.SIMPLE && ca.isEmpty()) {
          t.error(
              "mode",
              mode + " needs caCertificates (or credentialName) to verify client certificates");
        }
      }
    }
  }
}
