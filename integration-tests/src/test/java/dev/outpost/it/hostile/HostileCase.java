package dev.outpost.it.hostile;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One hostile input: in file mode what it writes into a config directory beside {@link
 * GoodConfig}'s file, in Kubernetes mode the objects it creates in the mock API server beside the
 * good ones; and the diagnostic it must produce.
 *
 * @param name unique, used as the test's name ({@code mode/category/what})
 * @param expected fragments that one diagnostic line must all contain (the file or resource, and
 *     the field where the case targets one); empty when no diagnostic is due (e.g. a field set to
 *     null, which YAML and Kubernetes read as absent)
 * @param heavy runs after the light cases, since without its fix it may keep a CPU busy past its
 *     timeout
 * @param viaCli file mode through {@code outpost translate} (in this JVM) instead of the reader,
 *     assembler, translator and checker called directly: the exit code and the printed config dump
 *     are checked too, at some tens of milliseconds more per case
 */
record HostileCase(
    String name,
    Mode mode,
    String category,
    ImmutableList<String> expected,
    ImmutableSet<Needs> needs,
    boolean heavy,
    boolean viaCli,
    FileSetup files,
    ImmutableList<String> objects) {

  enum Mode {
    FILE,
    KUBERNETES
  }

  /** Writes the hostile files of a file-mode case into the config directory. */
  @FunctionalInterface
  interface FileSetup {
    void write(Path dir) throws IOException, InterruptedException;
  }

  HostileCase {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(files, "files");
  }

  static HostileCase file(String category, String what, FileSetup files, String... expected) {
    return new HostileCase(
        "file/" + category + "/" + what, Mode.FILE, category, ImmutableList.copyOf(expected),
        ImmutableSet.of(), false, false, files, ImmutableList.of());
  }

  /** Objects as YAML or JSON, created in the mock API server in this order. */
  static HostileCase kubernetes(String category, String what, ImmutableList<String> objects, String... expected) {
    return new HostileCase(
        "k8s/" + category + "/" + what, Mode.KUBERNETES, category, ImmutableList.copyOf(expected),
        ImmutableSet.of(), false, false, dir -> {}, objects);
  }

  HostileCase needing(Needs... fixes) {
    return new HostileCase(
        name, mode, category, expected,
        ImmutableSet.<Needs>builder().addAll(needs).add(fixes).build(), heavy, viaCli, files, objects);
  }

  HostileCase asHeavy() {
    return new HostileCase(name, mode, category, expected, needs, true, viaCli, files, objects);
  }

  HostileCase viaTranslateCommand() {
    return new HostileCase(name, mode, category, expected, needs, heavy, true, files, objects);
  }

  /** The test's display name: the case, and the fixes it waits for. */
  String displayName() {
    String shown = viaCli ? name + " (translate)" : name;
    return needs.isEmpty()
        ? shown
        : shown + " [needs " + needs.stream().map(Enum::name).sorted().collect(Collectors.joining(",")) + "]";
  }
}
