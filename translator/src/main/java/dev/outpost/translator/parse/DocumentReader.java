package dev.outpost.translator.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
  private static final ObjectMapper YAML = mapper(new ObjectMapper(new YAMLFactory()));
  private static final ObjectMapper JSON = mapper(new ObjectMapper());

  private DocumentReader() {}

  private static ObjectMapper mapper(ObjectMapper mapper) {
    // A key given twice is almost always a mistake; kubectl rejects it too.
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }

  /**
   * The documents of a file.
   *
   * @param complete false when a syntax error stopped reading, so resources may be missing
   */
  record Result(
      ImmutableList<JsonNode> documents, ImmutableList<Diagnostic> diagnostics, boolean complete) {}

  static Result read(String file, String text) {
    String trimmed = text.stripLeading();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      Result json = parse(file, text, JSON);
      if (json.complete()) {
        return arraysAsLists(json);
      }
      // Flow-style YAML also starts with { or [; only if YAML fails too is the JSON error shown.
      Result yaml = parse(file, text, YAML);
      return yaml.complete() ? yaml : json;
    }
    // Most manifests are plain YAML that a much faster reader handles; it gives up on the rest.
    return PlainYamlReader.read(text)
        .map(docs -> new Result(docs, ImmutableList.of(), true))
        .orElseGet(() -> parse(file, text, YAML));
  }

  /** What Jackson's YAML mapper alone reads: the reference the fast reader is tested against. */
  static Result readWithJackson(String file, String text) {
    return parse(file, text, YAML);
  }

  private static Result parse(String file, String text, ObjectMapper mapper) {
    List<JsonNode> docs = new ArrayList<>();
    List<Diagnostic> diagnostics = new ArrayList<>();
    boolean complete = true;
    // One root value per document; a root array stays one value (not split into documents).
    try (JsonParser parser = mapper.createParser(text)) {
      for (JsonNode node = mapper.readTree(parser); node != null; node = mapper.readTree(parser)) {
        docs.add(node);
      }
    } catch (IOException | RuntimeException e) {
      complete = false;
      int doc = docs.size() + 1;
      diagnostics.add(
          Diagnostic.error(
              Document.fileSubject(file),
              "document " + doc,
              "cannot be parsed: "
                  + describe(e)
                  + "; fix the syntax (documents after this one in the file are not read)"));
    }
    return new Result(ImmutableList.copyOf(docs), ImmutableList.copyOf(diagnostics), complete);
  }

  /** A JSON array at the top level holds one resource per element, like a {@code kind: List}. */
  private static Result arraysAsLists(Result r) {
    ImmutableList.Builder<JsonNode> docs = ImmutableList.builder();
    for (JsonNode d : r.documents()) {
      if (d.isArray()) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        list.set("items", d);
        docs.add(list);
      } else {
        docs.add(d);
      }
    }
    return new Result(docs.build(), r.diagnostics(), r.complete());
  }

  /**
   * A short, safe description of a syntax error: the parser's problem and the position, never the
   * text around it (the file may be a Secret with a private key).
   */
  static String describe(Throwable e) {
    Throwable cause = e;
    while (cause != null) {
      if (cause instanceof MarkedYAMLException m) {
        String where =
            Optional.ofNullable(m.getProblemMark())
                .map(
                    mark ->
                        " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1))
                .orElse("");
        return redact(String.valueOf(m.getProblem())) + where;
      }
      if (cause instanceof org.yaml.snakeyaml.reader.ReaderException) {
        return "the file contains characters that YAML does not allow (is it a binary file?)";
      }
      if (cause instanceof JsonProcessingException j) {
        JsonLocation loc = j.getLocation();
        String where =
            loc == null || loc.getLineNr() < 0
                ? ""
                : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
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
    if (firstLine.startsWith("Duplicate field")) {
      return firstLine; // quotes a key name, which is not secret and is what the user must find
    }
    return firstLine.replaceAll("'[^']{4,}'", "'...'").replaceAll("\"[^\"]{4,}\"", "\"...\"");
  }
}
