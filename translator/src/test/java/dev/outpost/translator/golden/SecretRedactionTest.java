package dev.outpost.translator.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretRedactionTest {
  private static final String KEY = "-----BEGIN PRIVATE KEY-----\nsecret material\n";
  private static final String CERT = "-----BEGIN CERTIFICATE-----\n";

  @Test
  void privateKeysAreRedactedAndCertificatesSummarised() throws Exception {
    Secret secret =
        Secret.newBuilder()
            .setName("kubernetes://client-cert")
            .setTlsCertificate(
                TlsCertificate.newBuilder()
                    .setCertificateChain(
                        DataSource.newBuilder().setInlineBytes(ByteString.copyFromUtf8(CERT)))
                    .setPrivateKey(DataSource.newBuilder().setInlineString(KEY)))
            .build();
    JsonNode node = new ObjectMapper().readTree(JsonFormat.printer().print(secret));

    SecretRedaction.redact(node);

    assertEquals(
        SecretRedaction.REDACTED,
        node.at("/tlsCertificate/privateKey/inlineString").asText());
    assertEquals(
        "<28 bytes, sha256 ",
        node.at("/tlsCertificate/certificateChain/inlineBytes").asText().substring(0, 18));
    String text = node.toString();
    assertFalse(text.contains("secret material"));
    assertFalse(text.contains(Base64.getEncoder().encodeToString(KEY.getBytes())));
  }
}
