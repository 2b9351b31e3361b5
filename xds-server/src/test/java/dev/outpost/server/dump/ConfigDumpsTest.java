package dev.outpost.server.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Any;
import dev.outpost.server.xds.XdsSnapshot;
import dev.outpost.translator.api.EnvoyResources;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import org.junit.jupiter.api.Test;

class ConfigDumpsTest {
  private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIEsecret\n-----END PRIVATE KEY-----\n";
  private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIBpublic\n-----END CERTIFICATE-----\n";

  private final ConfigDumps dumps = ConfigDumps.standard();

  @Test
  void secretsAreRedactedLikeEnvoyDoes() throws Exception {
    Secret secret =
        Secret.newBuilder()
            .setName("kubernetes://client-cert")
            .setTlsCertificate(
                TlsCertificate.newBuilder()
                    .setCertificateChain(DataSource.newBuilder().setInlineString(CERT))
                    .setPrivateKey(DataSource.newBuilder().setInlineString(KEY)))
            .build();
    XdsSnapshot snapshot = XdsSnapshot.of(resources(ImmutableList.of(), ImmutableList.of(secret)));

    ConfigDump dump = dumps.build(snapshot);
    SecretsConfigDump secrets = dump.getConfigs(4).unpack(SecretsConfigDump.class);
    TlsCertificate shown = secrets.getDynamicActiveSecrets(0).getSecret().unpack(Secret.class).getTlsCertificate();
    assertEquals("[redacted]", shown.getPrivateKey().getInlineString());
    assertEquals(CERT, shown.getCertificateChain().getInlineString(), "certificates are public and stay");
    assertEquals("kubernetes://client-cert", secrets.getDynamicActiveSecrets(0).getName());
    assertFalse(secrets.getDynamicActiveSecrets(0).getVersionInfo().isEmpty());

    String json = dumps.json(snapshot);
    assertFalse(json.contains("MIIEsecret"), json);
    assertTrue(json.contains("dynamic_active_secrets"), json);
  }

  @Test
  void inlineKeysInsideAnyAreRedactedToo() throws Exception {
    UpstreamTlsContext tls =
        UpstreamTlsContext.newBuilder()
            .setCommonTlsContext(
                CommonTlsContext.newBuilder()
                    .addTlsCertificates(
                        TlsCertificate.newBuilder().setPrivateKey(DataSource.newBuilder().setInlineString(KEY))))
            .build();
    Cluster cluster =
        Cluster.newBuilder()
            .setName("outbound|443||api.example.com")
            .setTransportSocket(
                TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(tls)))
            .build();
    String json = dumps.json(XdsSnapshot.of(resources(ImmutableList.of(cluster), ImmutableList.of())));
    assertFalse(json.contains("MIIEsecret"), json);
    assertTrue(json.contains("[redacted]"), json);
    assertTrue(json.contains("dynamic_active_clusters"), json);
  }

  @Test
  void meshAndKubernetesSecretKeysNeverReachTheDump() throws Exception {
    // The mesh CA's `default` (a real key, inline bytes as served) and a Kubernetes credential as
    // the translator emits it: both keys are redacted, both certificates stay readable.
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("dump-ca");
    var clock = java.time.Clock.systemUTC();
    var ca = dev.outpost.server.ca.MeshCa.load(
        new dev.outpost.server.ca.SelfSignedCaDirectory(dir.resolve("ca"), "cluster.local"), "cluster.local", clock.instant());
    var certificates = new dev.outpost.server.ca.WorkloadCertificates(ca, java.time.Duration.ofHours(1), clock);
    var proxy = dev.outpost.translator.api.ProxyIdentity.of(
        "gw", dev.outpost.translator.api.ProxyRole.GATEWAY, "istio-system", "istio-egressgateway", java.util.Map.of());
    ImmutableList<Secret> mesh = certificates.secretsFor(proxy, dev.outpost.translator.api.MeshSecrets.NAMES);
    String meshKey = certificates.certificate("istio-system", "istio-egressgateway").keyPem();
    ImmutableList<Secret> kubernetes = new dev.outpost.translator.emit.SecretEmitter().emit(java.util.List.of(
        dev.outpost.translator.ir.SdsSecret.keyPair(
            "kubernetes://client-cert",
            com.google.protobuf.ByteString.copyFromUtf8(CERT),
            com.google.protobuf.ByteString.copyFromUtf8(KEY))));
    ImmutableList<Secret> all = ImmutableList.<Secret>builder().addAll(mesh).addAll(kubernetes).build();

    String json = dumps.json(XdsSnapshot.of(resources(ImmutableList.of(), all)));

    for (String key : java.util.List.of(meshKey, KEY)) {
      String body = key.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replace("\n", "");
      assertFalse(json.contains(body.substring(0, Math.min(40, body.length()))), "key body in the dump");
      String base64 = java.util.Base64.getEncoder().encodeToString(key.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertFalse(json.contains(base64.substring(0, 40)), "base64 of the key bytes in the dump");
    }
    assertEquals(2, json.split("\\[redacted\\]", -1).length - 1, json);
    String chain = java.util.Base64.getEncoder().encodeToString(
        mesh.get(0).getTlsCertificate().getCertificateChain().getInlineBytes().toByteArray());
    assertTrue(json.contains(chain), "the mesh certificate chain stays visible");
    assertTrue(json.contains("\"name\": \"ROOTCA\""), json);
    assertTrue(json.contains("\"name\": \"default\""), json);
    assertTrue(json.contains("\"name\": \"kubernetes://client-cert\""), json);
  }

  @Test
  void everyKindOfSecretMaterialIsRedactedWhereverItSits() throws Exception {
    // Generic secrets, key passwords, session ticket keys and an inline key on a listener's TLS
    // context: all are marked sensitive in Envoy's API, and none may show.
    Secret generic = Secret.newBuilder().setName("kubernetes://token")
        .setGenericSecret(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.GenericSecret.newBuilder()
            .setSecret(DataSource.newBuilder().setInlineBytes(com.google.protobuf.ByteString.copyFromUtf8("GENERICsecret"))))
        .build();
    Secret withPassword = Secret.newBuilder().setName("kubernetes://encrypted")
        .setTlsCertificate(TlsCertificate.newBuilder()
            .setCertificateChain(DataSource.newBuilder().setInlineString(CERT))
            .setPrivateKey(DataSource.newBuilder().setFilename("/etc/certs/key.pem"))
            .setPassword(DataSource.newBuilder().setInlineString("PASSWORDsecret")))
        .build();
    Secret tickets = Secret.newBuilder().setName("tickets")
        .setSessionTicketKeys(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsSessionTicketKeys.newBuilder()
            .addKeys(DataSource.newBuilder().setInlineBytes(com.google.protobuf.ByteString.copyFromUtf8("TICKETsecret"))))
        .build();
    var downstream = io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.newBuilder()
        .setCommonTlsContext(CommonTlsContext.newBuilder()
            .addTlsCertificates(TlsCertificate.newBuilder()
                .setCertificateChain(DataSource.newBuilder().setInlineString(CERT))
                .setPrivateKey(DataSource.newBuilder().setInlineBytes(com.google.protobuf.ByteString.copyFromUtf8(KEY)))))
        .build();
    var listener = io.envoyproxy.envoy.config.listener.v3.Listener.newBuilder()
        .setName("0.0.0.0_443")
        .addFilterChains(io.envoyproxy.envoy.config.listener.v3.FilterChain.newBuilder()
            .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(downstream))))
        .build();
    EnvoyResources resources = new EnvoyResources(
        ImmutableList.of(listener), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(generic, withPassword, tickets));

    String json = dumps.json(XdsSnapshot.of(resources));
    ConfigDump dump = dumps.build(XdsSnapshot.of(resources));

    for (String secret : java.util.List.of("GENERICsecret", "PASSWORDsecret", "TICKETsecret", "MIIEsecret")) {
      assertFalse(json.contains(secret), secret + " in " + json);
      String base64 = java.util.Base64.getEncoder().encodeToString(secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertFalse(json.contains(base64.substring(0, 12)), secret + " (base64) in " + json);
      assertFalse(dump.toByteString().toStringUtf8().contains(secret), secret + " in the ConfigDump proto");
    }
    assertTrue(json.contains("MIIBpublic"), "certificates stay");
  }

  @Test
  void anAnyOfATypeThePrinterDoesNotKnowIsEmptiedNotPassedThrough() {
    // Nothing Outpost emits is of an unknown type; if it ever were, its content cannot be checked
    // for keys, so it must not reach the dump as is.
    Any unknown = Any.newBuilder().setTypeUrl("type.googleapis.com/example.Unknown")
        .setValue(com.google.protobuf.ByteString.copyFromUtf8("-----BEGIN PRIVATE KEY-----UNKNOWNsecret")).build();
    var redacted = new SensitiveFields(JsonTypes.registry()).redact(unknown);
    assertEquals(unknown.getTypeUrl(), redacted.getTypeUrl());
    assertFalse(redacted.getValue().toStringUtf8().contains("UNKNOWNsecret"));
  }

  private static EnvoyResources resources(ImmutableList<Cluster> clusters, ImmutableList<Secret> secrets) {
    return new EnvoyResources(ImmutableList.of(), ImmutableList.of(), clusters, ImmutableList.of(), secrets);
  }
}
