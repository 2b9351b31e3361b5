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

  private static EnvoyResources resources(ImmutableList<Cluster> clusters, ImmutableList<Secret> secrets) {
    return new EnvoyResources(ImmutableList.of(), ImmutableList.of(), clusters, ImmutableList.of(), secrets);
  }
}
