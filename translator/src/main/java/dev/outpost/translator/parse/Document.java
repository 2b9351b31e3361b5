package dev.outpost.translator.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One YAML/JSON document of a file (or one item of a {@code kind: List} document).
 *
 * @param index 1-based position of the document in the file
 * @param item 1-based position in a List's items, if it came from one
 */
record Document(String file, int index, Optional<Integer> item, JsonNode node) {

  /** Where this document is, for diagnostics: {@code document 2} or {@code document 2, item 3}. */
  String location() {
    return "document " + index + item.map(i -> ", item " + i).orElse("");
  }

  /** The {@code origin} recorded in ObjectMeta: {@code a.yaml, document 2}. */
  String origin() {
    return file + ", " + location();
  }

  /** The file part of an origin made by {@link #origin()}, or empty for other origins. */
  static Optional<String> fileOfOrigin(String origin) {
    int at = origin.lastIndexOf(", document ");
    return at < 0 ? Optional.empty() : Optional.of(origin.substring(0, at));
  }

  static String fileSubject(String file) {
    return "file " + file;
  }
}
