package dev.outpost.it.hostile;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.outpost.k8s.IstioKind;
import dev.outpost.k8s.KubernetesWatcher;
import dev.outpost.k8s.WatcherOptions;
import dev.outpost.translator.model.ConfigSnapshot;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Kubernetes mode: a fresh fabric8 mock API server (CRUD mode) per case holding the good objects
 * and the case's, read by the real {@link KubernetesWatcher}; its first snapshot (handed over once
 * every informer has listed) is translated for the gateway and a client proxy and checked as the
 * server's gate checks it. A fresh server per case keeps cases independent; it costs tens of
 * milliseconds.
 */
final class KubernetesModeRun {
  private static final Duration SYNC = Duration.ofSeconds(15);
  private static final WatcherOptions OPTIONS =
      WatcherOptions.defaults()
          .withSecretNamespaces(ImmutableSet.of("istio-system"))
          .withDebounce(Duration.ofMillis(10), Duration.ofMillis(200));

  private KubernetesModeRun() {}

  /** One outcome per role; a failure before translation is reported on both. */
  static ImmutableList<RoleOutcome> run(HostileCase hostile) {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
            new KubernetesCrudDispatcher(), false);
    try (ConsoleCapture console = new ConsoleCapture()) {
      try {
        server.init();
        serveIstio(server);
        try (KubernetesClient client = server.createClient()) {
          createOnALargeStack(client, GoodConfig.OBJECTS);
          createOnALargeStack(client, hostile.objects());
          LinkedBlockingQueue<ConfigSnapshot> snapshots = new LinkedBlockingQueue<>();
          try (KubernetesWatcher watcher =
              new KubernetesWatcher(new KubernetesClientBuilder().withConfig(client.getConfiguration()), OPTIONS, snapshots::add)) {
            watcher.start();
            if (!watcher.awaitSynced(SYNC)) {
              return Pipeline.both(new AssertionError("the watcher did not sync within " + SYNC.toSeconds() + " s"), console.text());
            }
            ConfigSnapshot snapshot = snapshots.poll(SYNC.toSeconds(), TimeUnit.SECONDS);
            if (snapshot == null) {
              return Pipeline.both(new AssertionError("synced, but no snapshot was handed over"), console.text());
            }
            long failures = watcher.stats().rebuildFailures();
            if (failures > 0) {
              return Pipeline.both(new AssertionError(failures + " rebuild(s) of the snapshot failed"), console.text());
            }
            return Pipeline.forBothRoles(snapshot, console);
          }
        }
      } catch (Throwable t) { // an Error is a finding too
        return Pipeline.both(t, console.text());
      } finally {
        server.destroy();
      }
    }
  }

  /**
   * Creates the objects as kubectl would. The fabric8 client parses their YAML here, in the test,
   * with a recursive parser that a 900-deep value can overflow on a thread's usual stack: that is
   * the test's client failing, not Outpost, which gets the object as JSON from the API server.
   */
  private static void createOnALargeStack(KubernetesClient client, List<String> objects) throws Throwable {
    Throwable[] failure = new Throwable[1];
    Thread creator =
        new Thread(
            null,
            () -> {
              try {
                for (String object : objects) {
                  client.resource(object).create();
                }
              } catch (Throwable t) {
                failure[0] = t;
              }
            },
            "hostile-create",
            256L << 20);
    creator.start();
    creator.join();
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  /** Discovery lists the Istio kinds at their newest version, as a current Istio serves them. */
  private static void serveIstio(KubernetesMockServer server) {
    for (IstioKind kind : IstioKind.EGRESS) {
      server.expectCustomResource(
          new CustomResourceDefinitionContext.Builder()
              .withGroup(kind.group())
              .withVersion(kind.versions().get(0))
              .withKind(kind.kind())
              .withPlural(kind.plural())
              .withScope("Namespaced")
              .build());
    }
  }
}
