package dev.outpost.server.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.server.metrics.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA's end: when it is, that no certificate outlives it, and that the operator hears of it early. */
class CaExpiryTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  @TempDir Path tmp;

  /** An intermediate valid for a year under a root that ends in 100 days. */
  private Path rootEndsFirst() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rootKeys = rsa.generateKeyPair();
    X500Name rootName = new X500Name("CN=Short-lived Root");
    X509Certificate root = TestHierarchy.ca(rootName, rootName, rootKeys.getPublic(), rootKeys.getPrivate(), NOW, Duration.ofDays(100));
    KeyPair keys = Certificates.p256();
    X509Certificate intermediate =
        TestHierarchy.ca(new X500Name("CN=Long-lived Intermediate"), rootName, keys.getPublic(), rootKeys.getPrivate(), NOW, Duration.ofDays(365));
    Files.writeString(tmp.resolve(CacertsLayout.CA_CERT), Pem.encode(List.of(intermediate)));
    Files.writeString(tmp.resolve(CacertsLayout.CA_KEY), Pem.encode(keys.getPrivate()));
    Files.writeString(tmp.resolve(CacertsLayout.CERT_CHAIN), Pem.encode(List.of(intermediate, root)));
    Files.writeString(tmp.resolve(CacertsLayout.ROOT_CERT), Pem.encode(List.of(root)));
    return tmp;
  }

  @Test
  void theCaEndsWithTheFirstCertificateOfItsPathToExpireAndNoLeafOutlivesIt() throws Exception {
    MeshCa ca = MeshCa.load(new PluggedCaDirectory(rootEndsFirst()), "cluster.local", NOW);
    Instant rootEnd = NOW.plus(Duration.ofDays(100));
    assertEquals(rootEnd, ca.signingCa().validUntil());

    WorkloadCertificate leaf = ca.issue(ca.spiffeId("shop", "gw"), Duration.ofDays(200), NOW);
    assertEquals(rootEnd, leaf.notAfter(), "a peer could not verify it after the root expires");

    CaException expired = assertThrows(CaException.class, () -> ca.issue(ca.spiffeId("shop", "gw"), Duration.ofHours(1), rootEnd));
    assertTrue(expired.getMessage().contains("expired at " + rootEnd), expired.getMessage());

    Metrics metrics = new Metrics();
    new WorkloadCertificates(ca, Duration.ofHours(24), new MutableClock(NOW)).reportTo(metrics);
    assertTrue(metrics.prometheusText().contains("outpost_mesh_ca_expiry_timestamp_seconds " + rootEnd.getEpochSecond()),
        metrics.prometheusText());
  }

  @Test
  void theLogWarnsDailyFromThirtyDaysBeforeTheCaExpires() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    MeshCa ca = MeshCa.load(new PluggedCaDirectory(rootEndsFirst()), "cluster.local", NOW);
    WorkloadCertificates certificates = new WorkloadCertificates(ca, Duration.ofHours(24), clock);
    assertEquals(Optional.empty(), certificates.caExpiryWarning(clock.instant()), "100 days left: quiet");

    clock.advance(Duration.ofDays(75));
    String warning = certificates.caExpiryWarning(clock.instant()).orElseThrow();
    assertTrue(warning.contains("expires at " + NOW.plus(Duration.ofDays(100)) + " (in 25 days)"), warning);
    assertTrue(warning.contains("Plug in a renewed CA"), warning);

    clock.advance(Duration.ofHours(23));
    assertEquals(Optional.empty(), certificates.caExpiryWarning(clock.instant()), "once a day, not on every check");
    clock.advance(Duration.ofHours(1));
    assertTrue(certificates.caExpiryWarning(clock.instant()).isPresent());

    clock.advance(Duration.ofDays(30));
    assertTrue(certificates.caExpiryWarning(clock.instant()).orElseThrow().contains("expired at"));
  }
}
