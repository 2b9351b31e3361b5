package dev.outpost.translator.api;

import java.util.Objects;

/**
 * One input file's text, handed to the translator by whoever did the I/O (the file source, a
 * test, the CLI). {@code name} is what diagnostics call it, usually a path relative to the
 * config directory.
 */
public record SourceFile(String name, String text) {
  public SourceFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
  }
}
