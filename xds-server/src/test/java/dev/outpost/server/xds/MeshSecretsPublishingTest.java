package dev.outpost.server.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.outpost.server.ca.MeshCa;
import dev.outpost.server.ca.MutableClock;
import dev.outpost.server.ca.SelfSignedCaDirectory;
import dev.outpost.server.ca.WorkloadCertificates;
import dev.outpost.server.metrics.Metrics;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.MeshSecrets;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.model.ConfigSnapshot;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshSecretsPublishingTest {
  private static final GroupKey GATEWAY =
      GroupKey.of(ProxyIdentity.of("gw", ProxyRole.GATEWAY, "istio-system", "istio-egressgateway", Map.of("istio", "egressgateway")));
  private static final GroupKey OTHER =
      GroupKey.of(ProxyIdentity.of("gw2", ProxyRole.GATEWAY, "egress", "other-gateway", Map.of("istio", "egressgateway")));

  @TempDir Path tmp;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private final AtomicInteger idleTimeout = new AtomicInteger(60);
  private final Metrics metrics = new Metrics();
  private WorkloadCertificates certificates;
  private SnapshotPublisher publisher;

  @BeforeEach
  void setUp() throws Exception {
    MeshCa ca = MeshCa.load(new SelfSignedCaDirectory(tmp.resolve("ca"), "cluster.local"), "cluster.local", clock.instant());
    certificates = new WorkloadCertificates(ca, Duration.ofHours(24), clock);
    publisher = publisher(certificates);
  }

  private final java.util.concurrent.atomic.AtomicBoolean refuseNewConfig = new java.util.concurrent.atomic.AtomicBoolean();

  private SnapshotPublisher publisher(MeshSecretSupplier supplier) {
    SnapshotGate strict = SnapshotGate.standard(); // every referenced secret must be in the snapshot
    return new SnapshotPublisher(
        new XdsCache(),
        (config, proxy) -> new Translation(MeshFixtures.istioMutual(idleTimeout.get()), ImmutableList.of()),
        resources -> {
          boolean newConfig = !resources.listeners().equals(MeshFixtures.istioMutual(60).listeners());
          return refuseNewConfig.get() && newConfig
              ? new dev.outpost.translator.check.CheckResult(ImmutableList.of("Listener 0.0.0.0_443: refused by the test"))
              : strict.check(resources);
        },
        metrics,
        supplier);
  }

  @Test
  void aGroupWhoseNewConfigFailsTheGateStillGetsItsLastGoodConfigRenewed() {
    publisher.updateConfig(ConfigSnapshot.EMPTY);
    publisher.join(GATEWAY);
    XdsSnapshot good = publisher.snapshot(GATEWAY).orElseThrow();

    refuseNewConfig.set(true);
    idleTimeout.set(120);
    publisher.updateConfig(ConfigSnapshot.EMPTY);
    assertTrue(publisher.snapshot(GATEWAY).orElseThrow() == good, "the refused config is not published");

    clock.advance(Duration.ofHours(13));
    publisher.renewMeshCertificates();
    XdsSnapshot renewed = publisher.snapshot(GATEWAY).orElseThrow();
    assertNotEquals(good.version(ResourceType.SECRET), renewed.version(ResourceType.SECRET));
    assertEquals(good.version(ResourceType.LISTENER), renewed.version(ResourceType.LISTENER),
        "the last good listener, with the renewed certificate");
  }

  @Test
  void referencedMeshSecretsAreAddedBeforeTheGateWhichThenPasses() {
    publisher.updateConfig(ConfigSnapshot.EMPTY);
    publisher.join(GATEWAY);

    XdsSnapshot snapshot = publisher.snapshot(GATEWAY).orElseThrow();
    assertEquals(Set.of(MeshSecrets.CERTIFICATE, MeshSecrets.TRUST_BUNDLE), snapshot.resources(ResourceType.SECRET).keySet());
    Secret certificate = (Secret) snapshot.resources(ResourceType.SECRET).get(MeshSecrets.CERTIFICATE);
    assertTrue(certificate.getTlsCertificate().getCertificateChain().getInlineBytes().size() > 0);
    assertTrue(certificate.getTlsCertificate().getPrivateKey().getInlineBytes().toStringUtf8().startsWith("-----BEGIN PRIVATE KEY-----"));
    Secret bundle = (Secret) snapshot.resources(ResourceType.SECRET).get(MeshSecrets.TRUST_BUNDLE);
    assertEquals(certificates.ca().trustBundlePem(), bundle.getValidationContext().getTrustedCa().getInlineBytes().toStringUtf8());
  }

  @Test
  void withoutAMeshCaTheGroupIsNotPublished() {
    SnapshotPublisher noCa = publisher(MeshSecretSupplier.NONE);
    noCa.updateConfig(ConfigSnapshot.EMPTY);
    noCa.join(GATEWAY);
    assertTrue(noCa.snapshot(GATEWAY).isEmpty(), "a snapshot referencing secrets nobody supplies must fail the gate");
    assertEquals(1, metrics.rejectedSnapshots());
  }

  @Test
  void withoutAMeshCaTheCauseIsTheMissingCaNotAGateProblem() {
    AtomicInteger gateCalls = new AtomicInteger();
    SnapshotPublisher noCa = new SnapshotPublisher(
        new XdsCache(),
        (config, proxy) -> new Translation(MeshFixtures.istioMutual(60), ImmutableList.of()),
        resources -> {
          gateCalls.incrementAndGet();
          return SnapshotGate.standard().check(resources);
        },
        metrics,
        MeshSecretSupplier.NONE);
    noCa.updateConfig(ConfigSnapshot.EMPTY);
    noCa.join(GATEWAY);
    assertTrue(noCa.snapshot(GATEWAY).isEmpty());
    assertEquals(0, gateCalls.get(), "refused before the gate, with the reason (no mesh CA) in the log");
    assertEquals(1, metrics.rejectedSnapshots());
  }

  @Test
  void aSupplierThatLeavesOutAReferencedMeshSecretNeverGetsTheSnapshotPublished() {
    // E.g. a CA that could supply the trust bundle but not the certificate: fail closed.
    MeshSecretSupplier bundleOnly = (proxy, names) -> certificates.secretsFor(proxy, Set.of(MeshSecrets.TRUST_BUNDLE));
    SnapshotPublisher partial = publisher(bundleOnly);
    partial.updateConfig(ConfigSnapshot.EMPTY);
    partial.join(GATEWAY);
    assertTrue(partial.snapshot(GATEWAY).isEmpty());
  }

  @Test
  void retranslationWithUnchangedInputKeepsTheFreshCertificateAndPushesNothing() {
    publisher.updateConfig(ConfigSnapshot.EMPTY);
    publisher.join(GATEWAY);
    XdsSnapshot first = publisher.snapshot(GATEWAY).orElseThrow();

    clock.advance(Duration.ofHours(11));
    publisher.updateConfig(ConfigSnapshot.EMPTY);
    publisher.renewMeshCertificates();

    assertTrue(publisher.snapshot(GATEWAY).orElseThrow() == first, "nothing changed: the same snapshot stays published");
  }

  @Test
  void renewalAtHalfLifeChangesOnlyTheSecretResource() {
    publisher.updateConfig(ConfigSnapshot.EMPTY);
    publisher.join(GATEWAY);
    XdsSnapshot before = publisher.snapshot(GATEWAY).orElseThrow();

    clock.advance(Duration.ofHours(12).minusSeconds(1));
    publisher.renewMeshCertificates();
    assertTrue(publisher.snapshot(GATEWAY).orElseThrow() == before, "not due yet");

    clock.advance(Duration.ofSeconds(2));
    publisher.renewMeshCertificates();
    XdsSnapshot after = publisher.snapshot(GATEWAY).orElseThrow();

    assertNotEquals(before.version(ResourceType.SECRET), after.version(ResourceType.SECRET));
    for (ResourceType type : Set.of(ResourceType.LISTENER, ResourceType.CLUSTER, ResourceType.ROUTE, ResourceType.ENDPOINT)) {
      assertEquals(before.version(type), after.version(type), type + " must keep its version");
    }
    assertNotEquals(
        before.versionedResources(ResourceType.SECRET).get(MeshSecrets.CERTIFICATE).version(),
        after.versionedResources(ResourceType.SECRET).get(MeshSecrets.CERTIFICATE).version());
    assertEquals(
        before.versionedResources(ResourceType.SECRET).get(MeshSecrets.TRUST_BUNDLE).version(),
        after.versionedResources(ResourceType.SECRET).get(MeshSecrets.TRUST_BUNDLE).version(),
        "the trust bundle did not change");

    // A config change afterwards keeps the renewed certificate (no second issue).
    idleTimeout.set(120);
    publisher.updateConfig(ConfigSnapshot.EMPTY);
    XdsSnapshot changed = publisher.snapshot(GATEWAY).orElseThrow();
    assertNotEquals(after.version(ResourceType.LISTENER), changed.version(ResourceType.LISTENER));
    assertEquals(after.version(ResourceType.SECRET), changed.version(ResourceType.SECRET));
  }

  @Test
  void groupsWithDifferentIdentitiesGetDifferentCertificates() {
    publisher.updateConfig(ConfigSnapshot.EMPTY);
    publisher.join(GATEWAY);
    publisher.join(OTHER);
    Secret a = (Secret) publisher.snapshot(GATEWAY).orElseThrow().resources(ResourceType.SECRET).get(MeshSecrets.CERTIFICATE);
    Secret b = (Secret) publisher.snapshot(OTHER).orElseThrow().resources(ResourceType.SECRET).get(MeshSecrets.CERTIFICATE);
    assertNotEquals(a, b);
  }

  @Test
  void groupsThatReferenceNoMeshSecretGetNone() {
    SnapshotPublisher plain = new SnapshotPublisher(
        new XdsCache(),
        (config, proxy) -> new Translation(
            new EnvoyResources(ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of()),
            ImmutableList.of()),
        SnapshotGate.standard(),
        metrics,
        certificates);
    plain.updateConfig(ConfigSnapshot.EMPTY);
    plain.join(GATEWAY);
    assertTrue(plain.snapshot(GATEWAY).orElseThrow().resources(ResourceType.SECRET).isEmpty());
  }
}
