package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.api.MeshSecrets;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.ir.CertificateSource;
import dev.outpost.translator.ir.DownstreamTls;
import dev.outpost.translator.ir.SdsSecret;
import dev.outpost.translator.ir.TrustSource;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.Server;
import dev.outpost.translator.model.ServerTlsSettings.Mode;
import dev.outpost.translator.model.ServerTlsSettings.TlsProtocolVersion;
import dev.outpost.translator.model.ServerTlsSettings;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Terminating servers' tls blocks → DownstreamTls, and failing closed when they cannot be used. */
class ServerTlsPolicyTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  private final DiagnosticSink diagnostics = new DiagnosticSink();

  private ServerTlsPolicy policy(String... secretNames) {
    return new ServerTlsPolicy(
        new CredentialResolver(
            secretNames.length == 0
                ? ImmutableList.of()
                : CredentialResolverTest.secrets(secretNames),
            "istio-system",
            NOW,
            diagnostics),
        diagnostics);
  }

  static ServerTlsSettings tls(
      Mode mode,
      Optional<String> credentialName,
      Optional<String> cert,
      Optional<String> key,
      Optional<String> ca,
      List<String> sans,
      List<String> ciphers) {
    return new ServerTlsSettings(
        false,
        mode,
        cert,
        key,
        ca,
        credentialName,
        ImmutableList.copyOf(sans),
        ImmutableList.of(),
        ImmutableList.of(),
        TlsProtocolVersion.TLS_AUTO,
        TlsProtocolVersion.TLS_AUTO,
        ImmutableList.copyOf(ciphers));
  }

  static ServerTlsSettings credential(Mode mode, String name) {
    return tls(
        mode,
        Optional.of(name),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        List.of());
  }

  static BoundServer server(Protocol protocol, ServerTlsSettings tls) {
    Server server =
        new Server(
            new Port(443, protocol, "https", Optional.empty()),
            Optional.empty(),
            ImmutableList.of("api.example.com"),
            Optional.of(tls),
            Optional.empty(),
            Optional.empty());
    Gateway gateway =
        new Gateway(
            TranslatorPipelineTest.meta("istio-system", "egress"),
            ImmutableSortedMap.of("istio", "egressgateway"),
            ImmutableList.of(server));
    return new BoundServer(
        gateway,
        0,
        server,
        ServerKind.TLS_TERMINATED,
        ImmutableList.of(
            ServerHost.parse("api.example.com", "istio-system", "spec.servers[0].hosts[0]")));
  }

  @Test
  void istioMutualPresentsTheMeshIdentityAndRequiresMeshClientCertificates() {
    DownstreamTls tls =
        policy().terminate(server(Protocol.HTTPS, credentialLess(Mode.ISTIO_MUTUAL))).orElseThrow();

    assertEquals(
        new CertificateSource.Sds(SdsSecret.meshCertificate()), tls.certificate());
    assertEquals(
        Optional.of(new TrustSource.Sds(SdsSecret.meshTrustBundle())), tls.trust());
    assertTrue(tls.requireClientCertificate());
    assertEquals(
        List.of(MeshSecrets.CERTIFICATE, MeshSecrets.TRUST_BUNDLE),
        tls.secrets().stream().map(SdsSecret::name).toList());
    assertEquals(List.of("h2", "http/1.1"), tls.alpnProtocols(), "HTTPS offers HTTP/2");
    assertEquals(List.of(), diagnostics.toList());
  }

  @Test
  void simpleWithCredentialNameReferencesTheKubernetesSecretAndAsksNoClientCertificate() {
    DownstreamTls tls =
        policy("server-cert")
            .terminate(server(Protocol.TLS, credential(Mode.SIMPLE, "server-cert")))
            .orElseThrow();

    SdsSecret secret = ((CertificateSource.Sds) tls.certificate()).secret();
    assertEquals("kubernetes://server-cert", secret.name());
    assertEquals(SdsSecret.Kind.KEY_PAIR, secret.kind());
    assertEquals(Optional.empty(), tls.trust());
    assertFalse(tls.requireClientCertificate());
    assertEquals(List.of(), tls.alpnProtocols(), "protocol TLS carries no HTTP: no ALPN");
  }

  @Test
  void mutualWithCredentialNameTakesTheCaFromTheCacertSecret() {
    DownstreamTls tls =
        policy("server-cert", "server-cert-cacert")
            .terminate(server(Protocol.HTTPS, credential(Mode.MUTUAL, "server-cert")))
            .orElseThrow();

    SdsSecret ca = ((TrustSource.Sds) tls.trust().orElseThrow()).secret();
    assertEquals("kubernetes://server-cert-cacert", ca.name());
    assertEquals(SdsSecret.Kind.TRUST_BUNDLE, ca.kind());
    assertTrue(tls.requireClientCertificate());
  }

  @Test
  void optionalMutualValidatesButDoesNotRequireClientCertificates() {
    DownstreamTls tls =
        policy("server-cert", "server-cert-cacert")
            .terminate(server(Protocol.HTTPS, credential(Mode.OPTIONAL_MUTUAL, "server-cert")))
            .orElseThrow();

    assertTrue(tls.trust().isPresent());
    assertFalse(tls.requireClientCertificate());
  }

  @Test
  void missingCredentialDropsTheServerWithTheResolversError() {
    Optional<DownstreamTls> tls =
        policy().terminate(server(Protocol.HTTPS, credential(Mode.SIMPLE, "missing-cert")));

    assertEquals(Optional.empty(), tls);
    Diagnostic error = errorAndConsequence();
    assertEquals("Gateway istio-system/egress", error.subject());
    assertEquals("spec.servers[0].tls.credentialName", error.field());
    assertTrue(error.message().contains("\"missing-cert\""), error::message);
    assertTrue(error.message().contains("istio-system"), error::message);
  }

  @Test
  void mutualWithoutAnyCaDropsTheServer() {
    Optional<DownstreamTls> tls =
        policy("server-cert")
            .terminate(server(Protocol.HTTPS, credential(Mode.MUTUAL, "server-cert")));

    assertEquals(Optional.empty(), tls);
    assertEquals(Severity.ERROR, errorAndConsequence().severity());
  }

  @Test
  void filePathsBecomeFileSourcesAndMutualFilesWithoutCaAreRefused() {
    ServerTlsSettings files =
        tls(
            Mode.MUTUAL,
            Optional.empty(),
            Optional.of("/etc/certs/tls.crt"),
            Optional.of("/etc/certs/tls.key"),
            Optional.of("/etc/certs/ca.crt"),
            List.of("spiffe://cluster.local/ns/apps/sa/client"),
            List.of());
    DownstreamTls tls = policy().terminate(server(Protocol.HTTPS, files)).orElseThrow();
    assertEquals(
        new CertificateSource.Files("/etc/certs/tls.crt", "/etc/certs/tls.key"),
        tls.certificate());
    assertEquals(Optional.of(new TrustSource.File("/etc/certs/ca.crt")), tls.trust());
    assertEquals(List.of("spiffe://cluster.local/ns/apps/sa/client"), tls.subjectAltNames());
    assertEquals(List.of(), tls.secrets(), "files are not SDS secrets");

    ServerTlsSettings noCa =
        tls(
            Mode.MUTUAL,
            Optional.empty(),
            Optional.of("/etc/certs/tls.crt"),
            Optional.of("/etc/certs/tls.key"),
            Optional.empty(),
            List.of(),
            List.of());
    assertEquals(Optional.empty(), policy().terminate(server(Protocol.HTTPS, noCa)));
    assertEquals("spec.servers[0].tls.caCertificates", only(Severity.ERROR).field());
  }

  @Test
  void simpleIgnoresSubjectAltNamesWithAWarning() {
    ServerTlsSettings simple =
        tls(
            Mode.SIMPLE,
            Optional.empty(),
            Optional.of("/c.pem"),
            Optional.of("/k.pem"),
            Optional.empty(),
            List.of("client.example.com"),
            List.of());
    DownstreamTls tls = policy().terminate(server(Protocol.HTTPS, simple)).orElseThrow();

    assertEquals(List.of(), tls.subjectAltNames());
    assertEquals("spec.servers[0].tls.subjectAltNames", only(Severity.WARNING).field());
  }

  @Test
  void unknownCipherSuitesAreLeftOutAndRepeatsKeptOnce() {
    ServerTlsSettings ciphers =
        tls(
            Mode.SIMPLE,
            Optional.empty(),
            Optional.of("/c.pem"),
            Optional.of("/k.pem"),
            Optional.empty(),
            List.of(),
            List.of(
                "ECDHE-RSA-AES128-GCM-SHA256",
                "NOT-A-CIPHER",
                "[ECDHE-ECDSA-AES128-GCM-SHA256|BOGUS]",
                "[AES128-SHA|AES256-SHA]",
                "ECDHE-RSA-AES128-GCM-SHA256"));
    DownstreamTls tls = policy().terminate(server(Protocol.HTTPS, ciphers)).orElseThrow();

    assertEquals(
        List.of("ECDHE-RSA-AES128-GCM-SHA256", "[AES128-SHA|AES256-SHA]"), tls.cipherSuites());
    assertEquals(
        List.of("spec.servers[0].tls.cipherSuites[1]", "spec.servers[0].tls.cipherSuites[2]"),
        diagnostics.toList().stream().map(Diagnostic::field).toList());
  }

  private static ServerTlsSettings credentialLess(Mode mode) {
    return tls(
        mode,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        List.of());
  }

  /**
   * The resolver's error on the credential, and one warning on the same field that names the
   * server that is not emitted and what that costs; returns the error.
   */
  private Diagnostic errorAndConsequence() {
    ImmutableList<Diagnostic> all = diagnostics.toList();
    assertEquals(2, all.size(), all::toString);
    Diagnostic error =
        all.stream().filter(d -> d.severity() == Severity.ERROR).findFirst().orElseThrow();
    Diagnostic warning =
        all.stream().filter(d -> d.severity() == Severity.WARNING).findFirst().orElseThrow();
    assertEquals(error.field(), warning.field());
    assertTrue(
        warning.message().startsWith("Gateway istio-system/egress server https is not sent"),
        warning::message);
    assertTrue(warning.message().contains("port 443 are closed"), warning::message);
    return error;
  }

  private Diagnostic only(Severity severity) {
    ImmutableList<Diagnostic> all = diagnostics.toList();
    assertEquals(1, all.size(), all::toString);
    assertEquals(severity, all.get(0).severity(), all::toString);
    return all.get(0);
  }

  private static ServerTlsSettings istioMutualWithPins(List<String> spki, List<String> hashes) {
    return new ServerTlsSettings(
        false,
        Mode.ISTIO_MUTUAL,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        ImmutableList.of(),
        ImmutableList.copyOf(spki),
        ImmutableList.copyOf(hashes),
        TlsProtocolVersion.TLS_AUTO,
        TlsProtocolVersion.TLS_AUTO,
        ImmutableList.of());
  }

  @Test
  void wellFormedPinsAreKept() {
    String spki = "2IEpPESU/mmC30tPsnOf8gqUp8mROkdCQvbLtrDcVGA=";
    String hash =
        "DF:6F:F7:2F:E9:11:65:21:26:8F:6F:2D:D4:96:6F:51:DF:47:98:83:FE:70:37:B3:9F:75:91:6A:C3:04:9D:1A";
    DownstreamTls tls =
        policy()
            .terminate(server(Protocol.HTTPS, istioMutualWithPins(List.of(spki), List.of(hash))))
            .orElseThrow();
    assertEquals(List.of(spki), tls.verifyCertificateSpki());
    assertEquals(List.of(hash), tls.verifyCertificateHash());
    assertEquals(List.of(), diagnostics.toList());
  }

  @Test
  void aPinEnvoyCannotParseFailsTheServerClosedInsteadOfTheWholeListener() {
    // Both have the length Envoy's PGV rules ask for, so only the parse in Envoy would catch them.
    String spki = "not-base64-but-exactly-forty-four-characters";
    String hash = "zz6ff72fe9116521268f6f2dd4966f51df479883fe7037b39f75916ac3049d1a";
    assertTrue(
        policy()
            .terminate(server(Protocol.HTTPS, istioMutualWithPins(List.of(spki), List.of(hash))))
            .isEmpty());
    assertEquals(
        java.util.Set.of(
            "spec.servers[0].tls.verifyCertificateSpki[0]",
            "spec.servers[0].tls.verifyCertificateHash[0]"),
        diagnostics.toList().stream().map(d -> d.field()).collect(java.util.stream.Collectors.toSet()));
    assertTrue(
        diagnostics.toList().get(0).message().contains("is not emitted"),
        diagnostics.toList().get(0).message());
  }

  @Test
  void simpleWarnsAboutEachClientCheckItCannotMake() {
    ServerTlsSettings simple =
        new ServerTlsSettings(
            false,
            Mode.SIMPLE,
            Optional.of("/etc/cert.pem"),
            Optional.of("/etc/key.pem"),
            Optional.empty(),
            Optional.empty(),
            ImmutableList.of("spiffe://td/ns/a/sa/b"),
            ImmutableList.of("2IEpPESU/mmC30tPsnOf8gqUp8mROkdCQvbLtrDcVGA="),
            ImmutableList.of(),
            TlsProtocolVersion.TLS_AUTO,
            TlsProtocolVersion.TLS_AUTO,
            ImmutableList.of());
    DownstreamTls tls = policy().terminate(server(Protocol.HTTPS, simple)).orElseThrow();
    assertEquals(List.of(), tls.verifyCertificateSpki());
    assertEquals(
        java.util.Set.of(
            "spec.servers[0].tls.subjectAltNames", "spec.servers[0].tls.verifyCertificateSpki"),
        diagnostics.toList().stream().map(d -> d.field()).collect(java.util.stream.Collectors.toSet()));
  }
}
