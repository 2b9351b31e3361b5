package dev.outpost.it.ads;

import static dev.outpost.it.ads.SecretIsolationAdsTest.deltaSecrets;
import static dev.outpost.it.ads.SecretIsolationAdsTest.gatewayYaml;
import static dev.outpost.it.ads.SecretIsolationAdsTest.key;
import static dev.outpost.it.ads.SecretIsolationAdsTest.node;
import static dev.outpost.it.ads.SecretIsolationAdsTest.secretYaml;
import static dev.outpost.it.ads.SecretIsolationAdsTest.secrets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Any;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ca.MeshCa;
import dev.outpost.server.ca.SelfSignedCaDirectory;
import dev.outpost.server.ca.WorkloadCertificate;
import dev.outpost.server.source.FileConfigSource;
import dev.outpost.server.xds.SecretReferences;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.MeshSecrets;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating a Secret in the watched directory reaches the proxy as an SDS update of that Secret
 * alone: listeners and clusters are not pushed (no drain, no warming). A rotation to a broken
 * Secret never leaves a listener waiting for a secret that is not served, and the broken key is
 * never sent. Real parser, translator, checker, mesh CA and ADS server.
 */
class SecretRotationAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String SDS = Resources.V3.SECRET_TYPE_URL;
  private static final String SHOP_CERT = "kubernetes://shop-cert";
  private static final String SHARED = "kubernetes://shared";
  private static final List<String> SECRETS = List.of(SHOP_CERT, SHARED, MeshSecrets.CERTIFICATE, MeshSecrets.TRUST_BUNDLE);
  private static final Node SHOP = node("shop-gw-1", "shop", "shop-gw", "shop-gw");

  @TempDir Path tmp;
  private MeshCa testCa;
  private Path config;
  private String sharedYaml;
  private OutpostServer server;
  private FileConfigSource source;

  @BeforeEach
  void start() throws Exception {
    Instant now = Instant.now();
    testCa = MeshCa.load(new SelfSignedCaDirectory(tmp.resolve("test-ca"), "example.org"), "example.org", now);
    config = Files.createDirectories(tmp.resolve("config"));
    WorkloadCertificate shared = testCa.issue(testCa.spiffeId("shop", "shared"), Duration.ofDays(60), now);
    sharedYaml = secretYaml("shop", "shared", shared.fullChainPem(), shared.keyPem());
    Files.writeString(config.resolve("gateway.yaml"), gatewayYaml("shop", "shop-cert") + sharedYaml);
    MeshCa meshCa = MeshCa.load(new SelfSignedCaDirectory(tmp.resolve("mesh-ca"), "cluster.local"), "cluster.local", now);
    server = OutpostServer.start(
        new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), meshCa, Duration.ofHours(24), Clock.systemUTC());
    source = new FileConfigSource(config, server.publisher(), server.metrics());
    writeShopCert(testCa.issue(testCa.spiffeId("shop", "v1"), Duration.ofDays(60), now));
    source.start();
  }

  @AfterEach
  void stop() throws Exception {
    source.close();
    server.close();
  }

  private String writeShopCert(WorkloadCertificate certificate) throws Exception {
    Files.writeString(config.resolve("shop-cert.yaml"), secretYaml("shop", "shop-cert", certificate.fullChainPem(), certificate.keyPem()));
    return certificate.keyPem();
  }

  @Test
  void sotwRotationPushesOnlyTheSecret() throws Exception {
    try (SotwClient envoy = new SotwClient(server.xdsPort(), SHOP)) {
      envoy.request(CDS, List.of());
      envoy.ack(envoy.await(CDS), List.of());
      envoy.request(LDS, List.of());
      envoy.ack(envoy.await(LDS), List.of());
      envoy.request(SDS, SECRETS);
      DiscoveryResponse first = envoy.await(SDS);
      envoy.ack(first, SECRETS);
      Map<String, Secret> before = secrets(first.getResourcesList());

      String newKey = writeShopCert(testCa.issue(testCa.spiffeId("shop", "v2"), Duration.ofDays(60), Instant.now()));
      DiscoveryResponse rotated = envoy.await(SDS);
      Map<String, Secret> after = secrets(rotated.getResourcesList());
      assertEquals(newKey, key(after.get(SHOP_CERT)));
      assertNotEquals(before.get(SHOP_CERT), after.get(SHOP_CERT));
      for (String unchanged : List.of(SHARED, MeshSecrets.CERTIFICATE, MeshSecrets.TRUST_BUNDLE)) {
        assertEquals(before.get(unchanged), after.get(unchanged), unchanged);
      }
      envoy.ack(rotated, SECRETS);
      envoy.assertNothingFor(LDS, 1500);
      envoy.assertNothingFor(CDS, 100);
    }
  }

  @Test
  void deltaRotationSendsOnlyTheRotatedSecret() throws Exception {
    try (DeltaClient envoy = new DeltaClient(server.xdsPort(), SHOP)) {
      envoy.subscribe(CDS, List.of(), Map.of());
      envoy.ack(envoy.await(CDS));
      envoy.subscribe(LDS, List.of(), Map.of());
      envoy.ack(envoy.await(LDS));
      envoy.subscribe(SDS, SECRETS, Map.of());
      envoy.ack(envoy.await(SDS));

      String newKey = writeShopCert(testCa.issue(testCa.spiffeId("shop", "v2"), Duration.ofDays(60), Instant.now()));
      DeltaDiscoveryResponse rotated = envoy.await(SDS);
      assertEquals(List.of(SHOP_CERT), rotated.getResourcesList().stream().map(Resource::getName).toList());
      assertEquals(List.of(), rotated.getRemovedResourcesList());
      assertEquals(newKey, key(deltaSecrets(rotated).get(SHOP_CERT)));
      envoy.ack(rotated);
      envoy.assertNothingFor(LDS, 1500);
      envoy.assertNothingFor(CDS, 100);
    }
  }

  @Test
  void rotationToAKeyThatDoesNotMatchItsCertificateNeverServesItNorLeavesAListenerWaiting() throws Exception {
    try (SotwClient envoy = new SotwClient(server.xdsPort(), SHOP)) {
      envoy.request(LDS, List.of());
      envoy.ack(envoy.await(LDS), List.of());
      envoy.request(SDS, SECRETS);
      envoy.ack(envoy.await(SDS), SECRETS);

      // The certificate of v3 with the key of another issue: the translator rejects the pair.
      WorkloadCertificate v3 = testCa.issue(testCa.spiffeId("shop", "v3"), Duration.ofDays(60), Instant.now());
      String wrongKey = testCa.issue(testCa.spiffeId("shop", "other"), Duration.ofDays(60), Instant.now()).keyPem();
      Files.writeString(config.resolve("shop-cert.yaml"), secretYaml("shop", "shop-cert", v3.fullChainPem(), wrongKey));

      DiscoveryResponse lds = envoy.await(LDS);
      ImmutableList.Builder<Listener> listeners = ImmutableList.builder();
      for (Any any : lds.getResourcesList()) {
        listeners.add(any.unpack(Listener.class));
      }
      var referenced = SecretReferences.of(
          new EnvoyResources(listeners.build(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of()));
      assertFalse(referenced.contains(SHOP_CERT), "the server that needs the broken Secret is withdrawn: " + referenced);
      envoy.ack(lds, List.of());
      // Whatever SDS sends now, the broken key is not in it, and everything still referenced is served.
      envoy.request(SDS, List.copyOf(referenced));
      Map<String, Secret> served = secrets(envoy.await(SDS).getResourcesList());
      assertTrue(served.keySet().containsAll(referenced), served.keySet() + " vs " + referenced);
      for (Secret secret : served.values()) {
        assertNotEquals(wrongKey, key(secret));
      }
    }
  }
}
