package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.ir.SdsSecret;
import dev.outpost.translator.ir.UpstreamTls;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.parse.SnapshotAssembler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DestinationRule tls → upstream TLS for one cluster, with Istio's precedence and defaults. */
class UpstreamTlsPolicyTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  private static final String SERVICE_ENTRY =
      """
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: api, namespace: istio-system}
      spec:
        hosts: [api.example.com]
        ports:
        - {number: 443, name: https, protocol: HTTPS}
        - {number: 8443, name: grpc, protocol: GRPC}
        resolution: DNS
        endpoints:
        - {address: a.example.com, labels: {v: one}, serviceAccount: api}
        - {address: b.example.com, labels: {v: two}}
      ---
      """;

  private final DiagnosticSink diagnostics = new DiagnosticSink();
  private ConfigSnapshot snapshot;
  private UpstreamTlsPolicy policy;

  private void given(String destinationRuleSpec, String... secrets) {
    StringBuilder yaml =
        new StringBuilder(SERVICE_ENTRY)
            .append(
                "apiVersion: networking.istio.io/v1\nkind: DestinationRule\n"
                    + "metadata: {name: dr, namespace: istio-system}\nspec:\n  host: api.example.com\n")
            .append(destinationRuleSpec.indent(2));
    for (String secret : secrets) {
      yaml.append("---\n").append(resource("/certs/secrets/" + secret + ".yaml"));
    }
    snapshot =
        new SnapshotAssembler()
            .assemble(
                List.of(new SourceFile("test.yaml", yaml.toString())), ConfigSnapshot.EMPTY);
    assertEquals(List.of(), snapshot.diagnostics());
    policy =
        new UpstreamTlsPolicy(
            new CredentialResolver(snapshot.secrets(), "istio-system", NOW, diagnostics),
            diagnostics,
            "example.org");
  }

  private ClusterRef ref(int port, String subset) {
    ServiceEntry se = snapshot.serviceEntries().get(0);
    Port p = se.ports().stream().filter(x -> x.number() == port).findFirst().orElseThrow();
    return new ClusterRef(
        se, "api.example.com", p, subset, Optional.of(snapshot.destinationRules().get(0)));
  }

  private UpstreamTls tls(int port, String subset) {
    UpstreamTlsPolicy.Outcome outcome = policy.resolve(ref(port, subset));
    assertTrue(outcome.usable(), () -> diagnostics.toList().toString());
    return outcome.tls().orElseThrow(() -> new AssertionError("plaintext"));
  }

  @Test
  void simpleWithoutCaVerifiesTheDestinationHostAgainstTheSystemTrustStore() {
    given("trafficPolicy: {tls: {mode: SIMPLE}}");
    UpstreamTls tls = tls(443, "");
    assertEquals(Optional.of("api.example.com"), tls.sni());
    assertEquals(
        Optional.of(new UpstreamTls.TrustAnchor.File(UpstreamTls.SYSTEM_TRUST_STORE)), tls.trust());
    // The endpoint's service account is the service's identity, as Istio derives it.
    assertEquals(List.of("spiffe://example.org/ns/istio-system/sa/api"), tls.subjectAltNames());
    assertEquals(Optional.empty(), tls.clientCertificate());
    assertEquals(List.of(), tls.alpn());
    assertEquals(List.of("h2"), tls(8443, "").alpn(), "HTTP/2 (gRPC) upstreams negotiate h2");
    assertEquals(List.of(), diagnostics.toList());
  }

  @Test
  void theRulesSniAndCaFileAreUsedAndTheSniIsCheckedWhenNothingElseNamesTheServer() {
    given(
        """
        trafficPolicy: {tls: {mode: SIMPLE, sni: edge.example.net, caCertificates: /etc/ca.pem}}
        subsets:
        - {name: two, labels: {v: two}}
        """);
    UpstreamTls tls = tls(443, "");
    assertEquals(Optional.of("edge.example.net"), tls.sni());
    assertEquals(Optional.of(new UpstreamTls.TrustAnchor.File("/etc/ca.pem")), tls.trust());
    // The service's identities name its servers, whichever name the gateway sends.
    assertEquals(List.of("spiffe://example.org/ns/istio-system/sa/api"), tls.subjectAltNames());

    given("trafficPolicy: {tls: {mode: SIMPLE}}"); // a fresh policy; the snapshot follows
    snapshot =
        new SnapshotAssembler()
            .assemble(
                List.of(
                    new SourceFile(
                        "test.yaml",
                        SERVICE_ENTRY.replace(", serviceAccount: api", "")
                            + "apiVersion: networking.istio.io/v1\nkind: DestinationRule\n"
                            + "metadata: {name: dr, namespace: istio-system}\nspec:\n"
                            + "  host: api.example.com\n"
                            + "  trafficPolicy: {tls: {mode: SIMPLE, sni: edge.example.net}}\n")),
                ConfigSnapshot.EMPTY);
    // Without any identity, a CA alone would accept any name it certified: check the SNI.
    assertEquals(List.of("edge.example.net"), tls(443, "").subjectAltNames());
  }

  @Test
  void portLevelSettingsReplaceTheTopLevelTlsAsAWhole() {
    given(
        """
        trafficPolicy:
          tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /c.key, subjectAltNames: [top]}
          portLevelSettings:
          - port: {number: 443}
            tls: {mode: SIMPLE}
        """);
    UpstreamTls port443 = tls(443, "");
    assertEquals(Optional.empty(), port443.clientCertificate(), "SIMPLE: nothing inherited");
    assertFalse(port443.subjectAltNames().contains("top"));
    UpstreamTls port8443 = tls(8443, "");
    assertEquals(
        Optional.of(new UpstreamTls.ClientCertificate.Files("/c.pem", "/c.key")),
        port8443.clientCertificate());
    assertEquals(List.of("top"), port8443.subjectAltNames());
  }

  @Test
  void aSubsetsTlsOverridesTheRulesAndOtherSubsetsInheritIt() {
    given(
        """
        trafficPolicy:
          portLevelSettings:
          - port: {number: 443}
            tls: {mode: SIMPLE}
        subsets:
        - name: one
          labels: {v: one}
          trafficPolicy: {tls: {mode: MUTUAL, credentialName: client-cert}}
        - name: two
          labels: {v: two}
          trafficPolicy: {loadBalancer: {simple: RANDOM}}
        """,
        "client-cert");
    UpstreamTls one = tls(443, "one");
    assertEquals(
        "kubernetes://client-cert",
        ((UpstreamTls.ClientCertificate.Sds) one.clientCertificate().orElseThrow()).secret().name());
    assertEquals(
        "kubernetes://client-cert-cacert",
        ((UpstreamTls.TrustAnchor.Sds) one.trust().orElseThrow()).secret().name());
    assertEquals(Optional.empty(), tls(443, "two").clientCertificate());
    assertFalse(policy.resolve(ref(8443, "one")).tls().isEmpty(), "subset tls is for every port");
  }

  @Test
  void istioMutualUsesTheMeshIdentityAndIstiosSni() {
    given(
        """
        trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
        subsets:
        - {name: one, labels: {v: one}}
        """);
    UpstreamTls tls = tls(8443, "one");
    assertEquals(Optional.of("outbound_.8443_.one_.api.example.com"), tls.sni());
    assertEquals(List.of("istio", "h2"), tls.alpn());
    assertEquals(List.of("istio"), tls(443, "").alpn());
    assertEquals(
        List.of(SdsSecret.meshCertificate(), SdsSecret.meshTrustBundle()), tls.secrets());
    assertEquals(List.of("spiffe://example.org/ns/istio-system/sa/api"), tls.subjectAltNames());
  }

  @Test
  void anSniTlsCannotCarryFailsClosedInsteadOfBreakingTheSnapshot() {
    given("trafficPolicy: {tls: {mode: ISTIO_MUTUAL, sni: " + "a".repeat(256) + "}}");
    assertFalse(policy.resolve(ref(443, "")).usable());
    assertEquals("spec.trafficPolicy.tls.sni", diagnostics.toList().get(0).field());
  }

  @Test
  void insecureSkipVerifyIsNeverSilent() {
    given("trafficPolicy: {tls: {mode: SIMPLE, insecureSkipVerify: true}}");
    UpstreamTls tls = tls(443, "");
    assertEquals(Optional.empty(), tls.trust());
    Diagnostic warning = diagnostics.toList().get(0);
    assertEquals(Severity.WARNING, warning.severity());
    assertEquals("spec.trafficPolicy.tls.insecureSkipVerify", warning.field());
    assertTrue(warning.message().contains("is not verified"), warning::message);
  }

  @Test
  void mutualWithoutAClientCertificateFailsClosed() {
    given("trafficPolicy: {tls: {mode: MUTUAL, caCertificates: /ca.pem}}");
    UpstreamTlsPolicy.Outcome outcome = policy.resolve(ref(443, ""));
    assertFalse(outcome.usable());
    assertEquals(Optional.empty(), outcome.tls());
    Diagnostic error = diagnostics.toList().get(0);
    assertEquals(Severity.ERROR, error.severity());
    assertEquals("spec.trafficPolicy.tls.mode", error.field());
    assertTrue(error.message().contains("MUTUAL needs a client certificate"), error::message);
  }

  @Test
  void anUnusableCredentialFailsClosedAndIsDecidedOncePerCluster() {
    given("trafficPolicy: {tls: {mode: MUTUAL, credentialName: client-cert}}", "client-cert-in-apps");
    UpstreamTlsPolicy.Outcome first = policy.resolve(ref(443, ""));
    assertFalse(first.usable());
    assertSame(first, policy.resolve(ref(443, "")));
    assertEquals(1, diagnostics.toList().size(), diagnostics.toList()::toString);
    assertEquals("spec.trafficPolicy.tls.credentialName", diagnostics.toList().get(0).field());
  }

  @Test
  void simpleTakesNoClientCertificateAndFallsBackToTheSystemStoreWithoutCa() {
    given("trafficPolicy: {tls: {mode: SIMPLE, credentialName: client-cert-rsa}}", "client-cert-rsa");
    UpstreamTls tls = tls(443, "");
    assertEquals(Optional.empty(), tls.clientCertificate());
    assertEquals(
        Optional.of(new UpstreamTls.TrustAnchor.File(UpstreamTls.SYSTEM_TRUST_STORE)), tls.trust());
    assertEquals(List.of(), tls.secrets());
  }

  @Test
  void disableIsPlaintextAndOnlyAMissingTlsWarnsAboutATlsPort() {
    given("trafficPolicy: {portLevelSettings: [{port: {number: 443}, tls: {mode: DISABLE}}]}");
    UpstreamTlsPolicy.Outcome outcome = policy.resolve(ref(443, ""));
    assertTrue(outcome.usable());
    assertEquals(Optional.empty(), outcome.tls());
    policy.warnIfPlaintextToTlsPort(ref(443, ""), "VirtualService a/b", "spec.http[0]");
    assertEquals(List.of(), diagnostics.toList(), "explicit DISABLE is intended");

    given("trafficPolicy: {loadBalancer: {simple: RANDOM}}");
    policy.warnIfPlaintextToTlsPort(ref(443, ""), "VirtualService a/b", "spec.http[0]");
    assertEquals(1, diagnostics.toList().size());
    assertTrue(diagnostics.toList().get(0).message().contains("tls: {mode: SIMPLE}"));
    policy.warnIfPlaintextToTlsPort(ref(8443, ""), "VirtualService a/b", "spec.http[1]");
    assertEquals(1, diagnostics.toList().size(), "GRPC is not a TLS port");
  }

  private static String resource(String path) {
    try (InputStream in = UpstreamTlsPolicyTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
