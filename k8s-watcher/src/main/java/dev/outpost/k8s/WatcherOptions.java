package dev.outpost.k8s;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the watcher connects and what it reads.
 *
 * @param kubeconfig a kubeconfig file; empty: in-cluster service account, else {@code KUBECONFIG}
 *     or {@code ~/.kube/config} (fabric8's auto-configuration)
 * @param context the kubeconfig context; empty: the file's current context
 * @param watchNamespaces namespaces whose Istio resources and pods are read; empty: all
 * @param secretNamespaces namespaces whose Secrets are read: the namespaces the gateway proxies
 *     run in, since the translator resolves a {@code credentialName} only in the proxy's own
 *     namespace. Empty: the client's namespace (in a pod: the control plane's own namespace)
 * @param gatewaySelector labels a Gateway's {@code spec.selector} must contain for Outpost to take
 *     it; empty: every Gateway. See {@link GatewaySelection}
 * @param quiet a rebuild waits for this long without a change
 * @param maxDelay but never longer than this after the first change of a burst
 * @param rediscovery how often API discovery is asked again for Istio kinds the cluster did not
 *     serve, so that CRDs installed after Outpost started are read without a restart
 */
public record WatcherOptions(
    Optional<Path> kubeconfig,
    Optional<String> context,
    ImmutableSet<String> watchNamespaces,
    ImmutableSet<String> secretNamespaces,
    ImmutableMap<String, String> gatewaySelector,
    Duration quiet,
    Duration maxDelay,
    Duration rediscovery) {

  public static final Duration DEFAULT_QUIET = Duration.ofMillis(100);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REDISCOVERY = Duration.ofSeconds(30);

  public WatcherOptions {
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(watchNamespaces, "watchNamespaces");
    Objects.requireNonNull(secretNamespaces, "secretNamespaces");
    Objects.requireNonNull(gatewaySelector, "gatewaySelector");
    Objects.requireNonNull(quiet, "quiet");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(rediscovery, "rediscovery");
    if (rediscovery.isNegative() || rediscovery.isZero()) {
      throw new IllegalArgumentException("rediscovery must be positive, got " + rediscovery);
    }
    if (quiet.isNegative() || maxDelay.compareTo(quiet) < 0) {
      throw new IllegalArgumentException("need 0 <= quiet <= maxDelay, got " + quiet + " and " + maxDelay);
    }
  }

  /** In-cluster or default kubeconfig, all namespaces, every Gateway, 100 ms / 10 s, 30 s. */
  public static WatcherOptions defaults() {
    return new WatcherOptions(
        Optional.empty(),
        Optional.empty(),
        ImmutableSet.of(),
        ImmutableSet.of(),
        ImmutableMap.of(),
        DEFAULT_QUIET,
        DEFAULT_MAX_DELAY,
        DEFAULT_REDISCOVERY);
  }

  public WatcherOptions withKubeconfig(Path file, Optional<String> kubeContext) {
    return new WatcherOptions(
        Optional.of(file), kubeContext, watchNamespaces, secretNamespaces, gatewaySelector, quiet, maxDelay, rediscovery);
  }

  public WatcherOptions withWatchNamespaces(ImmutableSet<String> namespaces) {
    return new WatcherOptions(
        kubeconfig, context, namespaces, secretNamespaces, gatewaySelector, quiet, maxDelay, rediscovery);
  }

  public WatcherOptions withSecretNamespaces(ImmutableSet<String> namespaces) {
    return new WatcherOptions(
        kubeconfig, context, watchNamespaces, namespaces, gatewaySelector, quiet, maxDelay, rediscovery);
  }

  public WatcherOptions withGatewaySelector(ImmutableMap<String, String> selector) {
    return new WatcherOptions(
        kubeconfig, context, watchNamespaces, secretNamespaces, selector, quiet, maxDelay, rediscovery);
  }

  public WatcherOptions withDebounce(Duration newQuiet, Duration newMaxDelay) {
    return new WatcherOptions(
        kubeconfig, context, watchNamespaces, secretNamespaces, gatewaySelector, newQuiet, newMaxDelay, rediscovery);
  }

  public WatcherOptions withRediscovery(Duration interval) {
    return new WatcherOptions(
        kubeconfig, context, watchNamespaces, secretNamespaces, gatewaySelector, quiet, maxDelay, interval);
  }
}
