package dev.outpost.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** The client configuration {@link WatcherOptions} ask for. */
public final class ClusterClients {
  private ClusterClients() {}

  /**
   * A builder for the configured cluster: the kubeconfig file and context if given, else fabric8's
   * auto-configuration (in a pod: the service account token and the API server from the
   * environment; outside: {@code KUBECONFIG} or {@code ~/.kube/config}).
   */
  public static KubernetesClientBuilder builder(WatcherOptions options) throws IOException {
    Config config;
    if (options.kubeconfig().isPresent()) {
      String text = Files.readString(options.kubeconfig().get(), StandardCharsets.UTF_8);
      config =
          Config.fromKubeconfig(
              options.context().orElse(null), text, options.kubeconfig().get().toString());
    } else {
      config = Config.autoConfigure(options.context().orElse(null));
    }
    return new KubernetesClientBuilder().withConfig(config);
  }
}
