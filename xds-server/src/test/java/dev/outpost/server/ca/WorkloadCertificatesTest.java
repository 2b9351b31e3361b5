package dev.outpost.server.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.outpost.translator.api.MeshSecrets;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadCertificatesTest {
  private static final ProxyIdentity SHOP = ProxyIdentity.of("a", ProxyRole.CLIENT, "shop", "checkout", Map.of());
  private static final ProxyIdentity BANK = ProxyIdentity.of("b", ProxyRole.CLIENT, "bank", "ledger", Map.of());

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));

  private WorkloadCertificates certificates(Duration ttl) throws Exception {
    return new WorkloadCertificates(
        MeshCa.load(new SelfSignedCaDirectory(tmp, "cluster.local"), "cluster.local", clock.instant()), ttl, clock);
  }

  @Test
  void theSameCertificateWhileFreshAndANewOneFromHalfLife() throws Exception {
    WorkloadCertificates certificates = certificates(Duration.ofHours(2));
    Secret first = certificates.secretsFor(SHOP, Set.of(MeshSecrets.CERTIFICATE)).get(0);
    clock.advance(Duration.ofMinutes(59));
    assertSame(first, certificates.secretsFor(SHOP, Set.of(MeshSecrets.CERTIFICATE)).get(0));
    clock.advance(Duration.ofMinutes(1));
    Secret renewed = certificates.secretsFor(SHOP, Set.of(MeshSecrets.CERTIFICATE)).get(0);
    assertNotEquals(first, renewed);
    assertEquals(MeshSecrets.CERTIFICATE, renewed.getName());
  }

  @Test
  void eachIdentityHasItsOwnSpiffeCertificateAndAllShareTheTrustBundle() throws Exception {
    WorkloadCertificates certificates = certificates(Duration.ofHours(24));
    X509Certificate shop = certificates.certificate("shop", "checkout").certificate();
    X509Certificate bank = certificates.certificate("bank", "ledger").certificate();
    assertEquals("spiffe://cluster.local/ns/shop/sa/checkout", List.copyOf(shop.getSubjectAlternativeNames()).get(0).get(1));
    assertEquals("spiffe://cluster.local/ns/bank/sa/ledger", List.copyOf(bank.getSubjectAlternativeNames()).get(0).get(1));
    assertEquals(
        certificates.secretsFor(SHOP, Set.of(MeshSecrets.TRUST_BUNDLE)),
        certificates.secretsFor(BANK, Set.of(MeshSecrets.TRUST_BUNDLE)));
    // Only what is asked for.
    assertEquals(List.of(), certificates.secretsFor(SHOP, Set.of()));
  }

  @Test
  void forgottenIdentitiesGetANewCertificateWhenTheyReturn() throws Exception {
    WorkloadCertificates certificates = certificates(Duration.ofHours(24));
    Secret shop = certificates.secretsFor(SHOP, Set.of(MeshSecrets.CERTIFICATE)).get(0);
    Secret bank = certificates.secretsFor(BANK, Set.of(MeshSecrets.CERTIFICATE)).get(0);
    certificates.retainOnly(List.of(BANK));
    assertSame(bank, certificates.secretsFor(BANK, Set.of(MeshSecrets.CERTIFICATE)).get(0));
    assertNotEquals(shop, certificates.secretsFor(SHOP, Set.of(MeshSecrets.CERTIFICATE)).get(0));
  }
}
