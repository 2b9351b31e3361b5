package dev.outpost.server.cli;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.outpost.k8s.WatcherOptions;
import dev.outpost.server.ca.KubernetesSecretCaStore;
import dev.outpost.server.k8s.PeerAddressCheck;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code serve --kubernetes} and the options that say which cluster and what to read. */
final class KubernetesOptions {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--kubernetes",
      description =
          "Read config from the Kubernetes API server (Istio resources, Secrets) and check each proxy against"
              + " its pod. In a pod: its service account; else --kubeconfig, KUBECONFIG or ~/.kube/config.")
  boolean enabled;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "With --kubernetes: the kubeconfig file to use.")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "With --kubernetes: the kubeconfig context (default: the current one).")
  String context;

  @Option(
      names = "--watch-namespaces",
      split = ",",
      paramLabel = "NS",
      description =
          "With --kubernetes: namespaces whose Istio resources and pods are read (include the gateway's, where"
              + " its Gateways usually live). Default: all.")
  List<String> watchNamespaces = List.of();

  @Option(
      names = "--secret-namespaces",
      split = ",",
      paramLabel = "NS",
      description =
          "With --kubernetes: namespaces whose Secrets are read: where the gateway proxies run (a credentialName"
              + " resolves only in the proxy's namespace). Default: --system-namespace, else the client's namespace.")
  List<String> secretNamespaces = List.of();

  @Option(
      names = "--gateway-selector",
      paramLabel = "K=V[,K=V...]",
      description =
          "With --kubernetes: take only the Gateways whose spec.selector contains all these labels (share a"
              + " cluster with istiod). Default: every Gateway.")
  String gatewaySelector;

  @Option(
      names = "--system-namespace",
      paramLabel = "NS",
      description =
          "With --kubernetes: the control plane's own namespace, where the mesh CA Secret lives. Default: the"
              + " pod's namespace (in a cluster) or the kubeconfig context's.")
  String systemNamespace;

  @Option(
      names = "--ca-secret",
      paramLabel = "NAME",
      defaultValue = KubernetesSecretCaStore.DEFAULT_SECRET,
      description =
          "With --kubernetes and without --ca-dir/--ca-state-dir: the Secret in the system namespace that holds"
              + " the self-signed mesh root, created once (default: ${DEFAULT-VALUE}). A Secret named cacerts"
              + " (Istio's plugged-in CA) is used instead when it exists.")
  String caSecret;

  @Option(
      names = "--leader-elect",
      description =
          "With --kubernetes: elect a leader among the replicas through a Lease in --system-namespace; only the"
              + " leader writes status conditions and Events on the Istio resources, every replica serves xDS."
              + " Without it, no status is written.")
  boolean leaderElect;

  @Option(
      names = "--leader-election-lease",
      defaultValue = "outpost-leader",
      paramLabel = "NAME",
      description = "With --leader-elect: the Lease's name (default: ${DEFAULT-VALUE}).")
  String leaderElectionLease;

  @Option(
      names = "--pod-name",
      paramLabel = "NAME",
      description =
          "With --leader-elect: this replica's identity in the Lease and on Events (default: env POD_NAME, else"
              + " the host name).")
  String podName;

  @Option(
      names = "--peer-address-check",
      paramLabel = "enforce|off",
      defaultValue = "enforce",
      description =
          "With --kubernetes: enforce (default) accepts a proxy's node id POD_NAME.NAMESPACE only over a"
              + " connection from one of that pod's IPs; off accepts it from anywhere, for networks that rewrite"
              + " source addresses on the way to Outpost (a sidecar in front of it, SNAT). Off leaves network"
              + " policy as the only barrier: see README, \"Security\".")
  PeerAddressCheck peerAddressCheck;

  /** Throws a usage error if a Kubernetes option is given without --kubernetes. */
  void checkUsage() {
    if (enabled) {
      return;
    }
    Map<String, Boolean> given = new LinkedHashMap<>();
    given.put("--kubeconfig", kubeconfig != null);
    given.put("--context", context != null);
    given.put("--watch-namespaces", !watchNamespaces.isEmpty());
    given.put("--secret-namespaces", !secretNamespaces.isEmpty());
    given.put("--gateway-selector", gatewaySelector != null);
    given.put("--system-namespace", systemNamespace != null);
    given.put("--ca-secret", !caSecret.equals(KubernetesSecretCaStore.DEFAULT_SECRET));
    given.put("--leader-elect", leaderElect);
    given.put("--leader-election-lease", !leaderElectionLease.equals("outpost-leader"));
    given.put("--pod-name", podName != null);
    given.put("--peer-address-check", peerAddressCheck != PeerAddressCheck.ENFORCE);
    given.forEach((flag, present) -> {
      if (present) {
        throw new CommandLine.ParameterException(spec.commandLine(), flag + " needs --kubernetes");
      }
    });
  }

  WatcherOptions watcherOptions() {
    WatcherOptions options = WatcherOptions.defaults();
    if (kubeconfig != null) {
      options = options.withKubeconfig(kubeconfig, Optional.ofNullable(context));
    } else if (context != null) {
      // No file named: the context is looked up in fabric8's default kubeconfig (KUBECONFIG, ~/.kube/config).
      options = new WatcherOptions(
          Optional.empty(), Optional.of(context), options.watchNamespaces(), options.secretNamespaces(),
          options.gatewaySelector(), options.quiet(), options.maxDelay(), options.rediscovery());
    }
    return options
        .withWatchNamespaces(namespaces("--watch-namespaces", watchNamespaces))
        .withSecretNamespaces(
            // The gateways usually run next to the control plane: its namespace is the default.
            secretNamespaces.isEmpty() && systemNamespace != null
                ? namespaces("--system-namespace", List.of(systemNamespace))
                : namespaces("--secret-namespaces", secretNamespaces))
        .withGatewaySelector(selector());
  }

  private ImmutableSet<String> namespaces(String flag, List<String> values) {
    for (String ns : values) {
      if (!ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), flag + ": \"" + ns + "\" is not a namespace name (lower case letters, digits, '-')");
      }
    }
    return ImmutableSet.copyOf(values);
  }

  private ImmutableMap<String, String> selector() {
    if (gatewaySelector == null) {
      return ImmutableMap.of();
    }
    ImmutableMap.Builder<String, String> labels = ImmutableMap.builder();
    for (String pair : gatewaySelector.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--gateway-selector: \"" + pair + "\" is not KEY=VALUE (e.g. outpost.dev/gateway=egress)");
      }
      labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    try {
      return labels.buildOrThrow();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--gateway-selector names a label twice: " + gatewaySelector);
    }
  }

  /** This replica's name for the Lease: --pod-name, else env POD_NAME, else the host name. */
  String podName() {
    if (podName != null && !podName.isBlank()) {
      return podName;
    }
    String env = System.getenv("POD_NAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "outpost-" + ProcessHandle.current().pid();
    }
  }
}
