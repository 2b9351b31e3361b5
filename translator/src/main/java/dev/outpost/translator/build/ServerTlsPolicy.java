package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.outpost.translator.ir.CertificateSource;
import dev.outpost.translator.ir.DownstreamTls;
import dev.outpost.translator.ir.SdsSecret;
import dev.outpost.translator.ir.TrustSource;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.ServerTlsSettings.Mode;
import dev.outpost.translator.model.ServerTlsSettings;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A terminating server's {@code tls} block → the TLS it terminates: the certificate from {@code
 * credentialName} (SDS {@code kubernetes://NAME}, CA {@code kubernetes://NAME-cacert}), from file
 * paths, or the gateway's mesh identity (ISTIO_MUTUAL: {@code default}, clients checked against
 * {@code ROOTCA}). Empty when a credential cannot be used: the resolver has reported why, and the
 * server is not emitted (fail closed; Envoy would otherwise wait forever for the secret).
 */
final class ServerTlsPolicy {
  /** Offered on terminated HTTP servers, as Istio does, so clients can negotiate HTTP/2. */
  static final ImmutableList<String> HTTP_ALPN = ImmutableList.of("h2", "http/1.1");

  /**
   * Cipher suite names Envoy (BoringSSL) accepts, Istio's list: any other name makes Envoy reject
   * the whole listener, every server on the port with it.
   */
  static final ImmutableSet<String> KNOWN_CIPHER_SUITES =
      ImmutableSet.of(
          "ECDHE-ECDSA-AES128-GCM-SHA256",
          "ECDHE-RSA-AES128-GCM-SHA256",
          "ECDHE-ECDSA-AES256-GCM-SHA384",
          "ECDHE-RSA-AES256-GCM-SHA384",
          "ECDHE-ECDSA-CHACHA20-POLY1305",
          "ECDHE-RSA-CHACHA20-POLY1305",
          "ECDHE-PSK-CHACHA20-POLY1305",
          "ECDHE-ECDSA-AES128-SHA",
          "ECDHE-RSA-AES128-SHA",
          "ECDHE-PSK-AES128-CBC-SHA",
          "ECDHE-ECDSA-AES256-SHA",
          "ECDHE-RSA-AES256-SHA",
          "ECDHE-PSK-AES256-CBC-SHA",
          "AES128-GCM-SHA256",
          "AES256-GCM-SHA384",
          "AES128-SHA",
          "AES256-SHA",
          "PSK-AES128-CBC-SHA",
          "PSK-AES256-CBC-SHA",
          "DES-CBC3-SHA");

  private final CredentialResolver credentials;
  private final DiagnosticSink diagnostics;

  ServerTlsPolicy(CredentialResolver credentials, DiagnosticSink diagnostics) {
    this.credentials = credentials;
    this.diagnostics = diagnostics;
  }

  Optional<DownstreamTls> terminate(BoundServer server) {
    ServerTlsSettings tls = server.server().tls().orElseThrow();
    String field = server.field() + ".tls";
    String subject = server.subject();
    Optional<CertificateSource> certificate;
    Optional<TrustSource> trust = Optional.empty();
    boolean clientCertificates = tls.mode() != Mode.SIMPLE;

    if (tls.mode() == Mode.ISTIO_MUTUAL) {
      certificate =
          Optional.of(new CertificateSource.Sds(SdsSecret.meshCertificate()));
      trust = Optional.of(new TrustSource.Sds(SdsSecret.meshTrustBundle()));
    } else if (tls.credentialName().isPresent()) {
      String name = tls.credentialName().get();
      String credentialField = field + ".credentialName";
      certificate =
          credentials
              .keyPair(subject, credentialField, name)
              .map(CertificateSource.Sds::new);
      if (clientCertificates) {
        // Looked up even when the key pair failed, so that one run reports both problems.
        Optional<SdsSecret> ca = credentials.trustedCa(subject, credentialField, name);
        if (ca.isEmpty()) {
          reportNotEmitted(server, field);
          return Optional.empty();
        }
        trust = ca.map(TrustSource.Sds::new);
      }
      if (certificate.isEmpty()) {
        reportNotEmitted(server, field);
      }
    } else if (tls.serverCertificate().isPresent() && tls.privateKey().isPresent()) {
      certificate =
          Optional.of(
              new CertificateSource.Files(
                  tls.serverCertificate().get(), tls.privateKey().get()));
      if (clientCertificates) {
        if (tls.caCertificates().isEmpty()) {
          diagnostics.error(
              subject,
              field + ".caCertificates",
              tls.mode()
                  + " needs caCertificates to verify client certificates; "
                  + server.label()
                  + " is not emitted. Set caCertificates or use credentialName with a CA.");
          return Optional.empty();
        }
        trust = Optional.of(new TrustSource.File(tls.caCertificates().get()));
      }
    } else {
      // The parser rejects this; a programmatic snapshot could still carry it.
      diagnostics.error(
          subject,
          field,
          tls.mode()
              + " needs credentialName or serverCertificate and privateKey; "
              + server.label()
              + " is not emitted.");
      return Optional.empty();
    }
    if (certificate.isEmpty()) {
      return Optional.empty();
    }
    if (clientCertificates && !pinsValid(tls, server, field)) {
      return Optional.empty();
    }
    if (!clientCertificates) {
      warnIgnoredClientChecks(tls, subject, field);
    }
    return Optional.of(
        new DownstreamTls(
            certificate.get(),
            trust,
            tls.mode() == Mode.MUTUAL || tls.mode() == Mode.ISTIO_MUTUAL,
            clientCertificates ? tls.subjectAltNames() : ImmutableList.of(),
            clientCertificates ? tls.verifyCertificateSpki() : ImmutableList.of(),
            clientCertificates ? tls.verifyCertificateHash() : ImmutableList.of(),
            version(tls.minProtocolVersion()),
            version(tls.maxProtocolVersion()),
            cipherSuites(tls.cipherSuites(), subject, field + ".cipherSuites"),
            server.server().port().protocol() == Protocol.HTTPS ? HTTP_ALPN : ImmutableList.of()));
  }

  /**
   * The resolver's error says what is wrong with the Secret; this says what it costs, as the route
   * side does for an unusable cluster: the server has no filter chain, so its connections close.
   */
  private void reportNotEmitted(BoundServer server, String field) {
    diagnostics.warning(
        server.subject(),
        field + ".credentialName",
        server.label()
            + " is not sent to the proxy while its credential cannot be used (see the error on"
            + " this field): TLS connections for its hosts on port "
            + server.port()
            + " are closed, and the port's other servers are unaffected.");
  }

  /** SIMPLE asks for no client certificate, so checks on one would silently check nothing. */
  private void warnIgnoredClientChecks(ServerTlsSettings tls, String subject, String field) {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put("subjectAltNames", !tls.subjectAltNames().isEmpty());
    checks.put("verifyCertificateSpki", !tls.verifyCertificateSpki().isEmpty());
    checks.put("verifyCertificateHash", !tls.verifyCertificateHash().isEmpty());
    checks.forEach(
        (name, present) -> {
          if (present) {
            diagnostics.warning(
                subject,
                field + "." + name,
                "SIMPLE does not ask clients for a certificate, so there is no client"
                    + " certificate to check; "
                    + name
                    + " is ignored. Use MUTUAL to require client certificates.");
          }
        });
  }

  /**
   * Envoy parses every pin when it adds the listener and rejects the whole listener (every server
   * on the port) for one it cannot read. Dropping the bad pin instead would weaken the check, or
   * with no pin left remove it, so the server is not emitted (fail closed).
   */
  private boolean pinsValid(ServerTlsSettings tls, BoundServer server, String field) {
    boolean valid = true;
    for (int i = 0; i < tls.verifyCertificateSpki().size(); i++) {
      String pin = tls.verifyCertificateSpki().get(i);
      if (!isBase64Sha256(pin)) {
        valid = false;
        diagnostics.error(
            server.subject(),
            field + ".verifyCertificateSpki[" + i + "]",
            "\""
                + pin
                + "\" is not a base64-encoded SHA-256 digest of a public key (44 characters),"
                + " and Envoy would reject the whole listener for it; "
                + server.label()
                + " is not emitted. Compute it with: openssl x509 -in client.pem -pubkey -noout |"
                + " openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64");
      }
    }
    for (int i = 0; i < tls.verifyCertificateHash().size(); i++) {
      String hash = tls.verifyCertificateHash().get(i);
      if (!isHexSha256(hash)) {
        valid = false;
        diagnostics.error(
            server.subject(),
            field + ".verifyCertificateHash[" + i + "]",
            "\""
                + hash
                + "\" is not a hex-encoded SHA-256 digest of a certificate (64 hex digits, colons"
                + " allowed), and Envoy would reject the whole listener for it; "
                + server.label()
                + " is not emitted. Compute it with: openssl x509 -in client.pem -noout"
                + " -fingerprint -sha256");
      }
    }
    return valid;
  }

  private static boolean isBase64Sha256(String pin) {
    try {
      return pin.length() == 44 && Base64.getDecoder().decode(pin).length == 32;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isHexSha256(String hash) {
    return hash.replace(":", "").matches("[0-9A-Fa-f]{64}");
  }

  /** Known names, each once, in the order written; unknown ones are dropped with a warning. */
  private ImmutableList<String> cipherSuites(
      ImmutableList<String> written, String subject, String field) {
    Set<String> kept = new LinkedHashSet<>();
    for (int i = 0; i < written.size(); i++) {
      String suite = written.get(i);
      if (isKnown(suite)) {
        kept.add(suite);
      } else {
        diagnostics.warning(
            subject,
            field + "[" + i + "]",
            "\""
                + suite
                + "\" is not a cipher suite Envoy knows, and Envoy would reject the whole listener"
                + " for it; it is left out. See Envoy's TlsParameters.cipher_suites for the"
                + " names.");
      }
    }
    return ImmutableList.copyOf(kept);
  }

  /** A name, or BoringSSL's equal-preference group {@code [A|B]} of known names. */
  private static boolean isKnown(String suite) {
    if (suite.startsWith("[") && suite.endsWith("]") && suite.length() > 2) {
      for (String member : suite.substring(1, suite.length() - 1).split("\\|", -1)) {
        if (!KNOWN_CIPHER_SUITES.contains(member)) {
          return false;
        }
      }
      return true;
    }
    return KNOWN_CIPHER_SUITES.contains(suite);
  }

  private static DownstreamTls.TlsVersion version(ServerTlsSettings.TlsProtocolVersion version) {
    return switch (version) {
      case TLS_AUTO -> DownstreamTls.TlsVersion.AUTO;
      case TLSV1_0 -> DownstreamTls.TlsVersion.TLS_1_0;
      case TLSV1_1 -> DownstreamTls.TlsVersion.TLS_1_1;
      case TLSV1_2 -> DownstreamTls.TlsVersion.TLS_1_2;
      case TLSV1_3 -> DownstreamTls.TlsVersion.TLS_1_3;
    };
  }
}
