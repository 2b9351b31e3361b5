package dev.outpost.translator.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads the fields of one JSON/YAML object, tracking the field path for diagnostics. Every field
 * asked for counts as known; {@link #finish()} reports every other field as unknown (with a typo
 * suggestion), so nothing in the input is ignored silently. Type errors are reported and the field
 * reads as absent. {@code null} values read as absent, as in Kubernetes.
 */
final class FieldReader {
  private final JsonNode node;
  private final String path;
  private final Findings findings;
  /**
   * Field names asked for (repeats possible). A list: hashing every name on every read showed up
   * when reading 10k files, and it is only searched in {@link #finish()}, where order and repeats
   * do not matter (the typo hint picks the nearest name, ties by name).
   */
  private final List<String> known = new ArrayList<>(8);

  private FieldReader(JsonNode node, String path, Findings findings) {
    this.node = node;
    this.path = path;
    this.findings = findings;
  }

  /** A reader for {@code node}, or empty (with an error) when it is not an object. */
  static Optional<FieldReader> of(JsonNode node, String path, Findings findings) {
    if (!node.isObject()) {
      findings.error(path, "must be an object (a YAML mapping), but is " + describe(node));
      return Optional.empty();
    }
    return Optional.of(new FieldReader(node, path, findings));
  }

  /**
   * A reader over an empty object: lets a missing block be read so that its required fields are
   * reported.
   */
  static FieldReader empty(String path, Findings findings) {
    return new FieldReader(JsonNodeFactory.instance.objectNode(), path, findings);
  }

  Findings findings() {
    return findings;
  }

  String path() {
    return path;
  }

  /** The path of a field of this object. */
  String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  void error(String field, String message) {
    findings.error(path(field), message);
  }

  void warning(String field, String message) {
    findings.warning(path(field), message);
  }

  /** Whether the field is present and not null. */
  boolean has(String field) {
    return value(field).isPresent();
  }

  /** Whether the field is absent, null, or an empty list, map or string (no diagnostics). */
  boolean isMissingOrEmpty(String field) {
    return value(field)
        .map(v -> v.isContainerNode() ? v.isEmpty() : v.isTextual() && v.textValue().isEmpty())
        .orElse(true);
  }

  /** The raw value of a field; absent when missing or null. */
  Optional<JsonNode> value(String field) {
    markKnown(field);
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  Optional<String> string(String field) {
    return value(field).flatMap(v -> asString(v, path(field)));
  }

  /** A string that must be present and non-empty; "" (with an error) otherwise. */
  String requiredString(String field) {
    boolean present = has(field);
    Optional<String> s = string(field);
    if (!present) {
      error(field, "is required");
    } else if (s.isPresent() && s.get().isEmpty()) {
      error(field, "must not be empty");
    }
    return s.orElse("");
  }

  /**
   * A 32-bit integer. A quoted number ({@code "80"}) is an error, as the Kubernetes API server
   * reports it: Istio's CRD schemas type these fields {@code integer}, so {@code kubectl apply}
   * would refuse the resource.
   */
  Optional<Integer> integer(String field) {
    return unquotedLong(field)
        .flatMap(
            l -> {
              if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                error(field, l + " is out of range for a 32-bit integer");
                return Optional.empty();
              }
              return Optional.of(l.intValue());
            });
  }

  /** An integer written as a number: a quoted one is reported and reads as absent. */
  private Optional<Long> unquotedLong(String field) {
    Optional<JsonNode> v = value(field);
    if (v.isPresent() && v.get().isTextual()) {
      error(field, quotedNumber(v.get().textValue()));
      return Optional.empty();
    }
    return longValue(field);
  }

  /** The error for a string where an integer belongs; quotes only a short numeric value. */
  static String quotedNumber(String text) {
    return text.matches("-?[0-9]{1,20}")
        ? "must be an integer, not the string \"" + text + "\"; remove the quotes"
        : "must be an integer, but is a string";
  }

  /** An integer that must not be negative. */
  Optional<Integer> nonNegative(String field) {
    Optional<Integer> i = integer(field);
    if (i.isPresent() && i.get() < 0) {
      error(field, i.get() + " is negative; it must be 0 or more");
      return Optional.empty();
    }
    return i;
  }

  /** An integer in {@code [min, max]}; a value out of range is reported with the range. */
  Optional<Integer> intInRange(String field, int min, int max, String what) {
    Optional<Long> l = unquotedLong(field);
    if (l.isPresent() && (l.get() < min || l.get() > max)) {
      error(field, l.get() + " is not a valid " + what + "; it must be " + min + "-" + max);
      return Optional.empty();
    }
    return l.map(Long::intValue);
  }

  /** A port number, 1-65535. */
  Optional<Integer> port(String field) {
    return intInRange(field, 1, 65535, "port number");
  }

  /**
   * A 64-bit integer. Quoted integers are accepted here, as protobuf JSON writes 64-bit integers
   * as strings (only {@code uint64} fields such as {@code minimumRingSize} use this).
   */
  Optional<Long> longValue(String field) {
    Optional<JsonNode> v = value(field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    JsonNode n = v.get();
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return Optional.of(n.longValue());
    }
    if (n.isTextual() && n.textValue().matches("-?[0-9]{1,18}")) {
      return Optional.of(Long.parseLong(n.textValue()));
    }
    error(field, "must be an integer, but is " + describe(n));
    return Optional.empty();
  }

  Optional<Double> number(String field) {
    Optional<JsonNode> v = value(field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    JsonNode n = v.get();
    if (n.isNumber()) {
      return Optional.of(n.doubleValue());
    }
    if (n.isTextual() && n.textValue().matches("-?[0-9]{1,20}(\\.[0-9]{1,20})?")) {
      // the CRD schema says number: the API server would refuse the quoted form
      error(field, "must be a number, not the string \"" + n.textValue() + "\"; remove the quotes");
      return Optional.empty();
    }
    error(field, "must be a number, but is " + describe(n));
    return Optional.empty();
  }

  Optional<Boolean> bool(String field) {
    Optional<JsonNode> v = value(field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.get().isBoolean()) {
      return Optional.of(v.get().booleanValue());
    }
    error(field, "must be true or false, but is " + describe(v.get()));
    return Optional.empty();
  }

  /**
   * A duration such as {@code 5s}, {@code 500ms} or {@code 1h30m}, checked against {@code rule}.
   */
  Optional<Duration> duration(String field, DurationRule rule) {
    Optional<String> text = string(field);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<Duration> d = DurationParser.parse(text.get());
    if (d.isEmpty()) {
      error(
          field, "\"" + text.get() + "\" is not a duration; write it like 5s, 250ms, 1m or 1h30m");
      return Optional.empty();
    }
    Optional<String> problem = rule.check(text.get(), d.get());
    if (problem.isPresent()) {
      error(field, problem.get());
      return Optional.empty();
    }
    return d;
  }

  /** An enum value by its exact (upper-case) name, as protobuf JSON requires. */
  <E extends Enum<E>> Optional<E> enumValue(String field, Class<E> type) {
    Optional<String> text = string(field);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(text.get())) {
        return Optional.of(e);
      }
    }
    String allowed =
        Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    error(field, "\"" + text.get() + "\" is not a valid value; use one of " + allowed);
    return Optional.empty();
  }

  /** A list of strings; absent reads as empty. */
  ImmutableList<String> strings(String field) {
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (Element e : elements(field)) {
      asString(e.node(), e.path()).ifPresent(out::add);
    }
    return out.build();
  }

  /** A map of string to string, sorted by key; absent reads as empty. */
  ImmutableSortedMap<String, String> stringMap(String field) {
    ImmutableSortedMap.Builder<String, String> out = ImmutableSortedMap.naturalOrder();
    for (Element e : entries(field)) {
      asString(e.node(), e.path()).ifPresent(s -> out.put(e.key(), s));
    }
    return out.build();
  }

  /** A nested object. */
  Optional<FieldReader> object(String field) {
    return value(field).flatMap(v -> of(v, path(field), findings));
  }

  /** A list of objects; elements that are not objects are reported and skipped. */
  List<FieldReader> objects(String field) {
    List<FieldReader> out = new ArrayList<>();
    for (Element e : elements(field)) {
      of(e.node(), e.path(), findings).ifPresent(out::add);
    }
    return out;
  }

  /** The elements of a list field, with their paths ({@code field[i]}). */
  List<Element> elements(String field) {
    Optional<JsonNode> v = value(field);
    if (v.isEmpty()) {
      return List.of();
    }
    if (!v.get().isArray()) {
      error(field, "must be a list, but is " + describe(v.get()));
      return List.of();
    }
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < v.get().size(); i++) {
      out.add(new Element(String.valueOf(i), path(field) + "[" + i + "]", v.get().get(i)));
    }
    return out;
  }

  /** The entries of a map field, with their paths ({@code field.key}). */
  List<Element> entries(String field) {
    Optional<JsonNode> v = value(field);
    if (v.isEmpty()) {
      return List.of();
    }
    if (!v.get().isObject()) {
      error(field, "must be a map (a YAML mapping), but is " + describe(v.get()));
      return List.of();
    }
    List<Element> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : v.get().properties()) {
      out.add(new Element(e.getKey(), path(field) + "." + e.getKey(), e.getValue()));
    }
    return out;
  }

  /**
   * Marks fields that Outpost knows but does not implement yet: if present, a warning says so. They
   * count as known, so they are not reported as unknown too.
   */
  void notSupportedYet(String... fields) {
    for (String field : fields) {
      if (has(field)) {
        warning(field, "is not supported yet and is ignored");
      }
    }
  }

  /** Marks fields as known without reading them (e.g. Kubernetes bookkeeping in metadata). */
  void ignore(String... fields) {
    for (String field : fields) {
      markKnown(field);
    }
  }

  private void markKnown(String field) {
    known.add(field);
  }

  /** Reports every field that was never asked for, suggesting the known name it resembles. */
  void finish() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (known.contains(name)) {
        continue;
      }
      String hint =
          Typos.nearest(name, known)
              .map(s -> "; did you mean \"" + s + "\"?")
              .orElse("; check its spelling and indentation");
      warning(name, "unknown field \"" + name + "\" is ignored" + hint);
    }
  }

  /** Reads a string value; non-strings are reported. */
  Optional<String> asString(JsonNode n, String at) {
    if (n.isTextual()) {
      return Optional.of(n.textValue());
    }
    if (n.isNull()) {
      return Optional.empty();
    }
    String hint = n.isValueNode() ? " (quote it to make it a string)" : "";
    findings.error(at, "must be a string, but is " + describe(n) + hint);
    return Optional.empty();
  }

  static String describe(JsonNode n) {
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isBoolean()) {
      return "a boolean (" + n.booleanValue() + ")";
    }
    if (n.isNumber()) {
      return "a number (" + n.asText() + ")";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "an object";
    }
    if (n.isBinary()) {
      return "binary data";
    }
    return "null";
  }

  /** A list element or map entry: its key (index or map key), path and value. */
  record Element(String key, String path, JsonNode node) {}
}
