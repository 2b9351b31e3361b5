package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.ByteString;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.KubeSecret;
import dev.outpost.translator.model.ObjectMeta;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * A key pair Envoy would refuse to load (small RSA key, unsupported curve) is not sent: Envoy
 * would NACK the Secret, and the listener or cluster waiting for it would wait forever.
 */
class LeafKeySupportTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final String FIELD = "spec.servers[0].tls.credentialName";
  /** The JDK dropped secp256k1; BouncyCastle still makes such keys. */
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private static String pem(Object o) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  /** A self-signed certificate valid around NOW, with its key, as a kubernetes.io/tls Secret. */
  private static KubeSecret secret(KeyPair keys, String signature) throws Exception {
    X500Name name = new X500Name("CN=api.example.com");
    var holder =
        new JcaX509v3CertificateBuilder(
                name,
                BigInteger.ONE,
                Date.from(NOW.minusSeconds(86_400)),
                Date.from(NOW.plusSeconds(86_400 * 365)),
                name,
                keys.getPublic())
            .build(
                new JcaContentSignerBuilder(signature).setProvider(BC).build(keys.getPrivate()));
    return new KubeSecret(
        new ObjectMeta("weak", "istio-system", ImmutableSortedMap.of(), ImmutableSortedMap.of(), "test"),
        "kubernetes.io/tls",
        ImmutableSortedMap.of(
            "tls.crt", ByteString.copyFrom(pem(holder), StandardCharsets.UTF_8),
            "tls.key",
            ByteString.copyFrom(
                pem(new JcaPKCS8Generator(keys.getPrivate(), null)), StandardCharsets.UTF_8)));
  }

  private static Diagnostic refused(KubeSecret secret) {
    DiagnosticSink diagnostics = new DiagnosticSink();
    Optional<?> pair =
        new CredentialResolver(ImmutableList.of(secret), "istio-system", NOW, diagnostics)
            .keyPair("Gateway istio-system/egress", FIELD, "weak");
    assertTrue(pair.isEmpty(), "an unloadable certificate must fail closed");
    assertEquals(1, diagnostics.toList().size(), diagnostics.toList()::toString);
    return diagnostics.toList().get(0);
  }

  @Test
  void rsaKeysUnder2048BitsAreRefused() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    Diagnostic d = refused(secret(rsa.generateKeyPair(), "SHA256withRSA"));
    assertEquals(FIELD, d.field());
    assertTrue(d.message().contains("1024-bit RSA key"), d.message());
    assertTrue(d.message().contains("2048 bits or more"), d.message());
  }

  @Test
  void ecdsaOnAnotherCurveIsRefused() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC", BC);
    ec.initialize(new ECGenParameterSpec("secp256k1"));
    Diagnostic d = refused(secret(ec.generateKeyPair(), "SHA256withECDSA"));
    assertTrue(d.message().contains("P-256, P-384 or P-521"), d.message());
  }

  @Test
  void p384AndRsa2048Pass() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    for (KubeSecret s :
        new KubeSecret[] {
          secret(rsa.generateKeyPair(), "SHA256withRSA"),
          secret(ec.generateKeyPair(), "SHA384withECDSA")
        }) {
      DiagnosticSink diagnostics = new DiagnosticSink();
      assertTrue(
          new CredentialResolver(ImmutableList.of(s), "istio-system", NOW, diagnostics)
              .keyPair("Gateway istio-system/egress", FIELD, "weak")
              .isPresent(),
          diagnostics.toList()::toString);
    }
  }
}
