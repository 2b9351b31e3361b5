package dev.outpost.translator.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.outpost.translator.diag.Diagnostic;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FieldReaderTest {
  private final Findings findings = new Findings("Test default/x");

  private FieldReader reader(String yaml) throws Exception {
    JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    return FieldReader.of(node, "spec", findings).orElseThrow();
  }

  private List<String> lines() {
    return findings.all().stream().map(Diagnostic::toString).collect(Collectors.toList());
  }

  @Test
  void readsScalarsAndTreatsNullAsAbsent() throws Exception {
    FieldReader r = reader("{s: text, i: 42, q: \"7\", b: true, d: 2.5, n: null, t: 1m}");
    assertEquals(Optional.of("text"), r.string("s"));
    assertEquals(Optional.of(42), r.integer("i"));
    assertEquals(
        Optional.of(7L), r.longValue("q"), "quoted 64-bit integers are accepted, as in protobuf JSON");
    assertEquals(Optional.of(true), r.bool("b"));
    assertEquals(Optional.of(2.5), r.number("d"));
    assertEquals(Optional.empty(), r.string("n"));
    assertEquals(Optional.of(Duration.ofMinutes(1)), r.duration("t", DurationRule.AT_LEAST_1MS));
    assertEquals(Optional.empty(), r.string("missing"));
    r.finish();
    assertEquals(List.of(), lines());
  }

  @Test
  void aQuotedIntegerIsAnErrorAsTheApiServerWouldSay() throws Exception {
    FieldReader r = reader("{port: \"80\", count: \"-3\", ratio: \"12.5\", word: \"eighty\"}");
    assertEquals(Optional.empty(), r.port("port"));
    assertEquals(Optional.empty(), r.integer("count"));
    assertEquals(Optional.empty(), r.number("ratio"));
    assertEquals(Optional.empty(), r.integer("word"));
    assertEquals(
        List.of(
            "ERROR Test default/x: spec.port: must be an integer, not the string \"80\"; remove the"
                + " quotes",
            "ERROR Test default/x: spec.count: must be an integer, not the string \"-3\"; remove"
                + " the quotes",
            "ERROR Test default/x: spec.ratio: must be a number, not the string \"12.5\"; remove"
                + " the quotes",
            "ERROR Test default/x: spec.word: must be an integer, but is a string"),
        lines());
  }

  @Test
  void portsOutOfRangeAreErrorsNamingTheRange() throws Exception {
    FieldReader r =
        reader("{zero: 0, high: 70000, negative: -1, huge: 1099511627776, beyond: 1180591620717411303424, frac: 80.5}");
    for (String field : List.of("zero", "high", "negative", "huge", "beyond", "frac")) {
      assertEquals(Optional.empty(), r.port(field), field);
    }
    assertEquals(
        List.of(
            "ERROR Test default/x: spec.zero: 0 is not a valid port number; it must be 1-65535",
            "ERROR Test default/x: spec.high: 70000 is not a valid port number; it must be 1-65535",
            "ERROR Test default/x: spec.negative: -1 is not a valid port number; it must be 1-65535",
            "ERROR Test default/x: spec.huge: 1099511627776 is not a valid port number; it must be"
                + " 1-65535",
            "ERROR Test default/x: spec.beyond: must be an integer, but is a number"
                + " (1180591620717411303424)",
            "ERROR Test default/x: spec.frac: must be an integer, but is a number (80.5)"),
        lines());
  }

  @Test
  void aLongQuotedValueIsNotEchoed() throws Exception {
    FieldReader r = reader("{port: \"" + "8".repeat(5000) + "\"}");
    assertEquals(Optional.empty(), r.port("port"));
    assertTrue(lines().get(0).length() < 200, lines().get(0));
  }

  @Test
  void typeErrorsNameThePathAndTheFieldReadsAsAbsent() throws Exception {
    FieldReader r =
        reader("{s: 5, i: abc, b: \"yes\", l: notalist, m: [1], o: 3, big: 99999999999}");
    assertEquals(Optional.empty(), r.string("s"));
    assertEquals(Optional.empty(), r.integer("i"));
    assertEquals(Optional.empty(), r.bool("b"));
    assertEquals(List.of(), r.strings("l"));
    assertEquals(0, r.stringMap("m").size());
    assertEquals(Optional.empty(), r.object("o"));
    assertEquals(Optional.empty(), r.integer("big"));
    r.finish();
    assertEquals(
        List.of(
            "ERROR Test default/x: spec.s: must be a string, but is a number (5) (quote it to make"
                + " it a string)",
            "ERROR Test default/x: spec.i: must be an integer, but is a string",
            "ERROR Test default/x: spec.b: must be true or false, but is a string",
            "ERROR Test default/x: spec.l: must be a list, but is a string",
            "ERROR Test default/x: spec.m: must be a map (a YAML mapping), but is a list",
            "ERROR Test default/x: spec.o: must be an object (a YAML mapping), but is a number (3)",
            "ERROR Test default/x: spec.big: 99999999999 is out of range for a 32-bit integer"),
        lines());
  }

  @Test
  void listElementsAndMapEntriesHaveTheirOwnPaths() throws Exception {
    FieldReader r = reader("{hosts: [a, 1], labels: {app: 2}, items: [{x: 1}, 5]}");
    assertEquals(List.of("a"), r.strings("hosts"));
    assertEquals(0, r.stringMap("labels").size());
    assertEquals(1, r.objects("items").size());
    assertEquals(
        List.of(
            "ERROR Test default/x: spec.hosts[1]: must be a string, but is a number (1) (quote it"
                + " to make it a string)",
            "ERROR Test default/x: spec.labels.app: must be a string, but is a number (2) (quote it"
                + " to make it a string)",
            "ERROR Test default/x: spec.items[1]: must be an object (a YAML mapping), but is a"
                + " number (5)"),
        lines());
  }

  @Test
  void unknownAndUnsupportedFields() throws Exception {
    FieldReader r = reader("{hosts: [a], prots: [], tunnel: {}, zzz: 1}");
    r.strings("hosts");
    r.strings("ports");
    r.notSupportedYet("tunnel", "absentOne");
    r.finish();
    assertEquals(
        List.of(
            "WARNING Test default/x: spec.prots: unknown field \"prots\" is ignored; did you mean"
                + " \"ports\"?",
            "WARNING Test default/x: spec.tunnel: is not supported yet and is ignored",
            "WARNING Test default/x: spec.zzz: unknown field \"zzz\" is ignored; check its spelling"
                + " and indentation"),
        lines().stream().sorted().collect(Collectors.toList()));
  }

  @Test
  void requiredAndRangeChecks() throws Exception {
    FieldReader r = reader("{empty: \"\", port: 0, neg: -1, enumValue: dns}");
    assertEquals("", r.requiredString("missing"));
    assertEquals("", r.requiredString("empty"));
    assertEquals(Optional.empty(), r.port("port"));
    assertEquals(Optional.empty(), r.nonNegative("neg"));
    assertEquals(
        Optional.empty(),
        r.enumValue("enumValue", dev.outpost.translator.model.ServiceEntry.Resolution.class));
    assertTrue(r.isMissingOrEmpty("empty"));
    assertEquals(5, findings.all().size(), lines().toString());
    assertTrue(findings.hasErrors());
  }
}
