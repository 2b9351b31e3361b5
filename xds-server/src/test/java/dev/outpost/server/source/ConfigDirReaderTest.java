package dev.outpost.server.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.OutboundTrafficMode;
import dev.outpost.translator.parse.SnapshotAssembler;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDirReaderTest {
  @TempDir Path dir;

  @Test
  void readsYamlYmlAndJsonRecursivelyInPathOrder() throws IOException {
    write("b.yaml", "kind: B");
    write("a.yml", "kind: A");
    write("sub/c.json", "{}");
    write("notes.txt", "ignored");
    write("README.md", "ignored");

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of("a.yml", "b.yaml", "sub/c.json"), result.files().stream().map(SourceFile::name).toList());
    assertEquals("kind: A", result.files().get(0).text());
    assertTrue(result.diagnostics().isEmpty());
  }

  @Test
  void skipsHiddenFilesAndDirectories() throws IOException {
    write(".hidden.yaml", "x");
    write(".git/config.yaml", "x");
    write("visible.yaml", "kind: V");

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of("visible.yaml"), result.files().stream().map(SourceFile::name).toList());
  }

  @Test
  void nonUtf8FileIsADiagnosticNamingItAndOthersStillLoad() throws IOException {
    Files.write(dir.resolve("junk.yaml"), new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0x00});
    write("good.yaml", "kind: Good");

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of("good.yaml"), result.files().stream().map(SourceFile::name).toList());
    assertEquals(1, result.diagnostics().size());
    Diagnostic diagnostic = result.diagnostics().get(0);
    assertTrue(diagnostic.isError());
    assertEquals("file junk.yaml", diagnostic.subject());
    assertTrue(diagnostic.message().contains("not UTF-8"), diagnostic.message());
  }

  @Test
  void anUnreadableFileKeepsEveryKindOfTheSnapshot() throws IOException {
    // The read's diagnostics are added to the assembled snapshot; nothing else of it may be lost.
    Files.write(dir.resolve("junk.yaml"), new byte[] {(byte) 0xC3, (byte) 0x28});
    write(
        "config.yaml",
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: apps}
        spec: {ports: [{name: http, port: 80}]}
        ---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: apps}
        spec: {egress: [{hosts: ["./*"]}]}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data: {mesh: "outboundTrafficPolicy: {mode: ALLOW_ANY}"}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-admin, namespace: istio-system}
        spec: {action: DENY, rules: [{to: [{operation: {paths: [/admin]}}]}]}
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: {name: timeouts, namespace: istio-system}
        spec: {configPatches: [{applyTo: CLUSTER, patch: {operation: MERGE, value: {connect_timeout: 2s}}}]}
        """);

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);
    ConfigSnapshot assembled = new SnapshotAssembler().assemble(result.files(), ConfigSnapshot.EMPTY);
    ConfigSnapshot snapshot = result.addDiagnosticsTo(assembled);

    assertEquals(1, snapshot.diagnostics().size(), snapshot.diagnostics().toString());
    assertEquals(1, snapshot.services().size());
    assertEquals(1, snapshot.sidecars().size());
    assertEquals(OutboundTrafficMode.ALLOW_ANY, snapshot.meshConfigs().get(0).outboundTrafficMode());
    assertEquals(1, snapshot.authorizationPolicies().size());
    assertEquals(1, snapshot.envoyFilters().size());
    assertEquals(assembled, new ConfigSnapshot(
        snapshot.serviceEntries(), snapshot.gateways(), snapshot.virtualServices(), snapshot.destinationRules(),
        snapshot.secrets(), snapshot.services(), snapshot.endpointSlices(), snapshot.pods(), snapshot.sidecars(),
        snapshot.meshConfigs(), snapshot.authorizationPolicies(), snapshot.envoyFilters(), assembled.diagnostics()),
        "only the diagnostics differ");
  }

  @Test
  void stripsUtf8ByteOrderMark() throws IOException {
    Files.write(dir.resolve("bom.yaml"), ("\uFEFFkind: X").getBytes(StandardCharsets.UTF_8));
    assertEquals("kind: X", new ConfigDirReader().read(dir).files().get(0).text());
  }

  @Test
  void followsKubernetesConfigMapSymlinks() throws IOException {
    // A mounted ConfigMap: visible names are symlinks through ..data into a hidden timestamped dir.
    write("..2024_01_01/gateway.yaml", "kind: Gateway");
    Files.createSymbolicLink(dir.resolve("..data"), dir.resolve("..2024_01_01").getFileName());
    Files.createSymbolicLink(dir.resolve("gateway.yaml"), Path.of("..data/gateway.yaml"));

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of("gateway.yaml"), result.files().stream().map(SourceFile::name).toList());
    assertEquals("kind: Gateway", result.files().get(0).text());
  }

  @Test
  void aThreeGigabyteFileIsRefusedWithoutReadingItAndTheOthersLoad() throws IOException {
    // Sparse: no disk or memory is used, and the reader must not try to read it.
    try (RandomAccessFile huge = new RandomAccessFile(dir.resolve("huge.yaml").toFile(), "rw")) {
      huge.setLength(3L * 1024 * 1024 * 1024);
    }
    write("good.yaml", "kind: Good");

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of("good.yaml"), names(result));
    Diagnostic d = only(result);
    assertEquals("file huge.yaml", d.subject());
    assertTrue(d.message().contains("3221225472 bytes, larger than the limit of 4194304 bytes"), d.message());
  }

  @Test
  void aFileJustOverTheLimitIsRefusedAndOneAtTheLimitIsRead() throws IOException {
    Files.write(dir.resolve("at.yaml"), new byte[4 * 1024 * 1024]);
    Files.write(dir.resolve("over.yaml"), new byte[4 * 1024 * 1024 + 1]);

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of("at.yaml"), names(result));
    assertEquals("file over.yaml", only(result).subject());
  }

  @Test
  void filesPastTheDirectoryBudgetAreRefusedInPathOrder() throws IOException {
    write("a.yaml", "x".repeat(60));
    write("b.yaml", "y".repeat(30));
    write("c.yaml", "z".repeat(50));

    ConfigDirReader.Result result = new ConfigDirReader(100, 100).read(dir);

    assertEquals(List.of("a.yaml", "b.yaml"), names(result));
    Diagnostic d = only(result);
    assertEquals("file c.yaml", d.subject());
    assertTrue(d.message().contains("limit of 100 bytes in all"), d.message());
  }

  @Test
  void aFifoIsReportedAndNeverOpened() throws Exception {
    Path fifo = dir.resolve("pipe.yaml");
    try {
      Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
      Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed; cannot make a FIFO here");
    } catch (IOException e) {
      Assumptions.abort("mkfifo is not installed: " + e.getMessage());
    }
    write("good.yaml", "kind: Good");

    // Opening the FIFO for reading would block this test until its timeout.
    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of("good.yaml"), names(result));
    Diagnostic d = only(result);
    assertEquals("file pipe.yaml", d.subject());
    assertTrue(d.message().contains("is a named pipe (FIFO), not a regular file"), d.message());
  }

  @Test
  void aDeviceFileIsReportedAndNeverOpened() throws IOException {
    Path zero = Path.of("/dev/zero");
    Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero here");
    Files.createSymbolicLink(dir.resolve("zero.yaml"), zero);

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of(), names(result));
    assertTrue(only(result).message().contains("is a character device, not a regular file"), only(result).message());
  }

  @Test
  void twoLinksToEachOtherAreALoopReportedForEach() throws IOException {
    Files.createSymbolicLink(dir.resolve("a.yaml"), Path.of("b.yaml"));
    Files.createSymbolicLink(dir.resolve("b.yaml"), Path.of("a.yaml"));
    write("good.yaml", "kind: Good");

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of("good.yaml"), names(result));
    assertEquals(2, result.diagnostics().size(), result.diagnostics().toString());
    for (Diagnostic d : result.diagnostics()) {
      assertTrue(d.isError());
      assertTrue(d.message().contains("is a symbolic link loop"), d.message());
    }
    assertEquals(
        List.of("file a.yaml", "file b.yaml"),
        result.diagnostics().stream().map(Diagnostic::subject).sorted().toList());
  }

  @Test
  void aDanglingLinkIsReportedNamingItsTarget() throws IOException {
    Files.createSymbolicLink(dir.resolve("gone.yaml"), Path.of("../elsewhere/gateway.yaml"));
    write("good.yaml", "kind: Good");

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of("good.yaml"), names(result));
    Diagnostic d = only(result);
    assertEquals("file gone.yaml", d.subject());
    assertTrue(d.message().contains("dangling symbolic link: its target \"../elsewhere/gateway.yaml\" does not exist"), d.message());
  }

  @Test
  void aConfigMapWhoseKeyWasRemovedLeavesADanglingLinkThatIsReported() throws IOException {
    write("..2024_01_01/gateway.yaml", "kind: Gateway");
    Files.createSymbolicLink(dir.resolve("..data"), dir.resolve("..2024_01_01").getFileName());
    Files.createSymbolicLink(dir.resolve("gateway.yaml"), Path.of("..data/gateway.yaml"));
    Files.createSymbolicLink(dir.resolve("old.yaml"), Path.of("..data/old.yaml"));

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of("gateway.yaml"), names(result));
    assertTrue(only(result).message().contains("\"..data/old.yaml\" does not exist"), only(result).message());
  }

  @Test
  void anUnreadableFileIsReported() throws IOException {
    Path secret = dir.resolve("secret.yaml");
    Files.writeString(secret, "kind: Secret");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeFalse(Files.isReadable(secret), "running as root: permissions do not apply");

    ConfigDirReader.Result result = new ConfigDirReader().read(dir);

    assertEquals(List.of(), names(result));
    assertTrue(only(result).message().contains("permission denied"), only(result).message());
  }

  @Test
  void missingDirectoryIsAnIoError() {
    assertThrows(IOException.class, () -> new ConfigDirReader().read(dir.resolve("nope")));
  }

  private static List<String> names(ConfigDirReader.Result result) {
    return result.files().stream().map(SourceFile::name).toList();
  }

  private static Diagnostic only(ConfigDirReader.Result result) {
    assertEquals(1, result.diagnostics().size(), result.diagnostics().toString());
    assertTrue(result.diagnostics().get(0).isError());
    return result.diagnostics().get(0);
  }

  private void write(String name, String text) throws IOException {
    Path path = dir.resolve(name);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }
}
