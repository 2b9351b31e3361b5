package dev.outpost.server.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.server.metrics.Metrics;
import dev.outpost.server.xds.SnapshotPublisher;
import dev.outpost.server.xds.XdsCache;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.diag.Diagnostic;
import com.google.common.collect.ImmutableList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileConfigSourceTest {
  private static final String GATEWAY =
      """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata:
        name: egress
        namespace: istio-system
      spec:
        selector:
          istio: egressgateway
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [httpbin.org]
      """;

  @TempDir Path dir;

  private final Metrics metrics = new Metrics();
  private final SnapshotPublisher publisher =
      new SnapshotPublisher(
          new XdsCache(),
          (config, proxy) -> new Translation(EnvoyResources.EMPTY, ImmutableList.of()),
          r -> CheckResult.OK,
          metrics);

  @Test
  void loadsAtStartAndReloadsAfterChangesIncludingRenameOnSave() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), GATEWAY);
    try (FileConfigSource source = new FileConfigSource(dir, publisher, metrics)) {
      source.start();
      assertTrue(publisher.hasConfig());
      assertEquals(1, metrics.configReloads());

      // An editor's save: write a temp file, rename it over the original.
      Path temp = dir.resolve(".a.yaml.swp");
      Files.write(temp, new byte[] {(byte) 0xFF, (byte) 0xFE});
      Files.move(temp, dir.resolve("a.yaml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      await(() -> notUtf8("file a.yaml"));
      assertTrue(metrics.configReloads() >= 2);

      // A new subdirectory is watched too.
      Files.createDirectories(dir.resolve("team"));
      Thread.sleep(300);
      Files.write(dir.resolve("team/b.yaml"), new byte[] {(byte) 0xC3});
      await(() -> notUtf8("file team/b.yaml"));
    }
  }

  @Test
  void followsAConfigMapUpdate() throws Exception {
    // kubelet's layout: name -> ..data/name, ..data -> ..<timestamp>; an update writes a new
    // timestamped dir and atomically renames a new ..data symlink over the old one.
    Files.createDirectories(dir.resolve("..v1"));
    Files.writeString(dir.resolve("..v1/gateway.yaml"), GATEWAY);
    Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
    Files.createSymbolicLink(dir.resolve("gateway.yaml"), Path.of("..data/gateway.yaml"));
    try (FileConfigSource source = new FileConfigSource(dir, publisher, metrics)) {
      source.start();
      assertTrue(!notUtf8("file gateway.yaml"), diagnostics().toString());

      Files.createDirectories(dir.resolve("..v2"));
      Files.write(dir.resolve("..v2/gateway.yaml"), new byte[] {(byte) 0xC0, (byte) 0xAF});
      Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
      Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

      await(() -> notUtf8("file gateway.yaml"));
    }
  }

  @Test
  void aChangeDuringTheFirstLoadIsPickedUp() throws Exception {
    // A ConfigMap update or a second file landing while the first load is still translating
    // must not be missed until some later, unrelated change.
    Files.writeString(dir.resolve("a.yaml"), GATEWAY);
    java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
    SnapshotPublisher writingDuringFirstLoad =
        new SnapshotPublisher(
            new XdsCache(),
            (config, proxy) -> {
              if (first.getAndSet(false)) {
                try {
                  Files.write(dir.resolve("late.yaml"), new byte[] {(byte) 0xC3});
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
              return new Translation(EnvoyResources.EMPTY, ImmutableList.of());
            },
            r -> CheckResult.OK,
            metrics);
    writingDuringFirstLoad.join(
        dev.outpost.server.xds.GroupKey.of(dev.outpost.translator.api.ProxyIdentity.of(
            "n", dev.outpost.translator.api.ProxyRole.GATEWAY, "istio-system", "sa", java.util.Map.of())));
    try (FileConfigSource source = new FileConfigSource(dir, writingDuringFirstLoad, metrics)) {
      source.start();
      await(() -> writingDuringFirstLoad.config().orElseThrow().diagnostics().stream()
          .anyMatch(d -> d.subject().equals("file late.yaml")));
    }
  }

  // The file reader's own finding, whatever the parser thinks of the content.
  private boolean notUtf8(String subject) {
    return diagnostics().stream().anyMatch(d -> d.subject().equals(subject) && d.message().contains("not UTF-8"));
  }

  private List<Diagnostic> diagnostics() {
    return publisher.config().map(c -> (List<Diagnostic>) c.diagnostics()).orElse(List.of());
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
