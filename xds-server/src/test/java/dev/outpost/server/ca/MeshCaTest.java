package dev.outpost.server.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshCaTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00.250Z");

  @TempDir Path tmp;

  @Test
  void pluggedCacertsWithAnIntermediateIssuesSpiffeCertificatesThatVerifyToTheRoot() throws Exception {
    TestHierarchy hierarchy = new TestHierarchy(NOW);
    MeshCa ca = MeshCa.load(new PluggedCaDirectory(hierarchy.writeCacerts(tmp.resolve("cacerts"))), "cluster.local", NOW);

    WorkloadCertificate issued = ca.issue(ca.spiffeId("shop", "checkout"), Duration.ofHours(24), NOW);
    X509Certificate leaf = issued.certificate();

    // Identity: the SPIFFE ID as the only, critical, URI SAN; empty subject, as Istio's.
    assertEquals(List.of(List.of(6, "spiffe://cluster.local/ns/shop/sa/checkout")),
        leaf.getSubjectAlternativeNames().stream().map(List::copyOf).toList());
    assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.17"), "SAN must be critical with an empty subject");
    assertEquals("", leaf.getSubjectX500Principal().getName());
    assertEquals(hierarchy.intermediate.getSubjectX500Principal(), leaf.getIssuerX500Principal());
    assertEquals("EC", leaf.getPublicKey().getAlgorithm());
    assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage());
    assertEquals(-1, leaf.getBasicConstraints(), "a workload certificate is not a CA");

    // Validity: whole seconds, from a minute before issue (clock skew) for the TTL.
    Instant issuedAt = NOW.truncatedTo(ChronoUnit.SECONDS);
    assertEquals(issuedAt.minus(Duration.ofMinutes(1)), leaf.getNotBefore().toInstant());
    assertEquals(issuedAt.plus(Duration.ofHours(24)), leaf.getNotAfter().toInstant());
    assertEquals(issuedAt.plus(Duration.ofHours(12)), issued.renewAt());

    // Served chain: leaf + cert-chain.pem; trust bundle: root-cert.pem.
    assertEquals(List.of(leaf, hierarchy.intermediate, hierarchy.root), issued.fullChain());
    assertEquals(List.of(hierarchy.root), Pem.certificates(ca.trustBundlePem().getBytes(), "bundle"));
    verifies(issued.fullChain(), hierarchy.root, NOW);

    // The key in key.pem / SDS belongs to the certificate.
    assertTrue(keyMatches(issued));
    assertFalse(issued.toString().contains("PRIVATE"), issued.toString());
  }

  @Test
  void leafNeverOutlivesTheSigningCa() throws Exception {
    TestHierarchy hierarchy = new TestHierarchy(NOW);
    MeshCa ca = MeshCa.load(new PluggedCaDirectory(hierarchy.writeCacerts(tmp)), "cluster.local", NOW);
    WorkloadCertificate issued = ca.issue(ca.spiffeId("a", "b"), Duration.ofDays(400), NOW);
    assertEquals(hierarchy.intermediate.getNotAfter(), issued.certificate().getNotAfter());
  }

  @Test
  void keyThatDoesNotMatchTheCertificateIsAClearError() throws Exception {
    TestHierarchy hierarchy = new TestHierarchy(NOW);
    Path dir = hierarchy.writeCacerts(tmp);
    Files.writeString(dir.resolve(CacertsLayout.CA_KEY), Pem.encode(Certificates.p256().getPrivate()));
    CaException e = assertThrows(CaException.class, () -> MeshCa.load(new PluggedCaDirectory(dir), "cluster.local", NOW));
    assertTrue(e.getMessage().contains("ca-key.pem does not belong to ca-cert.pem"), e.getMessage());
    assertFalse(e.getMessage().contains("BEGIN"), e.getMessage());
  }

  @Test
  void certificateFromAnotherHierarchyIsAClearError() throws Exception {
    TestHierarchy hierarchy = new TestHierarchy(NOW);
    TestHierarchy other = new TestHierarchy(NOW);
    Path dir = hierarchy.writeCacerts(tmp);
    Files.writeString(dir.resolve(CacertsLayout.ROOT_CERT), Pem.encode(List.of(other.root)));
    CaException e = assertThrows(CaException.class, () -> MeshCa.load(new PluggedCaDirectory(dir), "cluster.local", NOW));
    assertTrue(e.getMessage().contains("ca-cert.pem does not verify to root-cert.pem"), e.getMessage());
  }

  @Test
  void chainThatDoesNotStartWithTheSigningCertificateIsAClearError() throws Exception {
    TestHierarchy hierarchy = new TestHierarchy(NOW);
    Path dir = hierarchy.writeCacerts(tmp);
    Files.writeString(dir.resolve(CacertsLayout.CERT_CHAIN), Pem.encode(List.of(hierarchy.root)));
    CaException e = assertThrows(CaException.class, () -> MeshCa.load(new PluggedCaDirectory(dir), "cluster.local", NOW));
    assertTrue(e.getMessage().contains("cert-chain.pem must start with ca-cert.pem"), e.getMessage());
  }

  @Test
  void withoutCertChainPemTheChainInCaCertPemIsServed() throws Exception {
    TestHierarchy hierarchy = new TestHierarchy(NOW);
    Path dir = hierarchy.writeCacerts(tmp);
    Files.delete(dir.resolve(CacertsLayout.CERT_CHAIN));
    Files.writeString(dir.resolve(CacertsLayout.CA_CERT), Pem.encode(List.of(hierarchy.intermediate, hierarchy.root)));
    MeshCa ca = MeshCa.load(new PluggedCaDirectory(dir), "cluster.local", NOW);
    WorkloadCertificate issued = ca.issue(ca.spiffeId("a", "b"), Duration.ofHours(1), NOW);
    assertEquals(List.of(issued.certificate(), hierarchy.intermediate, hierarchy.root), issued.fullChain());
    verifies(issued.fullChain(), hierarchy.root, NOW);
  }

  @Test
  void missingOrGarbledFilesAreNamed() throws Exception {
    TestHierarchy hierarchy = new TestHierarchy(NOW);
    Path dir = hierarchy.writeCacerts(tmp);
    Files.writeString(dir.resolve(CacertsLayout.CA_KEY), "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");
    CaException garbled = assertThrows(CaException.class, () -> MeshCa.load(new PluggedCaDirectory(dir), "cluster.local", NOW));
    assertTrue(garbled.getMessage().contains(dir.resolve("ca-key.pem") + " is not valid PEM"), garbled.getMessage());

    Files.writeString(dir.resolve(CacertsLayout.CA_KEY), Pem.encode(hierarchy.intermediateKey));
    Files.delete(dir.resolve(CacertsLayout.ROOT_CERT));
    CaException missing = assertThrows(CaException.class, () -> MeshCa.load(new PluggedCaDirectory(dir), "cluster.local", NOW));
    assertTrue(missing.getMessage().contains(dir.resolve("root-cert.pem") + " does not exist"), missing.getMessage());
  }

  @Test
  void expiredCaIsRefused() throws Exception {
    TestHierarchy hierarchy = new TestHierarchy(NOW);
    Path dir = hierarchy.writeCacerts(tmp);
    CaException e = assertThrows(CaException.class,
        () -> MeshCa.load(new PluggedCaDirectory(dir), "cluster.local", NOW.plus(Duration.ofDays(400))));
    assertTrue(e.getMessage().contains("ca-cert.pem is valid from"), e.getMessage());
  }

  @Test
  void selfSignedRootIsGeneratedOncePersistedOwnerOnlyAndReused() throws Exception {
    Path state = tmp.resolve("state").resolve("outpost-ca");
    MeshCa first = MeshCa.load(new SelfSignedCaDirectory(state, "example.org"), "example.org", NOW);
    X509Certificate root = first.signingCa().certificate();
    assertEquals(List.of(root), first.signingCa().roots());
    assertTrue(root.getSubjectX500Principal().getName().contains("O=example.org"), root.getSubjectX500Principal().getName());
    assertEquals(Set.of(PosixFilePermissions.fromString("rwx------")).iterator().next(), Files.getPosixFilePermissions(state));
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(state.resolve(CacertsLayout.CA_KEY)));

    // A restart (or a replica sharing the directory) gets the same root, and so does Istio's layout reader.
    MeshCa again = MeshCa.load(new SelfSignedCaDirectory(state, "example.org"), "example.org", NOW.plus(Duration.ofDays(30)));
    assertArrayEquals(root.getEncoded(), again.signingCa().certificate().getEncoded());
    MeshCa plugged = MeshCa.load(new PluggedCaDirectory(state), "example.org", NOW);
    assertArrayEquals(root.getEncoded(), plugged.signingCa().certificate().getEncoded());

    WorkloadCertificate issued = again.issue(again.spiffeId("ns", "sa"), Duration.ofHours(1), NOW);
    verifies(issued.fullChain(), root, NOW);
  }

  @Test
  void anExistingRootIsReadEvenWhereTheLockCannotBeTaken() throws Exception {
    // As in a read-only volume; a directory named .lock makes opening the lock fail even for root.
    Path state = tmp.resolve("outpost-ca");
    X509Certificate root = MeshCa.load(new SelfSignedCaDirectory(state, "cluster.local"), "cluster.local", NOW).signingCa().certificate();
    Files.delete(state.resolve(".lock"));
    Files.createDirectory(state.resolve(".lock"));
    assertArrayEquals(root.getEncoded(),
        MeshCa.load(new SelfSignedCaDirectory(state, "cluster.local"), "cluster.local", NOW).signingCa().certificate().getEncoded());

    // Without a CA to read, the failure to lock is the error: nothing is generated unlocked.
    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty.resolve(".lock"));
    CaException e = assertThrows(CaException.class,
        () -> MeshCa.load(new SelfSignedCaDirectory(empty, "cluster.local"), "cluster.local", NOW));
    assertTrue(e.getMessage().contains("cannot lock the mesh CA state directory " + empty), e.getMessage());
    assertFalse(Files.exists(empty.resolve(CacertsLayout.CA_KEY)));
  }

  @Test
  void aStateDirectoryOthersCanWriteIsWarnedAbout() throws Exception {
    Path state = tmp.resolve("outpost-ca");
    SelfSignedCaDirectory store = new SelfSignedCaDirectory(state, "cluster.local");
    MeshCa.load(store, "cluster.local", NOW);
    assertTrue(store.writableByOthersWarning().isEmpty(), "created 0700");
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
    String warning = store.writableByOthersWarning().orElseThrow();
    assertTrue(warning.contains("writable by other users (rwxrwxrwx)") && warning.contains("chmod 700"), warning);
  }

  @Test
  void aStateDirectoryOfAnotherUserIsWarnedAbout() throws Exception {
    // Giving a directory to another user takes root; elsewhere this case cannot be set up.
    org.junit.jupiter.api.Assumptions.assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"));
    Path state = tmp.resolve("outpost-ca");
    SelfSignedCaDirectory store = new SelfSignedCaDirectory(state, "cluster.local");
    MeshCa.load(store, "cluster.local", NOW);
    Files.setOwner(state, state.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    String warning = store.writableByOthersWarning().orElseThrow();
    assertTrue(warning.contains("belongs to user nobody, not to root"), warning);
  }

  @Test
  void incompleteStateDirectoryIsReportedNotOverwritten() throws Exception {
    Path state = tmp.resolve("outpost-ca");
    MeshCa.load(new SelfSignedCaDirectory(state, "cluster.local"), "cluster.local", NOW);
    byte[] key = Files.readAllBytes(state.resolve(CacertsLayout.CA_KEY));
    Files.delete(state.resolve(CacertsLayout.CA_CERT));
    CaException e = assertThrows(CaException.class,
        () -> MeshCa.load(new SelfSignedCaDirectory(state, "cluster.local"), "cluster.local", NOW));
    assertTrue(e.getMessage().contains("is incomplete") && e.getMessage().contains("but not ca-cert.pem"), e.getMessage());
    assertArrayEquals(key, Files.readAllBytes(state.resolve(CacertsLayout.CA_KEY)));
  }

  @Test
  void identitiesThatCannotBeSpiffeIdsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SpiffeId("cluster.local", "a/b", "sa"));
    assertThrows(IllegalArgumentException.class, () -> new SpiffeId("Cluster Local", "ns", "sa"));
    assertEquals("spiffe://td/ns/n/sa/s", new SpiffeId("td", "n", "s").uri());
  }

  static void verifies(List<X509Certificate> chain, X509Certificate root, Instant at) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(at));
    List<X509Certificate> path = chain.stream().filter(c -> !c.equals(root)).toList();
    CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
  }

  private static boolean keyMatches(WorkloadCertificate issued) throws Exception {
    var key = Pem.privateKey(issued.keyPem().getBytes(), "key");
    var signer = java.security.Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    var verifier = java.security.Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(issued.certificate().getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    return verifier.verify(signature);
  }
}
