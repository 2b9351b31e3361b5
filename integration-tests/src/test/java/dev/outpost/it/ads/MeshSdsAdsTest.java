package dev.outpost.it.ads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.server.ca.MeshCa;
import dev.outpost.server.ca.SelfSignedCaDirectory;
import dev.outpost.server.ca.WorkloadCertificates;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.MeshSecrets;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mesh certificates over a real ADS stream: SDS {@code default} and {@code ROOTCA} for the proxy's
 * own identity, renewed at half-life by the server's scheduler and pushed on the open stream as a
 * Secret update only, listeners and clusters untouched.
 */
class MeshSdsAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  private static final String SDS = Resources.V3.SECRET_TYPE_URL;
  private static final List<String> MESH = List.of(MeshSecrets.CERTIFICATE, MeshSecrets.TRUST_BUNDLE);
  private static final Duration TTL = Duration.ofHours(24);

  @TempDir Path tmp;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));
  private AdsHarness harness;

  @BeforeEach
  void start() throws Exception {
    MeshCa ca = MeshCa.load(new SelfSignedCaDirectory(tmp.resolve("ca"), "cluster.local"), "cluster.local", clock.instant());
    // The real renewal task on the server's scheduler, checking often; the clock decides what is due.
    harness = new AdsHarness(istioMutualGateway(), clock, new WorkloadCertificates(ca, TTL, clock), Duration.ofMillis(50));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void sotwHalfLifeRenewalPushesOnlyTheSecretOnTheOpenStream() throws Exception {
    Node node = node("egress-1", "istio-system", "istio-egressgateway");
    try (SotwClient envoy = harness.sotw(node)) {
      envoy.request(CDS, List.of());
      DiscoveryResponse cds = envoy.await(CDS);
      envoy.ack(cds, List.of());
      envoy.request(EDS, List.of(CLUSTER));
      DiscoveryResponse eds = envoy.await(EDS);
      envoy.ack(eds, List.of(CLUSTER));
      envoy.request(LDS, List.of());
      DiscoveryResponse lds = envoy.await(LDS);
      envoy.ack(lds, List.of());
      envoy.request(SDS, MESH);
      DiscoveryResponse sds = envoy.await(SDS);
      envoy.ack(sds, MESH);

      Map<String, Secret> first = secrets(sds.getResourcesList());
      X509Certificate root = bundle(first.get(MeshSecrets.TRUST_BUNDLE)).get(0);
      List<X509Certificate> chain = chain(first.get(MeshSecrets.CERTIFICATE));
      assertEquals("spiffe://cluster.local/ns/istio-system/sa/istio-egressgateway", uri(chain.get(0)));
      verifies(chain, root, clock.instant());

      // Not due yet: the scheduler runs but sends nothing.
      clock.advance(TTL.dividedBy(2).minusMinutes(1));
      envoy.assertNothingFor(SDS, 500);

      clock.advance(Duration.ofMinutes(2));
      DiscoveryResponse renewed = envoy.await(SDS);
      assertNotEquals(sds.getVersionInfo(), renewed.getVersionInfo());
      Map<String, Secret> second = secrets(renewed.getResourcesList());
      List<X509Certificate> newChain = chain(second.get(MeshSecrets.CERTIFICATE));
      assertNotEquals(chain.get(0).getSerialNumber(), newChain.get(0).getSerialNumber());
      assertEquals(uri(chain.get(0)), uri(newChain.get(0)));
      assertEquals(first.get(MeshSecrets.TRUST_BUNDLE), second.get(MeshSecrets.TRUST_BUNDLE));
      verifies(newChain, root, clock.instant());
      envoy.ack(renewed, MESH);

      // Listeners, clusters and endpoints were not pushed: no listener drain, no cluster warming.
      envoy.assertNothingFor(LDS, 300);
      envoy.assertNothingFor(CDS, 100);
      envoy.assertNothingFor(EDS, 100);

      String metrics = harness.admin("/metrics");
      assertTrue(metrics.contains("outpost_mesh_certificates_issued_total 2\n"), metrics);
      assertTrue(metrics.contains("outpost_mesh_ca_expiry_timestamp_seconds "), metrics);

      // The debug dump of this proxy shows the certificate, never its key.
      String dump = harness.admin("/debug/config_dump?node=egress-1");
      assertTrue(dump.startsWith("200 "), dump);
      assertTrue(dump.contains("\"name\": \"default\""), dump);
      assertTrue(dump.contains("[redacted]"), dump);
      assertFalse(dump.contains(java.util.Base64.getEncoder().encodeToString(
          second.get(MeshSecrets.CERTIFICATE).getTlsCertificate().getPrivateKey().getInlineBytes().toByteArray())), dump);
    }
  }

  @Test
  void deltaRenewalSendsOnlyTheRenewedCertificate() throws Exception {
    try (DeltaClient envoy = harness.delta(node("egress-1", "istio-system", "istio-egressgateway"))) {
      envoy.subscribe(CDS, List.of(), Map.of());
      envoy.ack(envoy.await(CDS));
      envoy.subscribe(LDS, List.of(), Map.of());
      envoy.ack(envoy.await(LDS));
      envoy.subscribe(SDS, MESH, Map.of());
      DeltaDiscoveryResponse sds = envoy.await(SDS);
      assertEquals(Set.of(MeshSecrets.CERTIFICATE, MeshSecrets.TRUST_BUNDLE),
          Set.copyOf(sds.getResourcesList().stream().map(Resource::getName).toList()));
      envoy.ack(sds);

      clock.advance(TTL.dividedBy(2).plusSeconds(1));
      DeltaDiscoveryResponse renewed = envoy.await(SDS);
      assertEquals(List.of(MeshSecrets.CERTIFICATE), renewed.getResourcesList().stream().map(Resource::getName).toList(),
          "only the changed secret is sent; the unchanged trust bundle is not");
      assertEquals(List.of(), renewed.getRemovedResourcesList());
      envoy.ack(renewed);
      envoy.assertNothingFor(LDS, 300);
      envoy.assertNothingFor(CDS, 100);
    }
  }

  @Test
  void proxiesWithDifferentIdentitiesGetTheirOwnCertificate() throws Exception {
    try (SotwClient shop = harness.sotw(node("shop-gw", "shop", "shop-egress"));
        SotwClient bank = harness.sotw(node("bank-gw", "bank", "bank-egress"))) {
      shop.request(SDS, MESH);
      bank.request(SDS, MESH);
      Map<String, Secret> shopSecrets = secrets(shop.await(SDS).getResourcesList());
      Map<String, Secret> bankSecrets = secrets(bank.await(SDS).getResourcesList());
      assertEquals("spiffe://cluster.local/ns/shop/sa/shop-egress", uri(chain(shopSecrets.get(MeshSecrets.CERTIFICATE)).get(0)));
      assertEquals("spiffe://cluster.local/ns/bank/sa/bank-egress", uri(chain(bankSecrets.get(MeshSecrets.CERTIFICATE)).get(0)));
      assertEquals(shopSecrets.get(MeshSecrets.TRUST_BUNDLE), bankSecrets.get(MeshSecrets.TRUST_BUNDLE));
    }
  }

  private static final String CLUSTER = "outbound|443||gateway.mesh";

  /** A gateway's EDS cluster that originates mesh mTLS (ISTIO_MUTUAL) with SDS default/ROOTCA. */
  private static EnvoyResources istioMutualGateway() {
    EnvoyResources base = Fixtures.egress(List.of("gateway.mesh"), 15);
    ConfigSource ads = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).setResourceApiVersion(ApiVersion.V3).build();
    UpstreamTlsContext tls =
        UpstreamTlsContext.newBuilder()
            .setSni("gateway.mesh")
            .setCommonTlsContext(
                CommonTlsContext.newBuilder()
                    .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder().setName(MeshSecrets.CERTIFICATE).setSdsConfig(ads))
                    .setCombinedValidationContext(
                        CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                            .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                            .setValidationContextSdsSecretConfig(
                                SdsSecretConfig.newBuilder().setName(MeshSecrets.TRUST_BUNDLE).setSdsConfig(ads))))
            .build();
    Cluster original = base.clusters().get(0);
    Cluster mesh = original.toBuilder()
        .setName(CLUSTER)
        .setEdsClusterConfig(original.getEdsClusterConfig().toBuilder().setServiceName(CLUSTER))
        .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(tls)))
        .build();
    var endpoints = base.endpoints().get(0).toBuilder().setClusterName(CLUSTER).build();
    var route = base.routes().get(0).toBuilder();
    route.getVirtualHostsBuilder(0).getRoutesBuilder(0).getRouteBuilder().setCluster(CLUSTER);
    return new EnvoyResources(base.listeners(), ImmutableList.of(route.build()), ImmutableList.of(mesh), ImmutableList.of(endpoints), ImmutableList.of());
  }

  private static Node node(String id, String namespace, String serviceAccount) {
    return Node.newBuilder()
        .setId(id)
        .setCluster("istio-egressgateway")
        .setMetadata(
            Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())
                .putFields("ROLE", Value.newBuilder().setStringValue("gateway").build())
                .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue(serviceAccount).build())
                .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder().putFields(
                    "istio", Value.newBuilder().setStringValue("egressgateway").build())).build()))
        .build();
  }

  private static Map<String, Secret> secrets(List<Any> resources) throws Exception {
    java.util.TreeMap<String, Secret> out = new java.util.TreeMap<>();
    for (Any any : resources) {
      Secret secret = any.unpack(Secret.class);
      out.put(secret.getName(), secret);
    }
    return out;
  }

  private static List<X509Certificate> chain(Secret secret) throws Exception {
    return certificates(secret.getTlsCertificate().getCertificateChain().getInlineBytes().toByteArray());
  }

  private static List<X509Certificate> bundle(Secret secret) throws Exception {
    return certificates(secret.getValidationContext().getTrustedCa().getInlineBytes().toByteArray());
  }

  private static List<X509Certificate> certificates(byte[] pem) throws Exception {
    return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
        .map(X509Certificate.class::cast).toList();
  }

  private static String uri(X509Certificate certificate) throws Exception {
    return (String) List.copyOf(certificate.getSubjectAlternativeNames()).get(0).get(1);
  }

  private static void verifies(List<X509Certificate> chain, X509Certificate root, Instant at) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(java.util.Date.from(at));
    List<X509Certificate> path = chain.stream().filter(c -> !c.equals(root)).toList();
    CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
  }

  /** Time that only the test moves. */
  static final class ManualClock extends Clock {
    private volatile Instant now;

    ManualClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
