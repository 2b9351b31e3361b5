package dev.outpost.it.hostile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the hostile-input corpus (issue 16): each case its own test, in this JVM, bounded in time
 * per case ({@link CaseThread}) and, through the Surefire execution that runs this package, in
 * memory (-Xmx512m).
 * See integration-tests/README.md, "Hostile-input corpus".
 */
@Tag(HostileCorpusTest.TAG)
class HostileCorpusTest {
  static final String TAG = "hostile-corpus";
  static final Duration PER_CASE = Duration.ofSeconds(20);
  static final int MIN_CASES = 200;
  static final long MAX_HEAP = 512L << 20;

  @TestFactory
  Stream<DynamicTest> corpus() throws Exception {
    warmUp();
    return cases(false);
  }

  /** The cases selected by the system properties (see the README), light or heavy. */
  static Stream<DynamicTest> cases(boolean heavy) throws Exception {
    ImmutableSet<Needs> skipped = skippedNeeds();
    String only = System.getProperty("outpost.hostile.only", "");
    return HostileCorpus.all().stream()
        .filter(c -> c.heavy() == heavy)
        .filter(c -> c.needs().stream().noneMatch(skipped::contains))
        .filter(c -> c.name().contains(only))
        .map(c -> DynamicTest.dynamicTest(c.displayName(), () -> CaseThread.run(c.displayName(), PER_CASE, () -> run(c))));
  }

  static void run(HostileCase hostile) throws Exception {
    List<RoleOutcome> outcomes;
    if (hostile.mode() == HostileCase.Mode.FILE) {
      Path dir = Files.createTempDirectory("outpost-hostile-");
      try {
        Files.writeString(dir.resolve(GoodConfig.FILE_NAME), GoodConfig.file());
        hostile.files().write(dir);
        if (hostile.viaCli()) {
          ImmutableList.Builder<RoleOutcome> both = ImmutableList.builder();
          for (GoodConfig.Role role : GoodConfig.Role.values()) {
            both.add(FileModeRun.translate(dir, role));
          }
          outcomes = both.build();
        } else {
          outcomes = Pipeline.directory(dir);
        }
      } finally {
        deleteTree(dir);
      }
    } else {
      outcomes = KubernetesModeRun.run(hostile);
    }
    CaseAssertions.assertSafe(hostile, outcomes);
  }

  /**
   * The good config alone, once through each path, outside any case's timeout: the first
   * translation loads the Envoy descriptors and the checker's rules, which on a busy machine takes
   * seconds that are not the first case's doing.
   */
  static void warmUp() throws Exception {
    HostileCase nothing = HostileCase.file("warm-up", "good-config-alone", dir -> {});
    run(nothing);
    run(nothing.viaTranslateCommand());
    run(HostileCase.kubernetes("warm-up", "good-config-alone", ImmutableList.of()));
  }

  @Test
  void theCorpusHasAtLeast200CasesCoveringEveryKindAndBothModes() {
    ImmutableList<HostileCase> all = HostileCorpus.all();
    Map<HostileCase.Mode, Long> byMode =
        all.stream().collect(Collectors.groupingBy(HostileCase::mode, Collectors.counting()));
    assertTrue(all.size() >= MIN_CASES, "only " + all.size() + " cases");
    assertTrue(byMode.getOrDefault(HostileCase.Mode.KUBERNETES, 0L) > 0, "no Kubernetes-mode case: " + byMode);
    for (Manifests.Seed seed : Manifests.ALL) {
      assertTrue(
          all.stream().anyMatch(c -> c.mode() == HostileCase.Mode.FILE && c.name().contains("/" + seed.kind() + "/")),
          "no file-mode case for " + seed.kind());
    }
  }

  /** A diagnostic after a mutation is about the mutation only if the seed alone has none. */
  @Test
  void everySeedIsAcceptedAsWrittenBesideTheGoodConfig() throws Exception {
    for (Manifests.Seed seed : Manifests.ALL) {
      Path dir = Files.createTempDirectory("outpost-hostile-seed-");
      try {
        Files.writeString(dir.resolve(GoodConfig.FILE_NAME), GoodConfig.file());
        Files.writeString(dir.resolve("seed.yaml"), seed.yaml());
        List<RoleOutcome> outcomes = Pipeline.directory(dir);
        CaseAssertions.assertSafe(HostileCase.file("seed", seed.kind(), d -> {}), outcomes);
        for (RoleOutcome o : outcomes) {
          assertTrue(o.diagnostics().isEmpty(), seed.kind() + " " + o.role() + ": " + o.diagnostics());
        }
      } finally {
        deleteTree(dir);
      }
    }
  }

  @Test
  void theCorpusRunsInAHalfGigabyteHeap() {
    long max = Runtime.getRuntime().maxMemory();
    assertTrue(
        max <= MAX_HEAP,
        "the corpus must run with -Xmx512m (integration-tests/pom.xml, execution hostile-corpus); this JVM has "
            + (max >> 20) + " MiB");
  }

  /** {@code -Doutpost.hostile.skipNeeds=REGEX_LIMITS,...}: leave out the cases waiting for those fixes. */
  private static ImmutableSet<Needs> skippedNeeds() {
    String value = System.getProperty("outpost.hostile.skipNeeds", "");
    return Arrays.stream(value.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(Needs::valueOf)
        .collect(ImmutableSet.toImmutableSet());
  }

  /** Deletes links, FIFOs and files without following links; makes unreadable entries deletable. */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
