package dev.outpost.it.hostile;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * What a config directory can hold besides files: a FIFO (opening it would block), devices (endless
 * or empty), a socket, symlink loops and dangling links, a link out of the directory, a file root
 * cannot read (/proc/self/mem: chmod 000 does not stop root, which the tests run as; the chmod
 * case is here too and shows the file is read), a directory named like a file, odd file names.
 * Each must be named by a diagnostic (or, where it is readable, read), never hang the reader.
 */
final class FilesystemCases {
  private FilesystemCases() {}

  static List<HostileCase> cases() {
    List<HostileCase> cases = new ArrayList<>();
    String broken = BadByteCases.BROKEN_VS;
    String[] brokenVs = BadByteCases.BROKEN_VS_DIAGNOSTIC;
    cases.add(fs("fifo", dir -> CaseFiles.run("mkfifo", dir.resolve("fifo.yaml").toString()), "file fifo.yaml"));
    cases.add(fs("link-to-dev-zero", dir -> Files.createSymbolicLink(dir.resolve("zero.yaml"), Path.of("/dev/zero")), "file zero.yaml"));
    cases.add(fs("link-to-dev-urandom", dir -> Files.createSymbolicLink(dir.resolve("urandom.yaml"), Path.of("/dev/urandom")), "file urandom.yaml"));
    cases.add(fs("link-to-dev-null", dir -> Files.createSymbolicLink(dir.resolve("null.yaml"), Path.of("/dev/null")), "file null.yaml"));
    cases.add(fs("unix-socket", dir -> {
      try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        socket.bind(UnixDomainSocketAddress.of(dir.resolve("socket.yaml")));
      }
    }, "file socket.yaml"));
    cases.add(fs("symlink-loop-of-two", dir -> {
      Files.createSymbolicLink(dir.resolve("a.yaml"), Path.of("b.yaml"));
      Files.createSymbolicLink(dir.resolve("b.yaml"), Path.of("a.yaml"));
    }, "file a.yaml"));
    cases.add(fs("symlink-to-itself", dir -> Files.createSymbolicLink(dir.resolve("self.yaml"), Path.of("self.yaml")), "file self.yaml"));
    cases.add(fs("dangling-symlink", dir -> Files.createSymbolicLink(dir.resolve("dangling.yaml"), Path.of("missing.yaml")), "file dangling.yaml"));
    cases.add(HostileCase.file("filesystem", "directory-link-loop", dir -> {
      Files.createDirectories(dir.resolve("sub"));
      Files.createSymbolicLink(dir.resolve("sub/up"), Path.of(".."));
    }, "sub/up").viaTranslateCommand());
    cases.add(HostileCase.file("filesystem", "unreadable-for-root-proc-self-mem",
        dir -> Files.createSymbolicLink(dir.resolve("mem.yaml"), Path.of("/proc/self/mem")), "file mem.yaml").viaTranslateCommand());
    cases.add(HostileCase.file("filesystem", "chmod-000-is-read-by-root", dir -> {
      Path file = CaseFiles.write(dir, "locked.yaml", broken);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    }, brokenVs).viaTranslateCommand());
    cases.add(HostileCase.file("filesystem", "link-out-of-the-directory-to-etc-passwd",
        dir -> Files.createSymbolicLink(dir.resolve("passwd.yaml"), Path.of("/etc/passwd")), "file passwd.yaml").viaTranslateCommand());
    cases.add(HostileCase.file("filesystem", "directory-named-x-yaml-is-walked",
        dir -> CaseFiles.write(dir, "x.yaml/inner.yaml", broken), brokenVs).viaTranslateCommand());
    cases.add(HostileCase.file("filesystem", "uppercase-extension-is-read",
        dir -> CaseFiles.write(dir, "HOSTILE.YML", broken), brokenVs).viaTranslateCommand());
    cases.add(HostileCase.file("filesystem", "newline-and-escape-in-the-file-name",
        dir -> CaseFiles.write(dir, "evil\n\u001b[2Jname.yaml", broken), brokenVs).viaTranslateCommand());
    cases.add(HostileCase.file("filesystem", "250-character-file-name",
        dir -> CaseFiles.write(dir, "n".repeat(245) + ".yaml", broken), brokenVs).viaTranslateCommand());
    cases.add(HostileCase.file("filesystem", "empty-file-is-nothing", dir -> CaseFiles.write(dir, "empty.yaml", "")).viaTranslateCommand());
    cases.add(HostileCase.file("filesystem", "hidden-file-is-skipped", dir -> CaseFiles.write(dir, ".hostile.yaml", broken)).viaTranslateCommand());
    return cases;
  }

  private static HostileCase fs(String what, HostileCase.FileSetup setup, String expected) {
    return HostileCase.file("filesystem", what, setup, expected).needing(Needs.FS_DIAGNOSTICS).viaTranslateCommand();
  }
}
