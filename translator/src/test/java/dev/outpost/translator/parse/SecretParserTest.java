package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static dev.outpost.translator.parse.Inputs.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.ByteString;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.KubeSecret;
import dev.outpost.translator.model.ObjectMeta;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretParserTest {
  private static final String KEY_TEXT =
      "-----BEGIN PRIVATE KEY-----\nTOPSECRETKEYMATERIAL\n-----END PRIVATE KEY-----\n";
  private static final String KEY_B64 = Base64.getEncoder().encodeToString(KEY_TEXT.getBytes());

  private static String secret(String body) {
    return """
    apiVersion: v1
    kind: Secret
    metadata: {name: api-cert, namespace: istio-system}
    """
        + body;
  }

  @Test
  void decodesDataAndMergesStringData() {
    ConfigSnapshot s =
        assemble(
            secret(
                """
                type: kubernetes.io/tls
                data:
                  tls.crt: Y2VydA==
                  tls.key: %s
                  ca.crt: b2xk
                stringData:
                  ca.crt: new-ca
                """
                    .formatted(KEY_B64)));
    assertNoDiagnostics(s);
    KubeSecret k = s.secrets().get(0);
    assertEquals("kubernetes.io/tls", k.type());
    assertEquals(ByteString.copyFromUtf8("cert"), k.data().get("tls.crt"));
    assertEquals(ByteString.copyFromUtf8(KEY_TEXT), k.data().get("tls.key"));
    assertEquals(
        ByteString.copyFromUtf8("new-ca"),
        k.get("ca.crt").orElseThrow(),
        "stringData wins, as in Kubernetes");
  }

  @Test
  void typeDefaultsToOpaqueAndBase64MayBeWrapped() {
    String wrapped = KEY_B64.substring(0, 20) + "\n" + KEY_B64.substring(20);
    ConfigSnapshot s = assemble(secret("data:\n  key: |\n" + wrapped.indent(4)));
    assertNoDiagnostics(s);
    assertEquals("Opaque", s.secrets().get(0).type());
    assertEquals(ByteString.copyFromUtf8(KEY_TEXT), s.secrets().get(0).data().get("key"));
  }

  @Test
  void invalidBase64NamesTheKeyButNeverTheValue() {
    ConfigSnapshot s = assemble(secret("data:\n  tls.key: \"TOPSECRET!!@@\"\n  other: 12345678\n"));
    assertRejected(s, "data.tls.key", "not valid base64");
    for (Diagnostic d : s.diagnostics()) {
      assertFalse(d.toString().contains("TOPSECRET"), d.toString());
      assertFalse(d.toString().contains("12345678"), d.toString());
    }
  }

  @Test
  void syntaxErrorInASecretFileDoesNotQuoteIt() {
    ConfigSnapshot s = assemble(secret("data:\n  tls.key: TOPSECRETKEYMATERIAL: more\n"));
    assertEquals(1, s.diagnostics().size());
    assertFalse(
        s.diagnostics().get(0).toString().contains("TOPSECRET"), s.diagnostics().get(0).toString());
  }

  @Test
  void tlsSecretNeedsCertAndKey() {
    assertRejected(
        assemble(secret("type: kubernetes.io/tls\ndata: {tls.crt: Y2VydA==}\n")),
        "data",
        "tls.key");
  }

  @Test
  void invalidKeyNamesAreErrors() {
    assertRejected(
        assemble(secret("stringData: {\"bad/key\": x}\n")),
        "stringData.bad/key",
        "not a valid key");
  }

  @Test
  void toStringNeverPrintsValues() {
    ConfigSnapshot s = assemble(secret("stringData: {tls.key: TOPSECRETKEYMATERIAL}\n"));
    String text = s.secrets().get(0).toString();
    assertFalse(text.contains("TOPSECRET"), text);
    assertTrue(text.contains("tls.key=<20 bytes>"), text);
    assertFalse(s.toString().contains("TOPSECRET"), "nor does the snapshot's toString");
  }

  @Test
  void lastAppliedAnnotationIsDropped() {
    String lastApplied = "{\\\"data\\\":{\\\"tls.key\\\":\\\"" + KEY_B64 + "\\\"}}";
    ConfigSnapshot s =
        assemble(
            secret("stringData: {k: v}\n")
                .replace(
                    "namespace: istio-system}",
                    "namespace: istio-system, annotations:"
                        + " {kubectl.kubernetes.io/last-applied-configuration: \""
                        + lastApplied
                        + "\", keep: me}}"));
    assertNoDiagnostics(s);
    ObjectMeta meta = s.secrets().get(0).metadata();
    assertEquals(ImmutableSortedMap.of("keep", "me"), meta.annotations());
    assertFalse(s.toString().contains(KEY_B64));
  }

  @Test
  void otherSecretApiVersionsAreIgnored() {
    ConfigSnapshot s =
        assemble(secret("stringData: {k: v}\n").replace("apiVersion: v1", "apiVersion: v2"));
    assertTrue(s.secrets().isEmpty());
    assertEquals(1, Inputs.warnings(s).size());
  }
}
