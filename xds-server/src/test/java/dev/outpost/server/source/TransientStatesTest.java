package dev.outpost.server.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.outpost.server.metrics.Metrics;
import dev.outpost.server.xds.SnapshotPublisher;
import dev.outpost.server.xds.XdsCache;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file source under the transient states of real deployments: a file truncated and written
 * again, a directory replaced by another (mv, or a symlink re-pointed as git-sync does), a
 * directory that vanishes for a while. None of them may erase what was served.
 */
class TransientStatesTest {
  static final String EGRESS =
      """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [httpbin.org]
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        hosts: [httpbin.org]
        gateways: [gw]
        http:
        - route:
          - destination: {host: httpbin.org, port: {number: 80}}
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: httpbin, namespace: istio-system}
      spec:
        hosts: [httpbin.org]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: DNS
      """;

  /** The same three resources under other names (and another host), for a second file. */
  static String named(String name) {
    return EGRESS.replace("httpbin", name)
        .replace("{name: gw,", "{name: " + name + "-gw,")
        .replace("gateways: [gw]", "gateways: [" + name + "-gw]");
  }

  private static final FileConfigSource.Settings FAST =
      new FileConfigSource.Settings(
          Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMillis(1500), Duration.ofMillis(200));

  @TempDir Path tmp;

  private final Metrics metrics = new Metrics();
  private final SnapshotPublisher publisher =
      new SnapshotPublisher(
          new XdsCache(),
          (config, proxy) -> new Translation(EnvoyResources.EMPTY, ImmutableList.of()),
          r -> CheckResult.OK,
          metrics);

  private FileConfigSource source(Path dir, FileConfigSource.Settings settings) {
    return new FileConfigSource(dir, publisher, metrics, new ConfigDirStatus(dir), settings);
  }

  /** The reproduction: truncate, then half a second later write it back with one mistake. */
  @Test
  void aTruncatedFileRewrittenWithAMistakeKeepsEveryLastGoodVersion() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("config"));
    Files.writeString(dir.resolve("egress.yaml"), EGRESS);
    try (FileConfigSource source = source(dir, FileConfigSource.Settings.DEFAULT)) {
      source.start();
      ConfigSnapshot good = config();
      assertEquals(1, good.virtualServices().size());

      Files.writeString(dir.resolve("egress.yaml"), "");
      await(() -> hasDiagnostic("VirtualService istio-system/httpbin", "stays in effect until"));
      assertSameResources(good, config());
      Thread.sleep(500);
      Files.writeString(dir.resolve("egress.yaml"), EGRESS.replace("gateways: [gw]", "gateways: gw"));

      await(() -> hasDiagnostic("VirtualService istio-system/httpbin", "its last good version"));
      assertSameResources(good, config());
    }
  }

  /**
   * A file the reader refuses (here: grown past the size limit, as a runaway `cmd >> file` does)
   * is not a deletion: its resources keep their last good versions until it is fixed.
   */
  @Test
  void aFileThatCannotBeReadAnyMoreKeepsItsResources() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("config"));
    Path file = dir.resolve("egress.yaml");
    Files.writeString(file, EGRESS);
    try (FileConfigSource source = source(dir, FileConfigSource.Settings.DEFAULT)) {
      source.start();
      ConfigSnapshot good = config();
      try (java.io.RandomAccessFile grown = new java.io.RandomAccessFile(file.toFile(), "rw")) {
        grown.setLength(dev.outpost.translator.api.InputLimits.MAX_FILE_BYTES + 1); // sparse
      }
      await(() -> hasDiagnostic("file egress.yaml", "larger than the limit"));
      assertSameResources(good, config());
      assertTrue(hasDiagnostic("Gateway istio-system/gw", "its last good version stays in effect until the file is fixed"));
    }
  }

  @Test
  void aFileStillEmptyAfterTheGracePeriodIsDeletedWithoutAnotherChange() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("config"));
    Files.writeString(dir.resolve("egress.yaml"), EGRESS);
    Files.writeString(dir.resolve("other.yaml"), named("other"));
    try (FileConfigSource source = source(dir, FAST)) {
      source.start();
      Files.writeString(dir.resolve("egress.yaml"), "# emptied\n");
      await(() -> hasDiagnostic("Gateway istio-system/gw", "stays in effect until"));
      assertEquals(2, config().gateways().size());
      assertTrue(metrics.prometheusText().contains("outpost_config_files_in_flux 1\n"));

      await(() -> config().gateways().size() == 1);
      assertEquals("other", config().virtualServices().get(0).metadata().name());
      assertFalse(hasDiagnostic("Gateway istio-system/gw", ""));
      assertTrue(metrics.prometheusText().contains("outpost_config_files_in_flux 0\n"));
    }
  }

  @Test
  void aFileDeletedOutrightIsDeletedAtOnce() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("config"));
    Files.writeString(dir.resolve("egress.yaml"), EGRESS);
    Files.writeString(dir.resolve("other.yaml"), named("other"));
    try (FileConfigSource source = source(dir, FileConfigSource.Settings.DEFAULT)) {
      source.start();
      Files.delete(dir.resolve("other.yaml"));
      await(() -> config().gateways().size() == 1);
    }
  }

  @Test
  void aDirectoryLeftWithoutFilesIsInFlux() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("config"));
    Files.writeString(dir.resolve("egress.yaml"), EGRESS);
    try (FileConfigSource source = source(dir, FAST)) {
      source.start();
      ConfigSnapshot good = config();
      Files.delete(dir.resolve("egress.yaml"));
      await(() -> hasDiagnostic("Gateway istio-system/gw", "stays in effect until"));
      assertSameResources(good, config());
      await(() -> config().gateways().isEmpty());
    }
  }

  /** {@code mv DIR DIR.old; mv NEW DIR}: the watches followed DIR.old, and no edit was seen again. */
  @Test
  void aReplacedDirectoryIsReloadedAndWatched() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("config"));
    Files.writeString(dir.resolve("egress.yaml"), EGRESS);
    try (FileConfigSource source = source(dir, FAST)) {
      source.start();
      Path next = Files.createDirectory(tmp.resolve("next"));
      Files.writeString(next.resolve("egress.yaml"), EGRESS);
      Files.writeString(next.resolve("other.yaml"), named("other"));
      Files.move(dir, tmp.resolve("config.old"));
      Files.move(next, dir);

      // The reload reads the path, so it may see the new directory before the watcher noticed.
      await(() -> config().virtualServices().size() == 2 && source.status().replacements() == 1);

      // Edits inside the new directory are seen; edits in the old one are not read.
      Files.writeString(tmp.resolve("config.old/egress.yaml"), "");
      Files.writeString(dir.resolve("third.yaml"), named("third"));
      await(() -> config().virtualServices().size() == 3);
      assertFalse(hasDiagnostic("Gateway istio-system/gw", "stays in effect"));
      assertTrue(metrics.prometheusText().contains("outpost_config_directory_replacements_total 1\n"));
    }
  }

  /** git-sync: DIR is a symlink to a revision; a new revision is published by renaming a new link over it. */
  @Test
  void aRepointedSymlinkIsFollowed() throws Exception {
    Path rev1 = Files.createDirectory(tmp.resolve("rev1"));
    Files.writeString(rev1.resolve("egress.yaml"), EGRESS);
    Path dir = Files.createSymbolicLink(tmp.resolve("config"), Path.of("rev1"));
    try (FileConfigSource source = source(dir, FAST)) {
      source.start();
      Path rev2 = Files.createDirectory(tmp.resolve("rev2"));
      Files.writeString(rev2.resolve("egress.yaml"), EGRESS);
      Files.writeString(rev2.resolve("other.yaml"), named("other"));
      Files.createSymbolicLink(tmp.resolve("config.tmp"), Path.of("rev2"));
      Files.move(tmp.resolve("config.tmp"), dir, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

      await(() -> config().virtualServices().size() == 2);
      Files.writeString(rev2.resolve("third.yaml"), named("third"));
      await(() -> config().virtualServices().size() == 3);
    }
  }

  @Test
  void aVanishedDirectoryKeepsTheLastGoodConfigAndIsReloadedWhenBack() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("config"));
    Files.writeString(dir.resolve("egress.yaml"), EGRESS);
    try (FileConfigSource source = source(dir, FAST)) {
      source.start();
      ConfigSnapshot good = config();
      long reloads = metrics.configReloads();
      assertTrue(source.status().available());
      assertEquals(java.util.Optional.empty(), source.status().detail());

      Files.move(dir, tmp.resolve("elsewhere"));
      await(() -> !source.status().available());
      assertSameResources(good, config());
      assertEquals(reloads, metrics.configReloads(), "nothing was read from the missing directory");
      assertTrue(source.status().detail().orElseThrow().contains("config directory " + dir + " is missing since"));
      assertTrue(source.status().detail().orElseThrow().contains("serving the last good config, loaded at"));
      assertTrue(metrics.prometheusText().contains("outpost_config_source_available 0\n"));

      Files.writeString(tmp.resolve("elsewhere/other.yaml"), named("other"));
      Files.move(tmp.resolve("elsewhere"), dir);
      await(() -> source.status().available() && config().virtualServices().size() == 2);
      assertTrue(metrics.prometheusText().contains("outpost_config_source_available 1\n"));
      assertEquals(java.util.Optional.empty(), source.status().detail());
    }
  }

  private ConfigSnapshot config() {
    return publisher.config().orElseThrow();
  }

  private boolean hasDiagnostic(String subject, String text) {
    List<Diagnostic> diagnostics = config().diagnostics();
    return diagnostics.stream().anyMatch(d -> d.subject().equals(subject) && d.message().contains(text));
  }

  private static void assertSameResources(ConfigSnapshot expected, ConfigSnapshot actual) {
    assertEquals(expected.gateways(), actual.gateways());
    assertEquals(expected.virtualServices(), actual.virtualServices());
    assertEquals(expected.serviceEntries(), actual.serviceEntries());
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 10 s");
      }
      Thread.sleep(25);
    }
  }
}
