package dev.outpost.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CaCommandsTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = OutpostCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void issueWritesACertificateThatTheJdkVerifiesAgainstTheRoot() throws Exception {
    Path state = tmp.resolve("outpost-ca");
    Path dir = tmp.resolve("client");
    assertEquals(0, run("ca", "issue", "--namespace", "shop", "--service-account", "curl", "--out", dir.toString(),
        "--ca-state-dir", state.toString(), "--trust-domain", "example.org", "--ttl", "2h"), err.toString());
    assertTrue(out.toString().contains("issued spiffe://example.org/ns/shop/sa/curl"), out.toString());

    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    List<X509Certificate> chain = x509.generateCertificates(Files.newInputStream(dir.resolve("cert.pem"))).stream()
        .map(X509Certificate.class::cast).toList();
    X509Certificate root = (X509Certificate) x509.generateCertificate(Files.newInputStream(dir.resolve("root-cert.pem")));
    X509Certificate leaf = chain.get(0);
    assertEquals("spiffe://example.org/ns/shop/sa/curl", List.copyOf(leaf.getSubjectAlternativeNames()).get(0).get(1));
    assertEquals(7200_000L, leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime() - 60_000L);

    // What a TLS peer does with it: build the path from the leaf to the trusted root.
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    List<X509Certificate> path = chain.stream().filter(c -> !c.equals(root)).toList();
    CertPathValidator.getInstance("PKIX").validate(x509.generateCertPath(path), parameters);

    // key.pem: owner-only, PKCS#8, and the certificate's key.
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dir.resolve("key.pem")));
    String pem = Files.readString(dir.resolve("key.pem"));
    byte[] der = Base64.getMimeDecoder().decode(pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""));
    var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(new byte[] {42});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(leaf.getPublicKey());
    verifier.update(new byte[] {42});
    assertTrue(verifier.verify(signature));

    // The root is the one the server uses from the same state directory.
    StringWriter rootOut = new StringWriter();
    CommandLine cli = OutpostCli.commandLine();
    cli.setOut(new PrintWriter(rootOut));
    assertEquals(0, cli.execute("ca", "root", "--ca-state-dir", state.toString()));
    assertArrayEquals(root.getEncoded(),
        x509.generateCertificate(new ByteArrayInputStream(rootOut.toString().getBytes())).getEncoded());
    assertEquals(rootOut.toString(), Files.readString(state.resolve("root-cert.pem")));
  }

  @Test
  void pluggedCaAndStateDirExcludeEachOther() {
    assertEquals(1, run("ca", "issue", "--namespace", "a", "--service-account", "b", "--out", tmp.toString(),
        "--ca-dir", tmp.resolve("x").toString(), "--ca-state-dir", tmp.resolve("y").toString()));
    assertTrue(err.toString().contains("--ca-dir and --ca-state-dir exclude each other"), err.toString());
  }

  @Test
  void brokenPluggedCaIsOneLineWithTheFile() {
    assertEquals(1, run("ca", "issue", "--namespace", "a", "--service-account", "b", "--out", tmp.resolve("o").toString(),
        "--ca-dir", tmp.toString()));
    assertTrue(err.toString().startsWith("outpost ca issue: " + tmp.resolve("ca-cert.pem") + " does not exist"), err.toString());
    assertFalse(Files.exists(tmp.resolve("o")), "nothing is written when the CA cannot be loaded");
  }

  @Test
  void invalidIdentityAndTtlAreUsageErrors() {
    assertEquals(1, run("ca", "issue", "--namespace", "a/b", "--service-account", "b", "--out", tmp.resolve("o").toString(),
        "--ca-state-dir", tmp.resolve("s").toString()));
    assertTrue(err.toString().contains("namespace \"a/b\" cannot be part of a SPIFFE ID"), err.toString());
    assertEquals(1, run("ca", "issue", "--namespace", "a", "--service-account", "b", "--out", tmp.resolve("o").toString(),
        "--ttl", "soon"));
    assertTrue(err.toString().contains("\"soon\" is not a duration"), err.toString());
  }

  @Test
  void serveWithAPortOutOfRangeSaysSoWithoutAStackTrace() {
    assertEquals(1, run("serve", "--xds-port", "70000"));
    assertTrue(err.toString().contains("70000 is not a port: use 0-65535"), err.toString());
    assertFalse(err.toString().contains("\tat "), err.toString());
    assertFalse(err.toString().contains("Exception"), err.toString());
  }

  @Test
  void serveWithABrokenPluggedCaExitsOneBeforeListening() throws Exception {
    java.nio.file.Files.writeString(tmp.resolve("ca-cert.pem"), "not a certificate");
    assertEquals(1, run("serve", "--ca-dir", tmp.toString(), "--xds-port", "0", "--admin-port", "0"));
    assertTrue(err.toString().startsWith("outpost serve: " + tmp.resolve("ca-cert.pem") + " holds no PEM certificate"), err.toString());
  }
}
