package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.ir.SdsSecret;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.KubeSecret;
import dev.outpost.translator.parse.SnapshotAssembler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Credential lookup and checks, with the certificates from {@code certs/generate.py}. */
class CredentialResolverTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final String DR = "DestinationRule istio-system/originate";
  private static final String FIELD = "spec.trafficPolicy.tls.credentialName";

  private final DiagnosticSink diagnostics = new DiagnosticSink();

  @Test
  void keyPairFromTlsKeysBecomesKubernetesSdsSecretWithTheStoredBytes() {
    CredentialResolver resolver = resolver("client-cert");
    Optional<SdsSecret> secret = resolver.keyPair(DR, FIELD, "client-cert");

    assertTrue(secret.isPresent(), () -> diagnostics.toList().toString());
    assertEquals("kubernetes://client-cert", secret.get().name());
    assertEquals(SdsSecret.Kind.KEY_PAIR, secret.get().kind());
    KubeSecret stored = secrets("client-cert").get(0);
    assertEquals(stored.get("tls.crt").orElseThrow(), secret.get().certificateChain());
    assertEquals(stored.get("tls.key").orElseThrow(), secret.get().privateKey());
    assertEquals(List.of(), diagnostics.toList());
  }

  @Test
  void genericCertKeyNamesAndRsaPkcs1KeysAreAccepted() {
    CredentialResolver resolver = resolver("client-cert-generic", "client-cert-rsa");
    assertTrue(resolver.keyPair(DR, FIELD, "client-cert-generic").isPresent());
    assertTrue(resolver.keyPair(DR, FIELD, "client-cert-rsa").isPresent());
    assertEquals(List.of(), diagnostics.toList());
  }

  @Test
  void missingSecretIsAnErrorNamingResourceFieldSecretAndNamespace() {
    CredentialResolver resolver = resolver("client-cert");
    assertTrue(resolver.keyPair(DR, FIELD, "nope").isEmpty());

    Diagnostic d = only(Severity.ERROR);
    assertEquals(DR, d.subject());
    assertEquals(FIELD, d.field());
    assertContains(d.message(), "Secret \"nope\" not found in namespace istio-system");
    assertContains(d.message(), "fail closed");
  }

  @Test
  void secretInAnotherNamespaceIsNotUsedAndTheMessageSaysWhere() {
    CredentialResolver resolver = resolver("client-cert-in-apps");
    assertTrue(resolver.keyPair(DR, FIELD, "client-cert-in-apps").isEmpty());

    String message = only(Severity.ERROR).message();
    assertContains(message, "exists in namespace apps, which this proxy may not read");
    assertContains(message, "create it in istio-system");
  }

  @Test
  void invalidPemMismatchedKeyWrongOrderAndExpiryAreErrors() {
    CredentialResolver resolver =
        resolver("not-pem", "mismatched-cert", "wrong-order-cert", "expired-cert");
    assertTrue(resolver.keyPair(DR, FIELD, "not-pem").isEmpty());
    assertTrue(resolver.keyPair(DR, "f.mismatched", "mismatched-cert").isEmpty());
    assertTrue(resolver.keyPair(DR, "f.order", "wrong-order-cert").isEmpty());
    assertTrue(resolver.keyPair(DR, "f.expired", "expired-cert").isEmpty());

    assertContains(message(FIELD), "holds no PEM certificate");
    assertContains(message("f.mismatched"), "does not belong to the certificate");
    assertContains(message("f.order"), "out of order: the private key belongs to certificate 2");
    assertContains(message("f.expired"), "expired on 2026-05-01");
    diagnostics.toList().forEach(d -> assertEquals(Severity.ERROR, d.severity()));
  }

  @Test
  void aCertificateExpiringWithinAWeekIsUsedWithAWarning() {
    CredentialResolver resolver = resolver("expiring-cert");
    assertTrue(resolver.keyPair(DR, FIELD, "expiring-cert").isPresent());
    assertContains(only(Severity.WARNING).message(), "expires on 2026-06-05");
  }

  @Test
  void theSameBrokenSecretIsReportedOnEveryResourceThatUsesIt() {
    CredentialResolver resolver = resolver();
    resolver.keyPair(DR, FIELD, "nope");
    resolver.keyPair("Gateway istio-system/gw", "spec.servers[0].tls.credentialName", "nope");
    assertEquals(2, diagnostics.toList().size());
  }

  @Test
  void caComesFromTheCacertSecretFirstThenFromTheCredentialsOwnCaKey() {
    CredentialResolver resolver =
        resolver("client-cert", "client-cert-nocacert", "client-cert-nocacert-cacert");
    SdsSecret own = resolver.trustedCa(DR, FIELD, "client-cert").orElseThrow();
    SdsSecret separate = resolver.trustedCa(DR, FIELD, "client-cert-nocacert").orElseThrow();

    assertEquals("kubernetes://client-cert-cacert", own.name());
    assertEquals(SdsSecret.Kind.TRUST_BUNDLE, own.kind());
    assertEquals(secrets("client-cert").get(0).get("ca.crt").orElseThrow(), own.caCertificates());
    assertEquals("kubernetes://client-cert-nocacert-cacert", separate.name());
    assertEquals(List.of(), diagnostics.toList());
  }

  @Test
  void requiredCaMissingIsAnErrorThatSaysHowToAddIt() {
    CredentialResolver resolver = resolver("server-cert");
    assertTrue(resolver.trustedCa(DR, FIELD, "server-cert").isEmpty());
    assertContains(only(Severity.ERROR).message(), "create server-cert-cacert with key ca.crt");
  }

  @Test
  void optionalCaAbsentIsQuietButAMissingSecretOrBadCaIsUnusable() {
    CredentialResolver resolver = resolver("server-cert", "not-pem");
    CredentialResolver.OptionalCa none = resolver.optionalTrustedCa(DR, FIELD, "server-cert");
    assertTrue(none.ca().isEmpty());
    assertFalse(none.unusable());
    assertEquals(List.of(), diagnostics.toList());

    assertTrue(resolver.optionalTrustedCa(DR, FIELD, "nope").unusable());
    assertEquals(1, diagnostics.toList().size());
  }

  @Test
  void diagnosticsNeverCarryKeyMaterial() {
    CredentialResolver resolver =
        resolver("not-pem", "mismatched-cert", "wrong-order-cert", "expired-cert", "expiring-cert");
    for (String name : List.of("not-pem", "mismatched-cert", "wrong-order-cert", "expired-cert", "expiring-cert")) {
      resolver.keyPair(DR, name, name);
    }
    assertFalse(diagnostics.toList().isEmpty());
    for (Diagnostic d : diagnostics.toList()) {
      assertFalse(d.message().contains("PRIVATE KEY"), d.message());
      assertFalse(d.message().contains("MII"), d.message());
      assertFalse(d.message().contains("nor a key"), d.message());
    }
  }

  private CredentialResolver resolver(String... names) {
    return new CredentialResolver(secrets(names), "istio-system", NOW, diagnostics);
  }

  private Diagnostic only(Severity severity) {
    ImmutableList<Diagnostic> all = diagnostics.toList();
    assertEquals(1, all.size(), all::toString);
    assertEquals(severity, all.get(0).severity(), all::toString);
    return all.get(0);
  }

  private String message(String field) {
    return diagnostics.toList().stream()
        .filter(d -> d.field().equals(field))
        .map(Diagnostic::message)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no diagnostic on " + field + ": " + diagnostics.toList()));
  }

  private static void assertContains(String text, String part) {
    assertTrue(text.contains(part), () -> "expected \"" + part + "\" in: " + text);
  }

  static ImmutableList<KubeSecret> secrets(String... names) {
    List<SourceFile> files = new ArrayList<>();
    for (String name : names) {
      files.add(new SourceFile(name + ".yaml", resource("/certs/secrets/" + name + ".yaml")));
    }
    ConfigSnapshot snapshot = new SnapshotAssembler().assemble(files, ConfigSnapshot.EMPTY);
    assertEquals(List.of(), snapshot.diagnostics());
    assertEquals(names.length, snapshot.secrets().size());
    return snapshot.secrets();
  }

  private static String resource(String path) {
    try (InputStream in = CredentialResolverTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
