package dev.outpost.translator.parse;

import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.model.ConfigSnapshot;
import java.util.List;

/**
 * Parses and validates a set of input files into one {@link ConfigSnapshot}. Pure: the caller did
 * the I/O. {@code previous} is the last snapshot this source produced ({@link ConfigSnapshot#EMPTY}
 * at first): a resource that is invalid now but was accepted before keeps its last good version.
 */
public final class SnapshotAssembler {

  public ConfigSnapshot assemble(List<SourceFile> files, ConfigSnapshot previous) {
    // Scaffold: replaced by the parser.
    return ConfigSnapshot.EMPTY;
  }
}
