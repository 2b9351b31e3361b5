package dev.outpost.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.KubeSecret;
import dev.outpost.translator.parse.SnapshotAssembler;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The test CA makes certificates that standard PKIX validation accepts, and Secrets the parser reads. */
class TestCaTest {
  private static final TestCa CA = TestCa.create("Outpost IT Root");

  @Test
  void serverCertificateChainsToTheCaAndNamesItsHosts() throws Exception {
    IssuedCertificate server = CA.issueServer("api.example.test", "localhost", "127.0.0.1");

    validate(server.chain(), CA.certificate());
    assertEquals("CN=api.example.test", server.subject());
    assertEquals(
        Set.of(List.of(2, "api.example.test"), List.of(2, "localhost"), List.of(7, "127.0.0.1")),
        Set.copyOf(server.certificate().getSubjectAlternativeNames()));
    assertTrue(server.certificate().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
    assertEquals(-1, server.certificate().getBasicConstraints(), "a leaf, not a CA");
  }

  @Test
  void certificatesFromAnotherCaDoNotValidate() throws Exception {
    IssuedCertificate foreign = TestCa.create("Someone Else").issueClient("intruder");

    assertThrows(CertPathValidatorException.class, () -> validate(foreign.chain(), CA.certificate()));
  }

  @Test
  void everyCertificateHasItsOwnSerialSoRotationIsVisible() throws Exception {
    IssuedCertificate first = CA.issueClient("egress-client");
    IssuedCertificate second = CA.issueClient("egress-client");

    assertEquals(first.subject(), second.subject());
    assertNotEquals(first.serialHex(), second.serialHex());
    assertTrue(first.certificate().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "clientAuth");
  }

  @Test
  void pemRoundTripsAndToStringHidesTheKey() {
    IssuedCertificate server = CA.issueServer("api.example.test");

    assertEquals(server.chain(), Pem.certificates(server.chainPem()));
    assertEquals(server.privateKey(), Pem.privateKey(server.privateKeyPem()));
    assertTrue(server.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertFalse(server.toString().contains("PRIVATE"), server.toString());
    assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(server.chainPem()));
  }

  /** The manifests tests write into a config dir are Secrets the real parser accepts, with the PEM intact. */
  @Test
  void secretManifestIsReadByTheTranslatorsParser() {
    IssuedCertificate client = CA.issueClient("egress-client");
    String yaml =
        SecretManifest.keyPair("istio-system", "client-cert", client).withCa(CA.certificate()).yaml()
            + "---\n"
            + SecretManifest.trustedCa("istio-system", "client-cert-cacert", CA.certificate()).yaml();

    ConfigSnapshot snapshot =
        new SnapshotAssembler().assemble(List.of(new SourceFile("secrets.yaml", yaml)), ConfigSnapshot.EMPTY);

    assertEquals(List.of(), snapshot.diagnostics());
    KubeSecret keyPair = secret(snapshot, "client-cert");
    assertEquals("kubernetes.io/tls", keyPair.type());
    assertEquals(client.chainPem(), keyPair.get("tls.crt").orElseThrow().toString(StandardCharsets.UTF_8));
    assertEquals(client.privateKeyPem(), keyPair.get("tls.key").orElseThrow().toString(StandardCharsets.UTF_8));
    assertEquals(CA.certificatePem(), keyPair.get("ca.crt").orElseThrow().toString(StandardCharsets.UTF_8));
    assertEquals(
        CA.certificatePem(), secret(snapshot, "client-cert-cacert").get("ca.crt").orElseThrow().toString(StandardCharsets.UTF_8));
    assertFalse(SecretManifest.keyPair("ns", "n", client).toString().contains("BEGIN"));
  }

  private static KubeSecret secret(ConfigSnapshot snapshot, String name) {
    return snapshot.secrets().stream().filter(s -> s.metadata().name().equals(name)).findFirst().orElseThrow();
  }

  private static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    // The path excludes the trust anchor itself.
    List<X509Certificate> path = chain.stream().filter(c -> !c.equals(root)).toList();
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
  }
}
