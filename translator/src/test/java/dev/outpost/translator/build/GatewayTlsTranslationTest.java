package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.Translator;
import dev.outpost.translator.api.MeshSecrets;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.check.SnapshotChecker;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.KubeSecret;
import dev.outpost.translator.parse.SnapshotAssembler;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the golden files do not show: the SDS Secret resources a gateway's TLS servers bring along,
 * and the checker's view of mesh secrets. Inputs are the golden cases' own.
 */
class GatewayTlsTranslationTest {
  private static final TranslationContext CONTEXT =
      TranslationContext.at(Instant.parse("2026-06-01T00:00:00Z"));
  private static final ProxyIdentity GATEWAY =
      ProxyIdentity.of(
          "egress-1", ProxyRole.GATEWAY, "istio-system", "sa", Map.of("istio", "egressgateway"));

  private static ConfigSnapshot snapshot(String goldenCase) throws IOException {
    Path in = Paths.get("src", "test", "resources", "testdata", goldenCase + ".in.yaml");
    return new SnapshotAssembler()
        .assemble(
            List.of(
                new SourceFile(
                    in.getFileName().toString(), Files.readString(in, StandardCharsets.UTF_8))),
            ConfigSnapshot.EMPTY);
  }

  private static Translation translate(String goldenCase) throws IOException {
    return new Translator().translate(snapshot(goldenCase), GATEWAY, CONTEXT);
  }

  private static List<String> secretNames(Translation t) {
    return t.resources().secrets().stream().map(Secret::getName).toList();
  }

  @Test
  void aTerminatingServerBringsItsCredentialAsAnSdsSecretWithTheSecretsBytes() throws IOException {
    ConfigSnapshot snapshot = snapshot("gateway-tls-simple-credential");
    Translation t = new Translator().translate(snapshot, GATEWAY, CONTEXT);

    assertEquals(List.of("kubernetes://server-cert"), secretNames(t));
    Secret secret = t.resources().secrets().get(0);
    KubeSecret stored = snapshot.secrets().get(0);
    assertEquals(
        stored.get("tls.crt").orElseThrow(),
        secret.getTlsCertificate().getCertificateChain().getInlineBytes());
    assertTrue(new SnapshotChecker().check(t.resources()).ok());
  }

  @Test
  void mutualBringsTheCaSecretToo() throws IOException {
    assertEquals(
        List.of("kubernetes://server-cert", "kubernetes://server-cert-cacert"),
        secretNames(translate("gateway-tls-mutual")));
  }

  @Test
  void aDroppedServersSecretIsNotReferencedAndTheOtherServerKeepsItsChain() throws IOException {
    Translation t = translate("gateway-tls-credential-missing");

    assertEquals(List.of("kubernetes://server-cert"), secretNames(t));
    Listener listener = t.resources().listeners().get(0);
    assertEquals(
        List.of(List.of("api.example.com")),
        listener.getFilterChainsList().stream()
            .map(c -> List.copyOf(c.getFilterChainMatch().getServerNamesList()))
            .toList());
  }

  @Test
  void meshSecretsAreReferencedButSuppliedByTheServer() throws IOException {
    Translation t = translate("gateway-tls-istio-mutual");

    assertEquals(List.of(), secretNames(t), "default and ROOTCA come from the mesh CA");
    CheckResult strict = new SnapshotChecker().check(t.resources());
    assertFalse(strict.ok(), "without supplied names the references dangle");
    assertTrue(new SnapshotChecker().check(t.resources(), MeshSecrets.NAMES).ok());
  }

  @Test
  void passthroughChainsAllMatchAnSniSoUnknownNamesAreClosed() throws IOException {
    Translation t = translate("gateway-tls-passthrough");

    ImmutableList<FilterChain> chains =
        ImmutableList.copyOf(t.resources().listeners().get(0).getFilterChainsList());
    assertEquals(2, chains.size());
    for (FilterChain chain : chains) {
      assertFalse(chain.getFilterChainMatch().getServerNamesList().isEmpty(), "no catch-all chain");
      assertFalse(chain.hasTransportSocket(), "passthrough: no TLS context");
    }
    assertEquals(List.of(), secretNames(t));
  }

  @Test
  void aPassthroughDestinationThatWouldOriginateTlsIsNotBuilt() throws IOException {
    Translation t = translate("gateway-tls-passthrough-diagnostics");

    List<String> clusters = t.resources().clusters().stream().map(Cluster::getName).toList();
    assertFalse(clusters.contains("outbound|443||origin.example.com"), clusters::toString);
    assertTrue(clusters.contains("outbound|443||api.example.com"), clusters::toString);
  }
}
