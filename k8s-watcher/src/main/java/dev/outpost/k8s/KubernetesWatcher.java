package dev.outpost.k8s;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.MeshConfig;
import dev.outpost.translator.parse.SnapshotAssembler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes config source: informers on the Istio egress kinds, the Secrets gateways may use,
 * the pods proxies run in, the Services and EndpointSlices that are in-cluster destinations
 * (the egress gateway's own Service among them), and Istio's mesh config (the one ConfigMap
 * {@code istio-system/istio}); after every burst of changes it assembles a new {@link
 * ConfigSnapshot} with the translator's own parser and hands it to the consumer (the server's
 * {@code publisher()::updateConfig}), exactly as the file source does with a directory.
 *
 * <p>Nothing is handed over before every informer has listed its resources once: an empty cache
 * at start would otherwise publish an empty config and tear down every proxy's routes. While the
 * API server is unreachable the informers reconnect with backoff and nothing is published, so
 * proxies keep the last config.
 *
 * <p>Threads: {@link #start()} returns at once; discovery and the first list run on a starter
 * thread (retrying until the API server answers), rebuilds and the consumer on one scheduler
 * thread, so the consumer is never called concurrently.
 */
public final class KubernetesWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWatcher.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final WatcherOptions options;
  private final Consumer<ConfigSnapshot> consumer;
  private final ImmutableList<IstioKind> kinds;
  private final GatewaySelection gatewaySelection;
  private final ApiServerHealth health = new ApiServerHealth();
  private final SnapshotAssembler assembler = new SnapshotAssembler();
  private final DiagnosticsLog diagnosticsLog = new DiagnosticsLog();
  private final ScheduledExecutorService executor;
  private final RebuildScheduler scheduler;
  private final CountDownLatch syncedLatch = new CountDownLatch(1);
  private final AtomicLong rebuilds = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong rebuildFailures = new AtomicLong();

  // Written by the starter thread before syncedLatch opens, read after it.
  private final List<IstioInformer> istioInformers = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<Secret>> secretInformers = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<Pod>> podInformers = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<Service>> serviceInformers = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<EndpointSlice>> sliceInformers = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<ConfigMap>> meshConfigInformers = new CopyOnWriteArrayList<>();
  private volatile PodIndex pods = new PodIndex(List.of());
  // The pods (NAMESPACE/NAME) the latest rebuild's EndpointSlices point at: their labels and
  // service accounts are part of the config, so a change to one of them rebuilds.
  private volatile ImmutableSet<String> endpointPods = ImmutableSet.of();
  private volatile ImmutableMap<IstioKind, String> servedVersions = ImmutableMap.of();
  private volatile ImmutableSet<ResourceRef> lastRead = ImmutableSet.of();
  private volatile boolean informersSynced;
  private volatile boolean synced;
  private volatile boolean closed;
  private Thread starter;

  // Only touched on the executor thread.
  private ConfigSnapshot previous = ConfigSnapshot.EMPTY;
  private ConfigSnapshot lastPublished;
  private final Set<String> loggedForeignGateways = new HashSet<>();
  private final SourceFileCache sourceFileCache = new SourceFileCache();

  /** An informer of one Istio kind in one namespace (or all). */
  private record IstioInformer(IstioKind kind, String apiVersion, SharedIndexInformer<GenericKubernetesResource> informer) {}

  /** Connects as {@code options} say (kubeconfig/context, else in-cluster or the default kubeconfig). */
  public static KubernetesWatcher create(WatcherOptions options, Consumer<ConfigSnapshot> consumer)
      throws IOException {
    return new KubernetesWatcher(ClusterClients.builder(options), options, consumer);
  }

  /**
   * With a prepared client builder (tests use the mock API server's configuration). The watcher
   * adds its API-server health interceptor, builds the client and owns it.
   */
  public KubernetesWatcher(
      KubernetesClientBuilder clientBuilder, WatcherOptions options, Consumer<ConfigSnapshot> consumer) {
    this(clientBuilder, options, consumer, IstioKind.EGRESS);
  }

  KubernetesWatcher(
      KubernetesClientBuilder clientBuilder,
      WatcherOptions options,
      Consumer<ConfigSnapshot> consumer,
      List<IstioKind> kinds) {
    this.options = Objects.requireNonNull(options, "options");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.kinds = ImmutableList.copyOf(kinds);
    this.gatewaySelection = new GatewaySelection(options.gatewaySelector());
    this.client =
        clientBuilder
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiServerHealth.NAME, health))
            .build();
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "outpost-k8s-rebuild");
              t.setDaemon(true);
              return t;
            });
    this.scheduler = new RebuildScheduler(executor, options.quiet(), options.maxDelay(), this::rebuild);
  }

  /** Starts discovery and the informers in the background; see {@link #isSynced()}. */
  public synchronized void start() {
    if (starter != null) {
      throw new IllegalStateException("already started");
    }
    starter = new Thread(this::startInformers, "outpost-k8s-start");
    starter.setDaemon(true);
    starter.start();
  }

  /**
   * True once every informer has listed its resources and the first snapshot was assembled from
   * them; the server's {@code /readyz}. Until then the consumer has not been called.
   */
  public boolean isSynced() {
    return synced;
  }

  /** Waits until {@link #isSynced()}; false on timeout. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    return syncedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * The pod a proxy with this node id ({@code POD_NAME.NAMESPACE}) runs in, from the API server;
   * empty when no such pod is known (not yet synced, deleted, or outside the watched namespaces).
   */
  public Optional<PodIdentity> lookup(String nodeId) {
    return pods.lookup(nodeId);
  }

  /** The version read for each kind the cluster serves; empty until discovery is done. */
  public ImmutableMap<IstioKind, String> servedVersions() {
    return servedVersions;
  }

  /**
   * The Istio objects the latest rebuild read (Gateways left to another control plane and Secrets
   * excluded), for status reporting. Set before the consumer is called on the same thread, so
   * inside the consumer it describes exactly the snapshot being handed over.
   */
  public ImmutableSet<ResourceRef> lastRead() {
    return lastRead;
  }

  public WatcherStats stats() {
    return new WatcherStats(
        synced,
        rebuilds.get(),
        published.get(),
        rebuildFailures.get(),
        health.reachable(),
        health.outages(),
        health.connectionFailures());
  }

  private void startInformers() {
    try {
      ImmutableMap<IstioKind, String> versions = discoverWithRetry();
      if (closed) {
        return;
      }
      servedVersions = versions;
      LOG.info(
          "reading Istio resources in {}, Secrets in {}, Pods, Services and EndpointSlices in {},"
              + " the mesh config from ConfigMap istio-system/istio{}",
          options.watchNamespaces().isEmpty() ? "all namespaces" : options.watchNamespaces(),
          secretNamespaces(),
          options.watchNamespaces().isEmpty() ? "all namespaces" : podNamespaces(),
          gatewaySelection.takesAll()
              ? ""
              : "; Gateways only if their selector contains " + gatewaySelection.required());
      List<CompletableFuture<Void>> started = new ArrayList<>();
      versions.forEach((kind, version) -> started.addAll(startIstioInformers(kind, version)));
      for (String namespace : secretNamespaces()) {
        FilterWatchListDeletable<Secret, ?, ?> secrets = client.secrets().inNamespace(namespace);
        for (String type : SecretScope.EXCLUDED_BY_SERVER) {
          secrets = secrets.withoutField("type", type);
        }
        SharedIndexInformer<Secret> informer = secrets.runnableInformer(0);
        secretInformers.add(informer);
        started.add(startInformer(informer, true, "Secrets in namespace " + namespace));
      }
      for (String namespace : podNamespaces()) {
        SharedIndexInformer<Pod> informer = unstartedInformer(client.pods(), namespace);
        // A pod is large (containers, volumes, status) and a cluster has many; keep only what an
        // identity needs, so that watching every pod costs little memory.
        informer.itemStore(
            new ReducedStateItemStore<>(
                ReducedStateItemStore.NAME_KEY_STATE, Pod.class, client.getKubernetesSerialization(),
                PodIndex.STORED_FIELDS));
        podInformers.add(informer);
        // Pods are proxies' identities, and config only where an EndpointSlice points at them.
        informer.addEventHandler(new EndpointPodChanges());
        started.add(startInformer(informer, false, "Pods in " + describe(namespace)));
      }
      // In-cluster destinations: in the same namespaces as the proxies, since a gateway's or a
      // client's destinations (the gateway's own Service) live there.
      for (String namespace : podNamespaces()) {
        SharedIndexInformer<Service> services = unstartedInformer(client.services(), namespace);
        serviceInformers.add(services);
        started.add(startInformer(services, true, "Services in " + describe(namespace)));
        SharedIndexInformer<EndpointSlice> slices =
            unstartedInformer(client.discovery().v1().endpointSlices(), namespace);
        sliceInformers.add(slices);
        started.add(startInformer(slices, true, "EndpointSlices in " + describe(namespace)));
      }
      started.add(startMeshConfigInformer());
      pods = new PodIndex(podInformers);
      if (closed) {
        stopInformers(); // close() ran while they were being made
        return;
      }
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get();
      if (closed) {
        return;
      }
      LOG.info("all {} informers have synced; publishing the cluster's config", started.size());
      executor.execute(
          () -> {
            informersSynced = true;
            rebuild();
            synced = true;
            syncedLatch.countDown();
          });
      rediscoverUntilAllServed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      if (!closed) {
        LOG.error("the Kubernetes watcher could not start; no config will be published", e);
      }
    }
  }

  /**
   * Istio's mesh config, whatever the watch namespaces: it is mesh-wide. A field selector on the
   * name asks the API server for that one ConfigMap, so no other ConfigMap (application settings,
   * other control planes' data) is ever sent to Outpost, and RBAC can grant {@code configmaps}
   * with {@code resourceNames: [istio]} in {@code istio-system} alone.
   */
  private CompletableFuture<Void> startMeshConfigInformer() {
    SharedIndexInformer<ConfigMap> informer =
        client
            .configMaps()
            .inNamespace(MeshConfig.ROOT_NAMESPACE)
            .withField("metadata.name", MeshConfig.CONFIG_MAP_NAME)
            .runnableInformer(0);
    meshConfigInformers.add(informer);
    return startInformer(
        informer, true, "ConfigMap " + MeshConfig.ROOT_NAMESPACE + "/" + MeshConfig.CONFIG_MAP_NAME);
  }

  /** An informer (no resync) on {@code operation} in {@code namespace}, or all when null; not started. */
  private static <T extends HasMetadata> SharedIndexInformer<T> unstartedInformer(
      MixedOperation<T, ?, ?> operation, String namespace) {
    Informable<T> scope =
        namespace == null ? operation.inAnyNamespace() : operation.inNamespace(namespace);
    return scope.runnableInformer(0);
  }

  /** Informers for one Istio kind at one version, per watched namespace (or all), started. */
  private List<CompletableFuture<Void>> startIstioInformers(IstioKind kind, String version) {
    String apiVersion = kind.group() + "/" + version;
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup(kind.group())
            .withVersion(version)
            .withKind(kind.kind())
            .withPlural(kind.plural())
            .withNamespaced(true)
            .build();
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (String namespace : namespacesOrAll(options.watchNamespaces())) {
      SharedIndexInformer<GenericKubernetesResource> informer =
          unstartedInformer(client.genericKubernetesResources(context), namespace);
      istioInformers.add(new IstioInformer(kind, apiVersion, informer));
      started.add(startInformer(informer, true, kind + " in " + describe(namespace)));
    }
    return started;
  }

  /**
   * Asks API discovery again, every {@link WatcherOptions#rediscovery()}, for the Istio kinds the
   * cluster did not serve, and reads each one as soon as it is: installing Istio's CRDs (or
   * deploy/crds) after Outpost needs no restart. The new informers' first list arrives as add
   * events, which rebuild as any change does; until then the kind reads as empty, as before.
   * Runs on the starter thread after the first sync, until every kind is served or the watcher
   * closes. A failed discovery is only logged: the kinds already read are not affected.
   */
  private void rediscoverUntilAllServed() throws InterruptedException {
    while (!closed && servedVersions.size() < kinds.size()) {
      Thread.sleep(options.rediscovery().toMillis());
      if (closed) {
        return;
      }
      List<IstioKind> missing = kinds.stream().filter(k -> !servedVersions.containsKey(k)).toList();
      ImmutableMap<IstioKind, String> found;
      try {
        found = ServedVersions.discover(client, missing);
      } catch (KubernetesClientException e) {
        LOG.debug("API discovery for {} failed ({}); asking again later", missing, describe(e));
        continue;
      }
      if (found.isEmpty()) {
        continue;
      }
      found.forEach(
          (kind, version) -> {
            LOG.info("the cluster now serves {} at {}/{}; reading it", kind.kind(), kind.group(), version);
            startIstioInformers(kind, version);
          });
      servedVersions =
          ImmutableMap.<IstioKind, String>builder().putAll(servedVersions).putAll(found).buildKeepingLast();
      if (closed) {
        stopInformers(); // close() may have run while they were being made
      }
    }
  }

  private ImmutableMap<IstioKind, String> discoverWithRetry() throws InterruptedException {
    Duration wait = FIRST_RETRY;
    while (!closed) {
      try {
        ImmutableMap<IstioKind, String> versions = ServedVersions.discover(client, kinds);
        for (IstioKind kind : kinds) {
          if (versions.containsKey(kind)) {
            LOG.info("reading {} at {}/{}", kind.kind(), kind.group(), versions.get(kind));
          } else {
            LOG.warn(
                "the cluster serves no version of {} ({}): read as empty until its CRD is installed"
                    + " (API discovery is asked again every {} s)",
                kind.kind(),
                String.join(", ", kind.versions()),
                options.rediscovery().toSeconds());
          }
        }
        return versions;
      } catch (KubernetesClientException e) {
        LOG.warn("API discovery failed ({}); retrying in {} s", describe(e), wait.toSeconds());
        Thread.sleep(wait.toMillis());
        wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
      }
    }
    return ImmutableMap.of();
  }

  private <T extends HasMetadata> CompletableFuture<Void> startInformer(
      SharedIndexInformer<T> informer, boolean rebuildOnChange, String what) {
    if (rebuildOnChange) {
      informer.addEventHandler(
          new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
              scheduler.changed();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
              if (!Objects.equals(
                  oldObj.getMetadata().getResourceVersion(), newObj.getMetadata().getResourceVersion())) {
                scheduler.changed();
              }
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
              scheduler.changed();
            }
          });
    }
    // Keep retrying whatever fails: a watcher that gave up would serve stale config silently.
    informer.exceptionHandler(
        (isStarted, t) -> {
          if (!closed) {
            LOG.warn("watching {} failed ({}){}; retrying", what, describe(t), forbiddenHint(t));
          }
          return !closed;
        });
    return informer.start().toCompletableFuture();
  }

  private ImmutableSet<String> secretNamespaces() {
    if (!options.secretNamespaces().isEmpty()) {
      return options.secretNamespaces();
    }
    String own = client.getNamespace();
    return ImmutableSet.of(own == null || own.isEmpty() ? "default" : own);
  }

  /** Proxies run in the watched namespaces (clients) and the gateway namespaces. */
  private List<String> podNamespaces() {
    if (options.watchNamespaces().isEmpty()) {
      return namespacesOrAll(ImmutableSet.of());
    }
    return List.copyOf(
        ImmutableSet.<String>builder().addAll(options.watchNamespaces()).addAll(secretNamespaces()).build());
  }

  private static List<String> namespacesOrAll(ImmutableSet<String> namespaces) {
    List<String> out = new ArrayList<>(namespaces);
    if (out.isEmpty()) {
      out.add(null); // all namespaces
    }
    return out;
  }

  private static String forbiddenHint(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof KubernetesClientException k && k.getCode() == 403) {
        return "; Outpost's service account needs get, list and watch on it (see deploy/ RBAC)";
      }
    }
    return "";
  }

  /**
   * A failure for the log. fabric8 wraps the cause in a generic "An error has occurred.", so the
   * cause is named too. A watch event that could not be read is never quoted: fabric8 puts the raw
   * event, a whole Secret with its private key included, into that exception's message.
   */
  static String describe(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof WatcherException w && w.getRawWatchMessage().isPresent()) {
        return "a watch event could not be read (" + w.getClass().getSimpleName()
            + "; its content is not logged: it may hold Secret data)";
      }
    }
    return e.getCause() == null || e.getCause() == e ? e.toString() : e.getMessage() + ": " + e.getCause();
  }

  private static String describe(String namespace) {
    return namespace == null ? "all namespaces" : "namespace " + namespace;
  }

  /** Assembles and hands over a snapshot of the caches; runs on the executor thread only. */
  private void rebuild() {
    if (!informersSynced || closed) {
      return; // the first rebuild runs when every informer has synced
    }
    rebuilds.incrementAndGet();
    try {
      ConfigSnapshot snapshot = ResourceFiles.nameObjectsInDiagnostics(assembler.assemble(sourceFiles(), previous));
      previous = snapshot;
      diagnosticsLog.log(snapshot);
      if (snapshot.equals(lastPublished)) {
        return; // e.g. a change to an object Outpost does not take, or a re-list after an outage
      }
      consumer.accept(snapshot);
      lastPublished = snapshot; // only once accepted: a consumer that threw gets it again
      published.incrementAndGet();
    } catch (RuntimeException e) {
      rebuildFailures.incrementAndGet();
      LOG.error("rebuilding the config from the cluster failed; proxies keep the last config", e);
    }
  }

  private List<SourceFile> sourceFiles() {
    List<SourceFile> files = new ArrayList<>();
    ImmutableSet.Builder<ResourceRef> read = ImmutableSet.builder();
    Set<String> foreignGateways = new HashSet<>();
    for (IstioInformer source : istioInformers) {
      for (GenericKubernetesResource object : source.informer().getStore().list()) {
        if (source.kind().equals(IstioKind.GATEWAY) && !gatewaySelection.takes(object)) {
          foreignGateways.add(object.getMetadata().getNamespace() + "/" + object.getMetadata().getName());
          continue;
        }
        files.add(sourceFileCache.get(object, source.apiVersion(), source.kind().kind()));
        read.add(refOf(object, source));
      }
    }
    lastRead = read.build();
    for (SharedIndexInformer<Secret> informer : secretInformers) {
      for (Secret secret : informer.getStore().list()) {
        if (SecretScope.readable(secret)) {
          files.add(sourceFileCache.get(secret, "v1", "Secret"));
        }
      }
    }
    addServiceRegistry(files);
    for (SharedIndexInformer<ConfigMap> informer : meshConfigInformers) {
      for (ConfigMap meshConfig : informer.getStore().list()) {
        // Not in lastRead: Outpost writes no status on a ConfigMap (it has none to write to).
        files.add(sourceFileCache.get(meshConfig, "v1", "ConfigMap"));
      }
    }
    logForeignGateways(foreignGateways);
    sourceFileCache.retainOnly(files.stream().map(SourceFile::name).collect(Collectors.toSet()));
    return files;
  }

  /**
   * Services, their EndpointSlices, and the pods those point at (name, labels, service account:
   * what the pod informers keep), so that subsets and ISTIO_MUTUAL can use the pods' labels and
   * identities. A slice may name a pod the pod informer has not seen yet; the pod's arrival then
   * rebuilds ({@link EndpointPodChanges}).
   */
  private void addServiceRegistry(List<SourceFile> files) {
    for (SharedIndexInformer<Service> informer : serviceInformers) {
      for (Service service : informer.getStore().list()) {
        files.add(sourceFileCache.get(service, "v1", "Service"));
      }
    }
    ImmutableSet.Builder<String> podKeys = ImmutableSet.builder();
    for (SharedIndexInformer<EndpointSlice> informer : sliceInformers) {
      for (EndpointSlice slice : informer.getStore().list()) {
        files.add(sourceFileCache.get(slice, "discovery.k8s.io/v1", "EndpointSlice"));
        String namespace = slice.getMetadata().getNamespace();
        for (var endpoint : Objects.requireNonNullElse(slice.getEndpoints(), List.<Endpoint>of())) {
          var target = endpoint.getTargetRef();
          if (target != null && "Pod".equals(target.getKind()) && target.getName() != null) {
            podKeys.add(namespace + "/" + target.getName());
          }
        }
      }
    }
    endpointPods = podKeys.build();
    for (String key : endpointPods) {
      pods.pod(key).ifPresent(pod -> files.add(sourceFileCache.get(pod, "v1", "Pod")));
    }
  }

  /**
   * Rebuilds when a pod behind an endpoint appears, goes, or changes labels or service account;
   * every other pod change (status, most of all) is identity only.
   */
  private final class EndpointPodChanges implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      changedIfEndpoint(pod);
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {
      PodIdentity before = PodIndex.identityOf(oldPod);
      PodIdentity after = PodIndex.identityOf(newPod);
      if (!before.labels().equals(after.labels()) || !before.serviceAccount().equals(after.serviceAccount())) {
        changedIfEndpoint(newPod);
      }
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      changedIfEndpoint(pod);
    }

    private void changedIfEndpoint(Pod pod) {
      if (endpointPods.contains(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName())) {
        scheduler.changed();
      }
    }
  }

  private static ResourceRef refOf(GenericKubernetesResource object, IstioInformer source) {
    var meta = object.getMetadata();
    return new ResourceRef(
        source.apiVersion(),
        source.kind().kind(),
        Objects.requireNonNullElse(meta.getNamespace(), ""),
        meta.getName(),
        Objects.requireNonNullElse(meta.getUid(), ""),
        meta.getGeneration() == null ? 0 : meta.getGeneration());
  }

  private void logForeignGateways(Set<String> foreign) {
    loggedForeignGateways.retainAll(foreign);
    for (String name : foreign) {
      if (loggedForeignGateways.add(name)) {
        LOG.info(
            "Gateway {} is left to another control plane: its spec.selector does not contain {}",
            name,
            gatewaySelection.required());
      }
    }
  }

  private void stopInformers() {
    istioInformers.forEach(source -> source.informer().stop());
    secretInformers.forEach(SharedIndexInformer::stop);
    podInformers.forEach(SharedIndexInformer::stop);
    serviceInformers.forEach(SharedIndexInformer::stop);
    sliceInformers.forEach(SharedIndexInformer::stop);
    meshConfigInformers.forEach(SharedIndexInformer::stop);
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = starter;
    }
    if (t != null) {
      t.interrupt();
    }
    stopInformers();
    executor.shutdownNow();
    client.close();
  }
}
