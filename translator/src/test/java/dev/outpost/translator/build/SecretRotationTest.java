package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.Translator;
import dev.outpost.translator.api.MeshSecrets;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.check.SnapshotChecker;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.parse.SnapshotAssembler;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Rotation (issue 3): a Secret whose certificate and key are replaced must change only its SDS
 * Secret resource. Listeners and clusters reference it by a name that does not depend on the
 * content, so their versions stay and Envoy neither drains listeners nor rebuilds clusters; it
 * picks the new certificate up for new connections.
 */
class SecretRotationTest {
  private static final TranslationContext CONTEXT =
      TranslationContext.at(Instant.parse("2026-06-01T00:00:00Z"));
  private static final ProxyIdentity GATEWAY =
      ProxyIdentity.of(
          "egress-1", ProxyRole.GATEWAY, "istio-system", "sa", Map.of("istio", "egressgateway"));

  private static String golden(String name) throws IOException {
    return Files.readString(
        Path.of("src", "test", "resources", "testdata", name + ".in.yaml"), StandardCharsets.UTF_8);
  }

  /** The base64 value of {@code key} in the Secret document named {@code secret}. */
  private static String secretValue(String yaml, String secret, String key) {
    Matcher m =
        Pattern.compile(
                "kind: Secret\\n(?:(?!---).*\\n)*?  name: "
                    + Pattern.quote(secret)
                    + "\\n(?:(?!---).*\\n)*?  "
                    + Pattern.quote(key)
                    + ": (\\S+)")
            .matcher(yaml);
    assertTrue(m.find(), secret + " " + key);
    return m.group(1);
  }

  private static Translation translate(String yaml) {
    ConfigSnapshot snapshot =
        new SnapshotAssembler()
            .assemble(List.of(new SourceFile("in.yaml", yaml)), ConfigSnapshot.EMPTY);
    Translation t = new Translator().translate(snapshot, GATEWAY, CONTEXT);
    assertTrue(new SnapshotChecker().check(t.resources(), MeshSecrets.NAMES).ok());
    return t;
  }

  /**
   * Translates {@code yaml}, then again with the key pair of Secret {@code secret} replaced by
   * another valid one, and checks that only Secret resources changed.
   */
  private static void rotate(String yaml, String secret, String newCert, String newKey) {
    String rotated =
        yaml.replace(secretValue(yaml, secret, "tls.crt"), newCert)
            .replace(secretValue(yaml, secret, "tls.key"), newKey);
    assertNotEquals(yaml, rotated);
    Translation before = translate(yaml);
    Translation after = translate(rotated);

    assertEquals(before.diagnostics(), after.diagnostics());
    assertEquals(before.resources().listeners(), after.resources().listeners());
    assertEquals(before.resources().routes(), after.resources().routes());
    assertEquals(before.resources().clusters(), after.resources().clusters());
    assertEquals(before.resources().endpoints(), after.resources().endpoints());
    assertEquals(names(before), names(after));
    Secret old = find(before, "kubernetes://" + secret);
    Secret fresh = find(after, "kubernetes://" + secret);
    assertNotEquals(old, fresh, "the rotated Secret resource carries the new certificate");
    assertEquals(
        com.google.protobuf.ByteString.copyFrom(java.util.Base64.getDecoder().decode(newCert)),
        fresh.getTlsCertificate().getCertificateChain().getInlineBytes());
  }

  private static List<String> names(Translation t) {
    return t.resources().secrets().stream().map(Secret::getName).toList();
  }

  private static Secret find(Translation t, String name) {
    return t.resources().secrets().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + names(t)));
  }

  @Test
  void rotatingAGatewayServerCertificateChangesOnlyItsSecret() throws IOException {
    String other = golden("upstream-tls-mutual-credential");
    rotate(
        golden("gateway-tls-mutual"),
        "server-cert",
        secretValue(other, "client-cert", "tls.crt"),
        secretValue(other, "client-cert", "tls.key"));
  }

  @Test
  void rotatingAnUpstreamClientCertificateChangesOnlyItsSecret() throws IOException {
    String other = golden("gateway-tls-simple-credential");
    rotate(
        golden("upstream-tls-mutual-credential"),
        "client-cert",
        secretValue(other, "server-cert", "tls.crt"),
        secretValue(other, "server-cert", "tls.key"));
  }
}
