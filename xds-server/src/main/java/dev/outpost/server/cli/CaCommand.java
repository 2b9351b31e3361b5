package dev.outpost.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code outpost ca ...}: the mesh CA from the command line. */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 1,
    description = "The mesh CA: issue a workload certificate, or print the trust bundle.",
    subcommands = {CaIssueCommand.class, CaRootCommand.class})
public final class CaCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: ca issue or ca root");
  }
}
