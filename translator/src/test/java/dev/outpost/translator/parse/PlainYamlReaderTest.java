package dev.outpost.translator.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fast reader must read exactly what Jackson reads (same node types, same order) or decline:
 * every case here is read both ways and compared.
 */
class PlainYamlReaderTest {

  /** Read by the fast reader. */
  private static final List<String> PLAIN =
      List.of(
          "a: b",
          "---\na: b\n",
          "a: b\n---\nc: d\n",
          "# comment\n---\na: b # trailing\n\n  # indented comment\nc: 'x'\n",
          "a:\n  b: c\n  d:\n    e: f\ng: h\n",
          "a:\n- x\n- y\nb: z\n",
          "a:\n  - x\n  -   y\n",
          "a:\n- b: c\n  d: e\n-   f: g\n    h:\n    - i\n",
          "a: {b: c, d: [e, f], g: {}, h: [], i: \"*\", j: 'k l'}",
          "ports: [80, 8080, 0, 123456789]",
          "n: 80\nm: '80'\no: \"80\"",
          "a: b c,d [e] {f}",
          "a: http//x.y/z?q=1&r=2",
          "a: 10.0.1.1\nb: 2s\nc: 1h30m\nd: v1\ne: networking.istio.io/v1",
          "app.kubernetes.io/name: x\nkey_1: y\n80: z\nyes: no-way\non: x\nnull: y",
          "a: \"5xx,connect-failure\"\nb: 'it#s'\nc: \"x # y\" # real comment",
          "a: {b: c}   \nd: e  ",
          "- a\n- b: c\n  d: [e]",
          "a: \"\"\nb: ''\nc: {d: \"\", e: ['']}",
          "a: x :y\nb: http://x\nd: a-\ne: _x");

  /** Outside the subset: the fast reader declines and Jackson reads them (or reports errors). */
  private static final List<String> DECLINED =
      List.of(
          "",
          "# only a comment\n",
          "a: b\n---\n",
          "---\n---\na: b",
          "a:",
          "a: ~",
          "a: null",
          "a: true",
          "a: yes",
          "a: 1.5",
          "a: 0x1F",
          "a: 010",
          "a: -1",
          "a: 1_000",
          "a: 12345678901",
          "a: 2001-12-14",
          "a: &x b\nc: *x",
          "a: !!str 80",
          "a: |\n  text\n",
          "a: >-\n  text\n",
          "a: long\n  continued",
          "a:\n  long\n  text",
          "a: \"esc\\\"aped\"",
          "a: 'it''s'",
          "a: it's # not a comment?",
          "a: b: c",
          "a: b\na: c",
          "a: {b: 1, b: 2}",
          "a: {b: 1,\n  c: 2}",
          "a: [1, 2,]",
          "a:\tb",
          "a: b\r\nc: d\r\n",
          "a: caf\u00e9",
          "\ufeffa: b",
          "just a scalar",
          "a:\n  - - x",
          "a:\n- b\n  c: d",
          "\"quoted key\": x",
          "? complex\n: key",
          "a: b\n  c: d",
          "a: {b: c:d}",
          "a: [x: y]",
          "%YAML 1.1\n---\na: b",
          "--- a: b",
          "a: b\n...\n",
          "a: @x",
          "a: {b: }",
          "{a: b}");

  @Test
  void readsThePlainSubsetExactlyAsJacksonDoes() {
    for (String text : PLAIN) {
      Optional<ImmutableList<JsonNode>> fast = PlainYamlReader.read(text);
      assertTrue(fast.isPresent(), () -> "declined: " + text);
      assertSameAsJackson(text, fast.get());
    }
  }

  @Test
  void declinesEverythingElse() {
    List<String> read = new ArrayList<>();
    for (String text : DECLINED) {
      if (PlainYamlReader.read(text).isPresent()) {
        read.add(text);
      }
    }
    assertEquals(List.of(), read);
  }

  @Test
  void readsEveryYamlFileOfTheProjectAsJacksonDoes() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path root : List.of(Paths.get("src", "test", "resources"), Paths.get("..", "deploy"))) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> walk = Files.walk(root)) {
          walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .forEach(files::add);
        }
      }
    }
    int read = 0;
    for (Path file : files) {
      String text = Files.readString(file);
      Optional<ImmutableList<JsonNode>> fast = PlainYamlReader.read(text);
      if (fast.isPresent()) {
        assertSameAsJackson(file.toString(), fast.get(), text);
        read++;
      }
    }
    assertTrue(files.size() >= 50, "found only " + files.size() + " YAML files");
    assertTrue(read >= files.size() / 3, "fast reader read only " + read + " of " + files.size());
  }

  private static void assertSameAsJackson(String text, List<JsonNode> fast) {
    assertSameAsJackson(text, fast, text);
  }

  private static void assertSameAsJackson(String what, List<JsonNode> fast, String text) {
    DocumentReader.Result jackson = DocumentReader.readWithJackson("test.yaml", text);
    assertTrue(jackson.complete(), () -> what + ": Jackson fails: " + jackson.diagnostics());
    assertEquals(jackson.documents(), fast, what);
    for (int i = 0; i < fast.size(); i++) {
      assertEquals(describe(jackson.documents().get(i)), describe(fast.get(i)), what);
    }
  }

  /** Node classes too (IntNode vs LongNode vs TextNode): equals alone compares values. */
  private static String describe(JsonNode node) {
    StringBuilder out = new StringBuilder(node.getClass().getSimpleName());
    if (node.isContainerNode()) {
      out.append('(');
      node.fields().forEachRemaining(e -> out.append(e.getKey()).append('=')
          .append(describe(e.getValue())).append(','));
      if (node.isArray()) {
        node.elements().forEachRemaining(e -> out.append(describe(e)).append(','));
      }
      out.append(')');
    }
    return out.toString();
  }
}
