package dev.outpost.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes into a watched config directory the way a careful operator (or a ConfigMap) does. */
public final class ConfigFiles {
  private ConfigFiles() {}

  /**
   * Replaces {@code dir/name} atomically: written to a hidden temporary file (which the file
   * source ignores) and renamed over the target, so the watcher never reads half a file.
   */
  public static void replace(Path dir, String name, String content) throws IOException {
    Path temporary = dir.resolve("." + name + ".tmp");
    Files.writeString(temporary, content);
    Files.move(temporary, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
