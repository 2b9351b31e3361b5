package dev.outpost.translator.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A fast reader for the plain YAML that Kubernetes manifests are usually written in: block
 * mappings and sequences, one-line flow collections, plain and simply quoted scalars, comments and
 * {@code ---} separators. Reading 10k files through Jackson and SnakeYAML costs about a second;
 * this reads the common subset several times faster.
 *
 * <p>It either returns exactly the documents that Jackson's YAML mapper would (same node types,
 * same key order), or nothing: anything outside the subset (anchors, tags, block or multi-line
 * scalars, escapes, tabs, non-ASCII text, empty values, booleans, nulls, floats, duplicate keys,
 * syntax errors ...) makes it give up on the whole file, and {@link DocumentReader} reads that file
 * with Jackson, which also produces the error messages. Plain scalars are typed by SnakeYAML's own
 * resolver; only strings and small decimal integers are accepted.
 */
final class PlainYamlReader {
  /** SnakeYAML's limits (code points, nesting) must apply; stay well inside them. */
  private static final int MAX_CHARS = 1_000_000;

  private static final int MAX_DEPTH = 40;
  private static final int MAX_KEY_LENGTH = 1_000;
  private static final TypingResolver RESOLVER = new TypingResolver();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Resolved tags of the first few thousand distinct scalars that start like a number, boolean
   * or null: the same values ("80", "10s", "networking.istio.io/v1") recur in every file, and
   * each costs a few regexes. Bounded, so unique values cannot grow it without limit; resolve()
   * is a pure function.
   */
  private static final Map<String, Tag> TAGS = new ConcurrentHashMap<>();

  private static final int MAX_CACHED_TAGS = 4096;

  /** Thrown inside the reader when the text leaves the subset; never escapes. */
  private static final class NotPlain extends Exception {
    NotPlain() {
      super(null, null, false, false); // control flow only: no stack trace
    }
  }

  private static final NotPlain NOT_PLAIN = new NotPlain();

  /** One non-blank line: its indentation and its content without comment or trailing spaces. */
  private record Line(int indent, String text) {}

  private final List<Line> lines;
  private int next;
  private int depth;

  private PlainYamlReader(List<Line> lines) {
    this.lines = lines;
  }

  /** The documents of {@code text}, or empty when it is not in the plain subset. */
  static Optional<ImmutableList<JsonNode>> read(String text) {
    try {
      return Optional.of(documents(text));
    } catch (NotPlain e) {
      return Optional.empty();
    }
  }

  private static ImmutableList<JsonNode> documents(String text) throws NotPlain {
    if (text.length() > MAX_CHARS) {
      throw NOT_PLAIN;
    }
    ImmutableList.Builder<JsonNode> docs = ImmutableList.builder();
    List<Line> current = new ArrayList<>();
    boolean sawSeparator = false;
    boolean any = false;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      if (end - start == 3 && text.startsWith("---", start)) {
        if (sawSeparator || !current.isEmpty()) {
          docs.add(document(current));
          any = true;
        }
        current = new ArrayList<>();
        sawSeparator = true;
      } else {
        Line line = line(text, start, end);
        if (line != null) {
          current.add(line);
        }
      }
      start = end + 1;
    }
    if (!current.isEmpty()) {
      docs.add(document(current));
      any = true;
    } else if (sawSeparator) {
      throw NOT_PLAIN; // an empty last document: Jackson's null, left to Jackson
    }
    if (!any) {
      throw NOT_PLAIN;
    }
    return docs.build();
  }

  private static JsonNode document(List<Line> lines) throws NotPlain {
    if (lines.isEmpty()) {
      throw NOT_PLAIN;
    }
    PlainYamlReader reader = new PlainYamlReader(lines);
    JsonNode root = reader.block(lines.get(0).indent());
    if (reader.next != lines.size()) {
      throw NOT_PLAIN;
    }
    return root;
  }

  /** Splits off indentation, comment and trailing spaces; null for a blank or comment line. */
  private static Line line(String text, int start, int end) throws NotPlain {
    int indent = 0;
    int i = start;
    while (i < end && text.charAt(i) == ' ') {
      i++;
      indent++;
    }
    int contentEnd = end;
    char quote = 0;
    for (int j = i; j < end; j++) {
      char c = text.charAt(j);
      if (c < 0x20 || c > 0x7e) {
        throw NOT_PLAIN; // tabs, CR, control and non-ASCII characters: left to SnakeYAML
      }
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#' && (j == i || text.charAt(j - 1) == ' ')) {
        contentEnd = j;
        break;
      }
    }
    while (contentEnd > i && text.charAt(contentEnd - 1) == ' ') {
      contentEnd--;
    }
    if (contentEnd == i) {
      return null;
    }
    if (indent == 0 && (text.startsWith("---", i) || text.startsWith("...", i))) {
      throw NOT_PLAIN; // document markers with content after them
    }
    return new Line(indent, text.substring(i, contentEnd));
  }

  private JsonNode block(int indent) throws NotPlain {
    if (++depth > MAX_DEPTH) {
      throw NOT_PLAIN;
    }
    Line first = lines.get(next);
    JsonNode node = isSequenceItem(first.text()) ? sequence(indent) : mapping(indent);
    depth--;
    return node;
  }

  private static boolean isSequenceItem(String text) {
    return text.equals("-") || text.startsWith("- ");
  }

  private ObjectNode mapping(int indent) throws NotPlain {
    ObjectNode map = NODES.objectNode();
    while (next < lines.size()) {
      Line line = lines.get(next);
      if (line.indent() < indent || (line.indent() == indent && isSequenceItem(line.text()))) {
        break;
      }
      if (line.indent() > indent) {
        throw NOT_PLAIN;
      }
      String text = line.text();
      int colon = keyEnd(text);
      String key = text.substring(0, colon);
      int valueStart = colon + 1;
      while (valueStart < text.length() && text.charAt(valueStart) == ' ') {
        valueStart++;
      }
      String rest = text.substring(valueStart);
      next++;
      JsonNode value;
      if (!rest.isEmpty()) {
        value = inline(rest);
      } else if (next < lines.size() && lines.get(next).indent() > indent) {
        value = block(lines.get(next).indent());
      } else if (next < lines.size()
          && lines.get(next).indent() == indent
          && isSequenceItem(lines.get(next).text())) {
        value = block(indent); // a sequence at the key's own indentation
      } else {
        throw NOT_PLAIN; // an empty value (null)
      }
      if (map.putIfAbsent(key, value) != null) {
        throw NOT_PLAIN; // a duplicate key: Jackson reports it
      }
    }
    if (map.isEmpty()) {
      throw NOT_PLAIN;
    }
    return map;
  }

  private ArrayNode sequence(int indent) throws NotPlain {
    ArrayNode list = NODES.arrayNode();
    while (next < lines.size()) {
      Line line = lines.get(next);
      if (line.indent() < indent || (line.indent() == indent && !isSequenceItem(line.text()))) {
        break;
      }
      if (line.indent() > indent || line.text().equals("-")) {
        throw NOT_PLAIN;
      }
      String text = line.text();
      int offset = 1;
      while (offset < text.length() && text.charAt(offset) == ' ') {
        offset++;
      }
      String item = text.substring(offset);
      if (isSequenceItem(item)) {
        throw NOT_PLAIN; // "- - x"
      }
      if (startsWithKey(item)) {
        // "- key: value": a mapping whose keys line up with this first one
        lines.set(next, new Line(indent + offset, item));
        if (++depth > MAX_DEPTH) {
          throw NOT_PLAIN;
        }
        list.add(mapping(indent + offset));
        depth--;
      } else {
        next++;
        list.add(inline(item));
      }
    }
    return list;
  }

  /** Whether a line starts with a plain key and ": " (or ends in ":"). */
  private static boolean startsWithKey(String text) {
    int i = 0;
    while (i < text.length() && isKeyChar(text.charAt(i))) {
      i++;
    }
    return i > 0 && i < text.length() && text.charAt(i) == ':'
        && (i + 1 == text.length() || text.charAt(i + 1) == ' ');
  }

  /** The index of the ':' after a mapping line's key. */
  private static int keyEnd(String text) throws NotPlain {
    if (!startsWithKey(text)) {
      throw NOT_PLAIN;
    }
    int colon = text.indexOf(':');
    if (colon > MAX_KEY_LENGTH || !isKeyStart(text.charAt(0))) {
      throw NOT_PLAIN;
    }
    return colon;
  }

  private static boolean isKeyStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean isKeyChar(char c) {
    return isKeyStart(c) || c == '-' || c == '.' || c == '/';
  }

  /** A value on the rest of a line: a flow collection, a quoted or a plain scalar. */
  private JsonNode inline(String text) throws NotPlain {
    char c = text.charAt(0);
    if (c == '{' || c == '[') {
      Flow flow = new Flow(text);
      JsonNode node = flow.value(depth);
      if (flow.pos != text.length()) {
        throw NOT_PLAIN;
      }
      return node;
    }
    if (c == '"' || c == '\'') {
      int close = closingQuote(text, 0);
      if (close != text.length() - 1) {
        throw NOT_PLAIN;
      }
      return NODES.textNode(text.substring(1, close));
    }
    if (text.contains(": ") || text.endsWith(":")) {
      throw NOT_PLAIN; // "a: b: c" is an error, left to SnakeYAML
    }
    return plain(text);
  }

  /** The quote closing the one at {@code open}; escapes and doubled quotes are left to Jackson. */
  private static int closingQuote(String text, int open) throws NotPlain {
    char quote = text.charAt(open);
    int close = text.indexOf(quote, open + 1);
    if (close < 0
        || text.indexOf('\\', open + 1) >= 0 && text.indexOf('\\', open + 1) < close
        || (close + 1 < text.length() && text.charAt(close + 1) == quote)) {
      throw NOT_PLAIN;
    }
    return close;
  }

  /** A plain scalar, typed as SnakeYAML types it: only strings and small integers stay here. */
  private static JsonNode plain(String text) throws NotPlain {
    if ("-?:,[]{}#&*!|>'\"%@`".indexOf(text.charAt(0)) >= 0
        || text.indexOf('#') >= 0
        || text.indexOf('\'') >= 0
        || text.indexOf('"') >= 0) {
      // quotes inside a plain scalar also defeat the comment detection in line()
      throw NOT_PLAIN;
    }
    if (!RESOLVER.mayType(text.charAt(0))) {
      return NODES.textNode(text);
    }
    Tag tag = TAGS.get(text);
    if (tag == null) {
      tag = RESOLVER.resolve(NodeId.scalar, text, true);
      if (TAGS.size() < MAX_CACHED_TAGS) {
        TAGS.put(text, tag);
      }
    }
    if (tag.equals(Tag.STR)) {
      return NODES.textNode(text);
    }
    if (tag.equals(Tag.INT) && isSmallDecimal(text)) {
      return NODES.numberNode(Integer.parseInt(text));
    }
    throw NOT_PLAIN;
  }

  private static boolean isSmallDecimal(String text) {
    if (text.length() > 9 || (text.length() > 1 && text.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * SnakeYAML's resolver, which only tries the patterns registered for a scalar's first character
   * (and those registered for any character); a scalar whose first character has none is a
   * string. Knowing which characters have patterns lets most scalars skip the lookup and regexes.
   */
  private static final class TypingResolver extends Resolver {
    private final boolean[] typedFirstChars = new boolean[128];
    private final boolean anyCharTyped;

    TypingResolver() {
      for (Character c : yamlImplicitResolvers.keySet()) {
        if (c != null && c < typedFirstChars.length) {
          typedFirstChars[c] = true;
        }
      }
      anyCharTyped = yamlImplicitResolvers.containsKey(null);
    }

    /** Whether {@link #resolve} may give a plain scalar starting with {@code c} a non-string tag. */
    boolean mayType(char c) {
      return anyCharTyped || c >= typedFirstChars.length || typedFirstChars[c];
    }
  }

  /** A flow collection that opens and closes on one line. */
  private static final class Flow {
    private final String text;
    private int pos;

    Flow(String text) {
      this.text = text;
    }

    JsonNode value(int depth) throws NotPlain {
      if (depth > MAX_DEPTH) {
        throw NOT_PLAIN;
      }
      char c = peek();
      if (c == '{') {
        return mapping(depth);
      }
      if (c == '[') {
        return sequence(depth);
      }
      if (c == '"' || c == '\'') {
        int close = closingQuote(text, pos);
        String value = text.substring(pos + 1, close);
        pos = close + 1;
        return NODES.textNode(value);
      }
      int start = pos;
      while (pos < text.length() && ",]}".indexOf(text.charAt(pos)) < 0) {
        pos++;
      }
      int end = pos;
      while (start < end && text.charAt(start) == ' ') {
        start++;
      }
      while (end > start && text.charAt(end - 1) == ' ') {
        end--;
      }
      String value = text.substring(start, end); // line() let no other whitespace through
      if (value.isEmpty() || value.indexOf(':') >= 0 || value.indexOf('#') >= 0
          || value.indexOf('[') >= 0 || value.indexOf('{') >= 0) {
        throw NOT_PLAIN;
      }
      return plain(value);
    }

    private ObjectNode mapping(int depth) throws NotPlain {
      ObjectNode map = NODES.objectNode();
      pos++;
      skipSpaces();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && isKeyChar(text.charAt(pos))) {
          pos++;
        }
        if (pos == start || pos - start > MAX_KEY_LENGTH || !isKeyStart(text.charAt(start))
            || !text.startsWith(": ", pos)) {
          throw NOT_PLAIN;
        }
        String key = text.substring(start, pos);
        pos += 2;
        skipSpaces();
        if (map.putIfAbsent(key, value(depth + 1)) != null) {
          throw NOT_PLAIN;
        }
        skipSpaces();
        char c = peek();
        pos++;
        if (c == '}') {
          return map;
        }
        if (c != ',') {
          throw NOT_PLAIN;
        }
      }
    }

    private ArrayNode sequence(int depth) throws NotPlain {
      ArrayNode list = NODES.arrayNode();
      pos++;
      skipSpaces();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipSpaces();
        list.add(value(depth + 1));
        skipSpaces();
        char c = peek();
        pos++;
        if (c == ']') {
          return list;
        }
        if (c != ',') {
          throw NOT_PLAIN;
        }
      }
    }

    private char peek() throws NotPlain {
      if (pos >= text.length()) {
        throw NOT_PLAIN;
      }
      return text.charAt(pos);
    }

    private void skipSpaces() {
      while (pos < text.length() && text.charAt(pos) == ' ') {
        pos++;
      }
    }
  }
}
