package dev.outpost.translator.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.api.InputLimits;
import dev.outpost.translator.diag.Diagnostic;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile files: each limit of {@link InputLimits} bites with one error naming the file, in
 * bounded time, without echoing the content. The timeouts are generous bounds, not benchmarks:
 * without the limits these take from seconds (a 2 MiB scalar) to minutes (a 50 MB one).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DocumentReaderLimitsTest {
  private static final String GOOD =
      "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: ns}\n";

  @Test
  void aFiftyMegabyteScalarIsRefusedBeforeParsing() {
    String text = "a: " + "x".repeat(50 * 1024 * 1024) + "\n";

    Diagnostic d = onlyError(DocumentReader.read("big.yaml", text));

    assertEquals("file big.yaml", d.subject());
    assertTrue(d.message().contains("larger than 4194304 characters"), d.message());
  }

  @Test
  void aScalarOverOneMebibyteInYamlIsRefusedBeforeSnakeYamlScansIt() {
    String text = GOOD + "data: {key: " + "x".repeat(InputLimits.MAX_SCALAR_CHARS + 1) + "}\n";

    Diagnostic d = onlyError(DocumentReader.read("secret.yaml", text));

    assertEquals("line 4", d.field());
    assertTrue(d.message().contains("longer than 1048576 characters"), d.message());
  }

  @Test
  void aLongScalarWithSpacesIsRefusedToo() {
    String text = GOOD + "data:\n  key: \"" + "xxxxxxx ".repeat(150_000) + "\"\n";

    Diagnostic d = onlyError(DocumentReader.read("secret.yaml", text));

    assertEquals("document 1", d.field());
    assertTrue(d.message().contains("longer than 1048576 characters"), d.message());
  }

  @Test
  void aLongJsonStringIsRefused() {
    String text = "{\"kind\": \"Secret\", \"data\": {\"k\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}}";

    Diagnostic d = onlyError(DocumentReader.read("secret.json", text));

    assertTrue(d.message().contains("longer than 1048576 characters"), d.message());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // the worst case SnakeYAML is left with: ~0.5-4 s
  void aScalarJustUnderTheLimitIsRead() {
    String text = GOOD + "data: {key: " + "x".repeat(InputLimits.MAX_SCALAR_CHARS - 100) + "}\n";

    DocumentReader.Result r = DocumentReader.read("secret.yaml", text);

    assertTrue(r.complete(), r.diagnostics().toString());
    assertEquals(1, r.documents().size());
  }

  @Test
  void aBillionLaughsIsRefusedAsAnAlias() {
    StringBuilder text = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      text.append("a").append(i).append(": &a").append(i).append(" [");
      text.append(("*a" + (i - 1) + ", ").repeat(8)).append("*a").append(i - 1).append("]\n");
    }

    Diagnostic d = onlyError(DocumentReader.read("laughs.yaml", text.toString()));

    assertEquals("document 1", d.field());
    assertTrue(d.message().contains("YAML alias (*a0)"), d.message());
  }

  @Test
  void anAliasIsNotSilentlyReadAsItsName() {
    // Jackson reads "*port" as the string "port": the ServiceEntry would change without a word.
    String text = "a: &port 443\nb: *port\n";

    Diagnostic d = onlyError(DocumentReader.read("alias.yaml", text));

    assertTrue(d.message().contains("does not expand YAML anchors and aliases"), d.message());
  }

  @Test
  void tenThousandLevelsOfFlowNestingAreRefused() {
    String text = "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";

    Diagnostic d = onlyError(DocumentReader.read("deep.yaml", text));

    assertTrue(d.message().contains("nested more than 100 levels"), d.message());
  }

  @Test
  void tenThousandLevelsOfJsonNestingAreRefused() {
    String text = "[".repeat(10_000) + "]".repeat(10_000);

    Diagnostic d = onlyError(DocumentReader.read("deep.json", text));

    assertTrue(d.message().contains("nested more than 100 levels"), d.message());
  }

  @Test
  void deepBlockNestingIsRefused() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      text.append(" ".repeat(i)).append("k:\n");
    }
    text.append(" ".repeat(150)).append("v: 1\n");

    Diagnostic d = onlyError(DocumentReader.read("deep.yaml", text.toString()));

    assertTrue(d.message().contains("nested more than 100 levels"), d.message());
  }

  @Test
  void aHugeNumberIsRefused() {
    Diagnostic d = onlyError(DocumentReader.read("n.yaml", "a: " + "9".repeat(500) + "\n"));

    assertTrue(d.message().contains("more than 100 digits"), d.message());
  }

  @Test
  void tooManyDocumentsKeepTheFirstOnesAndSaySo() {
    String text = (GOOD + "---\n").repeat(InputLimits.MAX_RESOURCES_PER_FILE + 5);

    DocumentReader.Result r = DocumentReader.read("many.yaml", text);

    assertFalse(r.complete());
    assertEquals(InputLimits.MAX_RESOURCES_PER_FILE, r.documents().size());
    Diagnostic d = r.diagnostics().get(r.diagnostics().size() - 1);
    assertEquals("document 10001", d.field());
    assertTrue(d.message().contains("past 10000 resources"), d.message());
  }

  @Test
  void tooManyItemsOfAJsonArrayAreRefused() {
    String text = "[" + "{},".repeat(InputLimits.MAX_RESOURCES_PER_FILE) + "{}]";

    Diagnostic d = onlyError(DocumentReader.read("many.json", text));

    assertEquals("document 1", d.field());
    assertTrue(d.message().contains("past 10000 resources"), d.message());
  }

  @Test
  void aMillionEmptyDocumentsAreBounded() {
    Diagnostic d = onlyError(DocumentReader.read("empty.yaml", "---\n".repeat(1_000_000)));

    assertTrue(d.message().contains("past 10000 resources"), d.message());
  }

  /** The one diagnostic of a refused file: an error, short, and not quoting the input. */
  private static Diagnostic onlyError(DocumentReader.Result r) {
    assertFalse(r.complete());
    assertEquals(1, r.diagnostics().size(), r.diagnostics().toString());
    Diagnostic d = r.diagnostics().get(0);
    assertTrue(d.isError());
    assertTrue(d.message().length() < 400, d.message());
    assertFalse(d.message().contains("xxxx") || d.message().contains("lol") || d.message().contains("9999"), d.message());
    return d;
  }
}
