package dev.outpost.translator.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.ir.EgressConfig;
import dev.outpost.translator.ir.Endpoint;
import dev.outpost.translator.ir.SdsSecret;
import dev.outpost.translator.ir.UpstreamCluster;
import dev.outpost.translator.ir.UpstreamTls;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher.SanType;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class UpstreamTlsEmitterTest {
  private static final SdsSecret CLIENT =
      SdsSecret.keyPair(
          "kubernetes://client-cert",
          ByteString.copyFromUtf8("-----BEGIN CERTIFICATE-----\n"),
          ByteString.copyFromUtf8("-----BEGIN PRIVATE KEY-----\n"));
  private static final SdsSecret CLIENT_CA =
      SdsSecret.trustBundle(
          "kubernetes://client-cert-cacert", ByteString.copyFromUtf8("-----BEGIN CERTIFICATE-----\n"));

  private final UpstreamTlsEmitter emitter = new UpstreamTlsEmitter();

  private static UpstreamTls mutualOverSds() {
    return new UpstreamTls(
        Optional.of("api.example.com"),
        ImmutableList.of(),
        Optional.of(new UpstreamTls.ClientCertificate.Sds(CLIENT)),
        Optional.of(new UpstreamTls.TrustAnchor.Sds(CLIENT_CA)),
        ImmutableList.of("api.example.com"));
  }

  private static UpstreamTlsContext context(TransportSocket socket)
      throws InvalidProtocolBufferException {
    assertEquals("envoy.transport_sockets.tls", socket.getName());
    return socket.getTypedConfig().unpack(UpstreamTlsContext.class);
  }

  @Test
  void sdsCertificateAndCombinedValidationContextWithTheSans() throws Exception {
    UpstreamTlsContext tls = context(emitter.transportSocket(mutualOverSds()));

    assertEquals("api.example.com", tls.getSni());
    CommonTlsContext common = tls.getCommonTlsContext();
    assertEquals(1, common.getTlsCertificateSdsSecretConfigsCount());
    assertEquals("kubernetes://client-cert", common.getTlsCertificateSdsSecretConfigs(0).getName());
    assertTrue(common.getTlsCertificateSdsSecretConfigs(0).getSdsConfig().hasAds());
    assertEquals(0, common.getTlsCertificatesCount(), "no inline key material in the cluster");
    var combined = common.getCombinedValidationContext();
    assertEquals(
        "kubernetes://client-cert-cacert", combined.getValidationContextSdsSecretConfig().getName());
    var san = combined.getDefaultValidationContext().getMatchTypedSubjectAltNames(0);
    assertEquals(SanType.DNS, san.getSanType());
    assertEquals("api.example.com", san.getMatcher().getExact());
  }

  @Test
  void filesAreFilenameDataSourcesAndTheCaFileCarriesTheSans() throws Exception {
    UpstreamTls files =
        new UpstreamTls(
            Optional.of("api.example.com"),
            ImmutableList.of("h2"),
            Optional.of(new UpstreamTls.ClientCertificate.Files("/etc/c.pem", "/etc/c.key")),
            Optional.of(new UpstreamTls.TrustAnchor.File(UpstreamTls.SYSTEM_TRUST_STORE)),
            ImmutableList.of("api.example.com", "spiffe://td/ns/a/sa/b", "192.0.2.1", "2001:db8::1"));
    CommonTlsContext common = context(emitter.transportSocket(files)).getCommonTlsContext();

    assertEquals(List.of("h2"), common.getAlpnProtocolsList());
    assertEquals("/etc/c.pem", common.getTlsCertificates(0).getCertificateChain().getFilename());
    assertEquals("/etc/c.key", common.getTlsCertificates(0).getPrivateKey().getFilename());
    var validation = common.getValidationContext();
    assertEquals("/etc/ssl/certs/ca-certificates.crt", validation.getTrustedCa().getFilename());
    assertEquals(
        List.of(SanType.DNS, SanType.URI, SanType.IP_ADDRESS, SanType.IP_ADDRESS),
        validation.getMatchTypedSubjectAltNamesList().stream().map(m -> m.getSanType()).toList());
  }

  @Test
  void insecureSkipVerifyHasNoValidationContextAtAll() throws Exception {
    UpstreamTls insecure =
        new UpstreamTls(
            Optional.of("api.example.com"),
            ImmutableList.of(),
            Optional.empty(),
            Optional.empty(),
            ImmutableList.of());
    CommonTlsContext common = context(emitter.transportSocket(insecure)).getCommonTlsContext();
    assertEquals(
        CommonTlsContext.ValidationContextTypeCase.VALIDATIONCONTEXTTYPE_NOT_SET,
        common.getValidationContextTypeCase());
    assertFalse(emitter.upstreamHttpProtocolOptions(insecure).isPresent());
  }

  @Test
  void automaticSniTakesTheNameFromTheRequestAndVerifiesIt() throws Exception {
    UpstreamTls auto =
        new UpstreamTls(
            Optional.empty(),
            ImmutableList.of(),
            Optional.empty(),
            Optional.of(new UpstreamTls.TrustAnchor.File(UpstreamTls.SYSTEM_TRUST_STORE)),
            ImmutableList.of());
    assertEquals("", context(emitter.transportSocket(auto)).getSni());
    var options = emitter.upstreamHttpProtocolOptions(auto).orElseThrow();
    assertTrue(options.getAutoSni());
    assertTrue(options.getAutoSanValidation());
  }

  @Test
  void clusterCarriesTheSocketAndTheSnapshotTheReferencedSecrets() throws Exception {
    UpstreamCluster cluster =
        new UpstreamCluster(
            "outbound|443||api.example.com",
            UpstreamCluster.Discovery.STRICT_DNS,
            UpstreamCluster.UpstreamProtocol.HTTP1,
            ImmutableList.of(new Endpoint("api.example.com", 443, 1, "", com.google.common.collect.ImmutableSortedMap.of())),
            dev.outpost.translator.ir.LoadBalancer.ROUND_ROBIN,
            UpstreamCluster.DEFAULT_CONNECT_TIMEOUT,
            Optional.empty(),
            Optional.empty(),
            OptionalInt.empty(),
            Optional.empty(),
            Optional.of(mutualOverSds()));
    EnvoyResources resources =
        new ResourceEmitter().emit(new EgressConfig(ImmutableList.of(), ImmutableList.of(cluster)));

    Cluster emitted =
        resources.clusters().stream()
            .filter(c -> c.getName().equals(cluster.name()))
            .findFirst()
            .orElseThrow();
    assertEquals("kubernetes://client-cert-cacert",
        context(emitted.getTransportSocket())
            .getCommonTlsContext()
            .getCombinedValidationContext()
            .getValidationContextSdsSecretConfig()
            .getName());
    assertFalse(
        emitted
            .getTypedExtensionProtocolOptionsOrThrow(ClusterEmitter.HTTP_PROTOCOL_OPTIONS)
            .unpack(HttpProtocolOptions.class)
            .hasUpstreamHttpProtocolOptions(),
        "a concrete SNI needs no auto SNI");
    assertEquals(
        List.of("kubernetes://client-cert", "kubernetes://client-cert-cacert"),
        resources.secrets().stream().map(Secret::getName).toList());
    assertEquals(CLIENT.privateKey(), resources.secrets().get(0).getTlsCertificate().getPrivateKey().getInlineBytes());
  }

  @Test
  void meshSecretsAreReferencedButNotEmitted() {
    UpstreamTls mesh =
        new UpstreamTls(
            Optional.of("outbound_.443_._.api.mesh"),
            ImmutableList.of("istio"),
            Optional.of(new UpstreamTls.ClientCertificate.Sds(SdsSecret.meshCertificate())),
            Optional.of(new UpstreamTls.TrustAnchor.Sds(SdsSecret.meshTrustBundle())),
            ImmutableList.of());
    assertEquals(
        List.of("default", "ROOTCA"), mesh.secrets().stream().map(SdsSecret::name).toList());
    assertEquals(List.of(), new SecretEmitter().emit(mesh.secrets()));
  }
}
