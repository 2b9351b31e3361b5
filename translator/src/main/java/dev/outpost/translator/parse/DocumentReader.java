package dev.outpost.translator.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Diagnostic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Splits a file's text into documents: multi-document YAML, or JSON (one object, several
 * concatenated objects, or an array). Syntax errors become diagnostics naming the file and the
 * document; the documents before the error are still returned.
 */
final class DocumentReader {
  private static final ObjectReader YAML = reader(new ObjectMapper(new YAMLFactory()));
  private static final ObjectReader JSON = reader(new ObjectMapper());

  private DocumentReader() {}

  private static ObjectReader reader(ObjectMapper mapper) {
    // A key given twice is almost always a mistake; kubectl rejects it too.
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper.readerFor(JsonNode.class).with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  }

  /**
   * The documents of a file.
   *
   * @param complete false when a syntax error stopped reading, so resources may be missing
   */
  record Result(ImmutableList<JsonNode> documents, ImmutableList<Diagnostic> diagnostics, boolean complete) {}

  static Result read(String file, String text) {
    String trimmed = text.stripLeading();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      Result json = parse(file, text, JSON);
      if (json.complete()) {
        return unwrapArrays(json);
      }
      // Flow-style YAML also starts with { or [; only if YAML fails too is the JSON error shown.
      Result yaml = parse(file, text, YAML);
      return yaml.complete() ? unwrapArrays(yaml) : json;
    }
    return unwrapArrays(parse(file, text, YAML));
  }

  private static Result parse(String file, String text, ObjectReader reader) {
    List<JsonNode> docs = new ArrayList<>();
    List<Diagnostic> diagnostics = new ArrayList<>();
    boolean complete = true;
    try (MappingIterator<JsonNode> it = reader.readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode node = it.nextValue();
        docs.add(node);
      }
    } catch (IOException | RuntimeException e) {
      complete = false;
      int doc = docs.size() + 1;
      diagnostics.add(
          Diagnostic.error(
              Document.fileSubject(file),
              "document " + doc,
              "cannot be parsed: " + describe(e) + "; fix the syntax (documents after this one in the file are not read)"));
    }
    return new Result(ImmutableList.copyOf(docs), ImmutableList.copyOf(diagnostics), complete);
  }

  /** A JSON array at the top level holds one resource per element. */
  private static Result unwrapArrays(Result r) {
    if (r.documents().size() == 1 && r.documents().get(0).isArray()) {
      return new Result(ImmutableList.copyOf(r.documents().get(0)), r.diagnostics(), r.complete());
    }
    return r;
  }

  /**
   * A short, safe description of a syntax error: the parser's problem and the position, never
   * the text around it (the file may be a Secret with a private key).
   */
  static String describe(Throwable e) {
    Throwable cause = e;
    while (cause != null) {
      if (cause instanceof MarkedYAMLException m) {
        String where = Optional.ofNullable(m.getProblemMark())
            .map(mark -> " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1))
            .orElse("");
        return redact(String.valueOf(m.getProblem())) + where;
      }
      if (cause instanceof org.yaml.snakeyaml.reader.ReaderException) {
        return "the file contains characters that YAML does not allow (is it a binary file?)";
      }
      if (cause instanceof JsonProcessingException j) {
        JsonLocation loc = j.getLocation();
        String where = loc == null || loc.getLineNr() < 0 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        if (j.getCause() == null) {
          return redact(j.getOriginalMessage()) + where;
        }
      }
      cause = cause.getCause();
    }
    return redact(String.valueOf(e.getMessage()));
  }

  /** Removes quoted text longer than a few characters: it could be part of a secret. */
  private static String redact(String message) {
    String firstLine = message.lines().findFirst().orElse("");
    return firstLine.replaceAll("'[^']{4,}'", "'...'").replaceAll("\"[^\"]{4,}\"", "\"...\"");
  }
}
