package dev.outpost.server.cli;

import com.google.common.net.HostAndPort;
import dev.outpost.server.bootstrap.BootstrapBuilder;
import dev.outpost.server.bootstrap.ProtoYaml;
import dev.outpost.server.dump.JsonTypes;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.check.SnapshotChecker;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints an Envoy bootstrap that connects a stock Envoy to Outpost over ADS. */
@Command(
    name = "bootstrap",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 1,
    description = {
      "Print an Envoy v3 bootstrap (YAML) that gets all config from Outpost over ADS.",
      "Example:",
      "  java -jar outpost.jar bootstrap --xds-address 127.0.0.1:18000 > envoy.yaml",
      "  envoy -c envoy.yaml"
    })
public final class BootstrapCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--xds-address",
      required = true,
      converter = HostAndPortConverter.class,
      description = "Where Envoy reaches Outpost's xDS port, HOST:PORT (a host name is re-resolved by DNS).")
  HostAndPort xdsAddress;

  @Mixin ProxyOptions proxy;

  @Option(names = "--cluster", defaultValue = "istio-egressgateway", description = "Envoy's node.cluster, shown in its stats (default: ${DEFAULT-VALUE}).")
  String cluster;

  static final class Protocol {
    @Option(names = "--delta", description = "Use incremental (delta) xDS.")
    boolean delta;

    @Option(names = "--sotw", description = "Use state-of-the-world xDS (the default).")
    boolean sotw;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Protocol protocol = new Protocol();

  @Option(
      names = "--admin-address",
      defaultValue = "127.0.0.1",
      description = {
        "Address Envoy's admin interface listens on (default: ${DEFAULT-VALUE}). Use 0.0.0.0 only to reach",
        "it through a container port mapping: the admin API can reconfigure and stop Envoy."
      })
  String adminAddress;

  @Option(names = "--admin-port", defaultValue = "15000", converter = PortConverter.class, description = "Envoy admin port (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--stats-port", defaultValue = "15090", converter = PortConverter.class, description = "Port serving /stats/prometheus on all addresses (default: ${DEFAULT-VALUE}).")
  int statsPort;

  @Option(names = "--health-port", defaultValue = "15021", converter = PortConverter.class, description = "Port serving " + BootstrapBuilder.HEALTH_PATH + " (Envoy's readiness, for Kubernetes probes) on all addresses (default: ${DEFAULT-VALUE}).")
  int healthPort;

  @Override
  public Integer call() {
    BootstrapBuilder.Options options =
        new BootstrapBuilder.Options(
            xdsAddress, proxy.identity(), cluster, protocol.delta, adminAddress, adminPort, statsPort, healthPort);
    Bootstrap bootstrap = new BootstrapBuilder().build(options);
    // Never hand out a bootstrap Envoy would refuse to start with (e.g. a node id or port it
    // rejects): say what is wrong instead.
    CheckResult check = new SnapshotChecker().checkConstraints("Bootstrap", bootstrap.getNode().getId(), bootstrap);
    if (!check.ok()) {
      check.problems().forEach(problem -> spec.commandLine().getErr().println("outpost bootstrap: " + problem));
      return 1;
    }
    spec.commandLine().getOut().print(new ProtoYaml(JsonTypes.registry()).print(bootstrap));
    spec.commandLine().getOut().flush();
    return 0;
  }

  static final class HostAndPortConverter implements CommandLine.ITypeConverter<HostAndPort> {
    @Override
    public HostAndPort convert(String value) {
      try {
        HostAndPort address = HostAndPort.fromString(value);
        if (!address.hasPort() || address.getHost().isEmpty()) {
          throw new CommandLine.TypeConversionException("\"" + value + "\" needs HOST:PORT, e.g. outpost.istio-system:18000");
        }
        return address;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("\"" + value + "\" is not HOST:PORT: " + e.getMessage());
      }
    }
  }
}
