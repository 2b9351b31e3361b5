package dev.outpost.translator.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.Translator;
import dev.outpost.translator.api.MeshSecrets;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.check.SnapshotChecker;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.parse.SnapshotAssembler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests: each {@code testdata/<case>.in.yaml} is parsed, translated for the proxy named on
 * its first line (see {@link ProxyLine}), checked by the {@link SnapshotChecker}, and compared with
 * {@code <case>.out.yaml}. Run with {@code -Doutpost.golden.update=true} to rewrite the expected
 * files instead, then review the diff like code.
 */
class GoldenTest {
  static final Path TESTDATA = Paths.get("src", "test", "resources", "testdata");
  /**
   * The instant every golden case is translated at: certificates in the inputs are made valid
   * around it (and the expired/expiring cases relative to it), so the outputs never age.
   */
  static final TranslationContext CONTEXT =
      TranslationContext.at(Instant.parse("2026-06-01T00:00:00Z"));

  private static final boolean UPDATE = Boolean.getBoolean("outpost.golden.update");

  @TestFactory
  Stream<DynamicTest> goldens() throws IOException {
    List<Path> cases;
    try (Stream<Path> files = Files.list(TESTDATA)) {
      cases = files.filter(p -> p.getFileName().toString().endsWith(".in.yaml")).sorted().toList();
    }
    assertFalse(cases.isEmpty(), "no golden cases in " + TESTDATA.toAbsolutePath());
    return cases.stream().map(in -> DynamicTest.dynamicTest(caseName(in), () -> run(in)));
  }

  private static String caseName(Path in) {
    String file = in.getFileName().toString();
    return file.substring(0, file.length() - ".in.yaml".length());
  }

  private static void run(Path in) throws IOException {
    String text = Files.readString(in, StandardCharsets.UTF_8);
    ProxyIdentity proxy = ProxyLine.parse(text);
    ConfigSnapshot snapshot =
        new SnapshotAssembler()
            .assemble(
                List.of(new SourceFile(in.getFileName().toString(), text)), ConfigSnapshot.EMPTY);

    Translation translation = new Translator().translate(snapshot, proxy, CONTEXT);
    Translation again = new Translator().translate(snapshot, proxy, CONTEXT);
    assertEquals(translation, again, "translation is not deterministic");

    CheckResult check = new SnapshotChecker().check(translation.resources(), MeshSecrets.NAMES);
    assertTrue(
        check.ok(),
        () -> "snapshot checker rejected the output:\n" + String.join("\n", check.problems()));

    String actual = new GoldenRenderer().render(snapshot.diagnostics(), translation);
    Path out = in.resolveSibling(caseName(in) + ".out.yaml");
    if (UPDATE) {
      Files.writeString(out, actual, StandardCharsets.UTF_8);
      return;
    }
    assertTrue(
        Files.exists(out),
        () -> out + " is missing; run with -Doutpost.golden.update=true to create it");
    assertEquals(
        Files.readString(out, StandardCharsets.UTF_8), actual, () -> "golden mismatch for " + in);
  }
}
