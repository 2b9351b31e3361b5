package dev.outpost.server.cli;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Who the proxy is: the options {@code translate} and {@code bootstrap} share. */
final class ProxyOptions {
  @Option(names = "--node-id", defaultValue = "outpost-cli", description = "Envoy node id (default: ${DEFAULT-VALUE}).")
  String nodeId;

  @Option(names = "--namespace", defaultValue = "istio-system", description = "The proxy's namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  // A String, not a Map: picocli treats Map options as repeated k=v and bypasses converters.
  @Option(
      names = "--labels",
      defaultValue = "istio=egressgateway",
      description = "The proxy's pod labels, k=v,k=v; Gateways select proxies by them (default: ${DEFAULT-VALUE}).")
  String labels;

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--role",
      defaultValue = "gateway",
      converter = RoleConverter.class,
      description = "gateway or client (default: ${DEFAULT-VALUE}).")
  ProxyRole role;

  @Option(names = "--service-account", defaultValue = "istio-egressgateway", description = "The proxy's service account (default: ${DEFAULT-VALUE}).")
  String serviceAccount;

  ProxyIdentity identity() {
    try {
      return new ProxyIdentity(nodeId, role, namespace, serviceAccount, parseLabels(labels));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--labels: " + e.getMessage());
    }
  }

  /** {@code k=v,k=v} → sorted map; the exception message says what is wrong. */
  static ImmutableSortedMap<String, String> parseLabels(String value) {
    ImmutableSortedMap.Builder<String, String> labels = ImmutableSortedMap.naturalOrder();
    for (String pair : Splitter.on(',').trimResults().omitEmptyStrings().split(value)) {
      List<String> kv = Splitter.on('=').limit(2).splitToList(pair);
      if (kv.size() != 2 || kv.get(0).isEmpty()) {
        throw new IllegalArgumentException("\"" + pair + "\" is not a label; write labels as key=value,key=value");
      }
      labels.put(kv.get(0), kv.get(1));
    }
    try {
      return labels.buildOrThrow();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a label key appears twice in \"" + value + "\"");
    }
  }

  static final class RoleConverter implements CommandLine.ITypeConverter<ProxyRole> {
    @Override
    public ProxyRole convert(String value) {
      return ProxyRole.fromWireName(value)
          .orElseThrow(() -> new CommandLine.TypeConversionException("\"" + value + "\" is not a role; use gateway or client"));
    }
  }
}
