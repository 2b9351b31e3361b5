package dev.outpost.server.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Says what is wrong with a path in the config directory that is not a readable file: a
 * symbolic link that dangles or loops, or a FIFO, socket or device. Only looks at links and file
 * types; never opens anything.
 */
final class SpecialFiles {
  /** Linux gives up after 40 links; a longer chain is as good as a loop. */
  private static final int MAX_LINKS = 40;

  private static final int MAX_SHOWN_TARGET = 200;

  private SpecialFiles() {}

  /** Why a symbolic link could not be followed, naming what it points to. */
  static String brokenLink(Path link) {
    Set<Path> seen = new HashSet<>();
    Path current = link;
    try {
      for (int i = 0; i < MAX_LINKS; i++) {
        if (!seen.add(current.toAbsolutePath().normalize())) {
          return "is a symbolic link loop ("
              + shown(Files.readSymbolicLink(link))
              + " leads back to it) and is not read; fix or remove the link";
        }
        Path target = Files.readSymbolicLink(current);
        Path next = current.resolveSibling(target);
        if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
          return "is a dangling symbolic link: its target "
              + shown(target)
              + (current.equals(link) ? "" : " (reached through " + shown(Files.readSymbolicLink(link)) + ")")
              + " does not exist, so it is not read; restore the target or remove the link";
        }
        if (!Files.isSymbolicLink(next)) {
          return "is a symbolic link to "
              + shown(Files.readSymbolicLink(link))
              + " that could not be followed (it may have changed while being read); it is not read";
        }
        current = next;
      }
      return "is a symbolic link that leads through more than "
          + MAX_LINKS
          + " links (a loop) and is not read; fix or remove the link";
    } catch (IOException e) {
      return "is a symbolic link that cannot be followed (" + e.getClass().getSimpleName() + "); it is not read";
    }
  }

  /** What kind of file a non-regular file is, from its Unix mode; links are followed. */
  static String typeOf(Path file) {
    try {
      int mode = (Integer) Files.getAttribute(file, "unix:mode");
      return switch (mode & 0170000) {
        case 0010000 -> "a named pipe (FIFO)";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "a special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file";
    }
  }

  private static String shown(Path target) {
    String text = target.toString();
    return "\""
        + (text.length() <= MAX_SHOWN_TARGET ? text : text.substring(0, MAX_SHOWN_TARGET) + "...")
        + "\"";
  }
}
