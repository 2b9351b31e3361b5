package dev.outpost.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar outpost.jar <command>}. */
@Command(
    name = "outpost",
    mixinStandardHelpOptions = true,
    versionProvider = OutpostCli.Version.class,
    exitCodeOnInvalidInput = 1,
    description = "xDS control plane for Envoy egress gateways, driven by the Istio egress API.",
    subcommands = {ServeCommand.class, TranslateCommand.class, BootstrapCommand.class, CaCommand.class, CommandLine.HelpCommand.class})
public final class OutpostCli implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Outpost's conventions: usage errors exit 1, like I/O errors. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new OutpostCli());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: serve, translate, bootstrap or ca");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = OutpostCli.class.getPackage().getImplementationVersion();
      return new String[] {"outpost " + (version != null ? version : "(development build)")};
    }
  }
}
