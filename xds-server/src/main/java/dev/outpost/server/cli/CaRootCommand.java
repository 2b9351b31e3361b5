package dev.outpost.server.cli;

import dev.outpost.server.ca.AtomicFiles;
import dev.outpost.server.ca.CaException;
import dev.outpost.server.ca.MeshCa;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints (or writes) the mesh trust bundle, root-cert.pem. */
@Command(
    name = "root",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 1,
    description = "Print the mesh CA's trust bundle (root-cert.pem), or write it to --out FILE.")
public final class CaRootCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the bundle here instead of stdout.")
  Path out;

  @Mixin CaOptions ca;

  @Override
  public Integer call() {
    MeshCa meshCa;
    try {
      meshCa = ca.load(Instant.now());
    } catch (CaException e) {
      spec.commandLine().getErr().println("outpost ca root: " + e.getMessage());
      return 1;
    }
    if (out == null) {
      spec.commandLine().getOut().print(meshCa.trustBundlePem());
      spec.commandLine().getOut().flush();
      return 0;
    }
    try {
      AtomicFiles.write(out.toAbsolutePath(), meshCa.trustBundlePem(), false);
    } catch (IOException e) {
      spec.commandLine().getErr().println("outpost ca root: cannot write --out " + out + ": " + e.getMessage());
      return 1;
    }
    return 0;
  }
}
