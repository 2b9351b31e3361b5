package dev.outpost.translator.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.InputLimits;
import dev.outpost.translator.diag.Diagnostic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Splits a file's text into documents: multi-document YAML, or JSON (one object, several
 * concatenated objects, or an array). Syntax errors become diagnostics naming the file and the
 * document; the documents before the error are still returned. Every {@link InputLimits} limit is
 * checked here, so a hostile file costs bounded time and memory and the other files still load.
 */
final class DocumentReader {
  // rebuild(), not builder(): YAMLFactory.builder() starts without the default parser features
  // (an empty document would read as "" instead of null).
  private static final ObjectMapper YAML =
      mapper(
          new ObjectMapper(
              new YAMLFactory()
                  .rebuild()
                  .loaderOptions(loaderOptions())
                  .streamReadConstraints(constraints())
                  .build()));
  private static final ObjectMapper JSON =
      mapper(
          new ObjectMapper(
              new JsonFactory().rebuild().streamReadConstraints(constraints()).build()));

  private DocumentReader() {}

  /**
   * Jackson's own limits, the same numbers as {@link LimitedParser}'s: where Jackson checks first
   * (a JSON string while it is read) they stop the work early.
   */
  private static StreamReadConstraints constraints() {
    return StreamReadConstraints.builder()
        .maxDocumentLength(InputLimits.MAX_FILE_BYTES)
        .maxStringLength(InputLimits.MAX_SCALAR_CHARS)
        .maxNestingDepth(InputLimits.MAX_NESTING_DEPTH)
        .maxNumberLength(InputLimits.MAX_NUMBER_CHARS)
        .build();
  }

  /** SnakeYAML's limits; Jackson reads its events, so those of its composer are a second line. */
  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(InputLimits.MAX_FILE_BYTES);
    options.setNestingDepthLimit(InputLimits.MAX_NESTING_DEPTH);
    options.setMaxAliasesForCollections(50);
    return options;
  }

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
    if (text.length() > InputLimits.MAX_FILE_BYTES) {
      return refused(
          file,
          "",
          "is larger than "
              + InputLimits.MAX_FILE_BYTES
              + " characters (the limit, 4 MiB); nothing in it is read. Split it into smaller"
              + " files, or move it out of the config directory if it is not a manifest");
    }
    return checkResourceCount(file, readDocuments(file, text));
  }

  private static Result readDocuments(String file, String text) {
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
    if (mapper == YAML) {
      OptionalInt line = firstLongRun(text);
      if (line.isPresent()) {
        return refused(
            file, "line " + line.getAsInt(), LimitedParser.scalarTooLong() + "; nothing in the file is read");
      }
    }
    List<JsonNode> docs = new ArrayList<>();
    List<Diagnostic> diagnostics = new ArrayList<>();
    boolean complete = true;
    // One root value per document; a root array stays one value (not split into documents).
    try (JsonParser parser = new LimitedParser(mapper.createParser(text))) {
      for (JsonNode node = mapper.readTree(parser); node != null; node = mapper.readTree(parser)) {
        docs.add(node);
        if (docs.size() > InputLimits.MAX_RESOURCES_PER_FILE) {
          break; // checkResourceCount reports it; reading on would only cost time
        }
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
    } catch (StackOverflowError e) {
      // The nesting limits stop deep input before this; should a parser's recursion still run
      // out of stack on some shape they miss, the file is refused, not the whole reload.
      complete = false;
      diagnostics.add(
          Diagnostic.error(
              Document.fileSubject(file),
              "document " + (docs.size() + 1),
              "cannot be parsed: it is nested too deeply to read (the limit is "
                  + InputLimits.MAX_NESTING_DEPTH
                  + " levels); documents after this one in the file are not read"));
    }
    return new Result(ImmutableList.copyOf(docs), ImmutableList.copyOf(diagnostics), complete);
  }

  /**
   * The line of the first run of more than {@link InputLimits#MAX_SCALAR_CHARS} characters without
   * a space or line break, if any. SnakeYAML's time grows with the square of such a run, so it is
   * refused before SnakeYAML sees it; this scan is linear.
   */
  static OptionalInt firstLongRun(String text) {
    int line = 1;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        run = 0;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        run = 0;
      } else if (++run > InputLimits.MAX_SCALAR_CHARS) {
        return OptionalInt.of(line);
      }
    }
    return OptionalInt.empty();
  }

  /**
   * Refuses a file with too many resources (documents, and items of Lists): each may cost a
   * diagnostic, and a file of a million empty documents is an attack, not a config. The first
   * resources are kept, like the documents before a syntax error.
   */
  private static Result checkResourceCount(String file, Result r) {
    int count = 0;
    for (int i = 0; i < r.documents().size(); i++) {
      JsonNode d = r.documents().get(i);
      JsonNode items = d.path("items");
      count += "List".equals(d.path("kind").asText()) && items.isArray() ? items.size() : 1;
      if (count > InputLimits.MAX_RESOURCES_PER_FILE) {
        ImmutableList<Diagnostic> diagnostics =
            ImmutableList.<Diagnostic>builder()
                .addAll(r.diagnostics())
                .add(
                    Diagnostic.error(
                        Document.fileSubject(file),
                        "document " + (i + 1),
                        "brings the file past "
                            + InputLimits.MAX_RESOURCES_PER_FILE
                            + " resources (the limit, counting each item of a List); it and the"
                            + " documents after it are not read. Split the file"))
                .build();
        return new Result(r.documents().subList(0, i), diagnostics, false);
      }
    }
    return r;
  }

  private static Result refused(String file, String where, String message) {
    return new Result(
        ImmutableList.of(),
        ImmutableList.of(Diagnostic.error(Document.fileSubject(file), where, message)),
        false);
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
      if (cause instanceof LimitedParser.LimitExceeded l) {
        return l.getOriginalMessage() + where(l.getLocation());
      }
      if (cause instanceof StreamConstraintsException c) {
        return limitMessage(c) + where(c.getLocation());
      }
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
        if (j.getCause() == null) {
          return redact(j.getOriginalMessage()) + where(j.getLocation());
        }
      }
      cause = cause.getCause();
    }
    return redact(String.valueOf(e.getMessage()));
  }

  /** Jackson's limit messages name its API; say which of Outpost's limits it is instead. */
  private static String limitMessage(StreamConstraintsException c) {
    String m = String.valueOf(c.getOriginalMessage());
    if (m.contains("getMaxStringLength")) {
      return LimitedParser.scalarTooLong();
    }
    if (m.contains("getMaxNestingDepth")) {
      return LimitedParser.tooDeep();
    }
    if (m.contains("getMaxNumberLength")) {
      return LimitedParser.numberTooLong();
    }
    return "exceeds a size limit of the parser ("
        + redact(m).replaceAll(", from `[^`]*`", "")
        + "); see \"How Outpost treats bad input\" in the README";
  }

  private static String where(JsonLocation loc) {
    return loc == null || loc.getLineNr() < 0
        ? ""
        : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
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
