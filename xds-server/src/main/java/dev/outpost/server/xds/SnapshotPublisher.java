package dev.outpost.server.xds;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.outpost.server.metrics.Metrics;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.Translation;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns what each proxy group is served. Translates the current config once per group, passes the
 * result through the gate, and sets it in the cache only when it passed and its versions differ
 * from what the group has. A group whose new snapshot fails the gate keeps its last good one.
 *
 * <p>Synchronized: translations for a new group (from a gRPC thread) and for a config change (from
 * the file watcher) never interleave, so a group never goes back to older config.
 */
public final class SnapshotPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);

  private final XdsCache cache;
  private final ConfigTranslator translator;
  private final SnapshotGate gate;
  private final Metrics metrics;
  private final MeshSecretSupplier meshSecrets;
  // Read without the lock by /readyz and /debug/config_dump: a reload holds the lock while it
  // translates every group (seconds on a large config), and a readiness probe must not time out.
  private final Map<GroupKey, XdsSnapshot> published = new java.util.concurrent.ConcurrentHashMap<>();
  private final Set<GroupKey> groups = new java.util.LinkedHashSet<>();
  private final Map<GroupKey, Integer> members = new java.util.HashMap<>();
  // The mesh secrets each group's published snapshot references: what renewal looks at.
  private final Map<GroupKey, Set<String>> meshSecretNames = new java.util.HashMap<>();
  // Diagnostics logged for the current config: each is logged once, not once per group or reload.
  private Set<Diagnostic> loggedDiagnostics = new TreeSet<>(Diagnostic.ORDER);
  private volatile ConfigSnapshot config;

  /** Without a mesh CA: configs that reference {@code default}/{@code ROOTCA} fail the gate. */
  public SnapshotPublisher(XdsCache cache, ConfigTranslator translator, SnapshotGate gate, Metrics metrics) {
    this(cache, translator, gate, metrics, MeshSecretSupplier.NONE);
  }

  public SnapshotPublisher(
      XdsCache cache, ConfigTranslator translator, SnapshotGate gate, Metrics metrics, MeshSecretSupplier meshSecrets) {
    this.cache = cache;
    this.translator = translator;
    this.gate = gate;
    this.metrics = metrics;
    this.meshSecrets = meshSecrets;
  }

  /** True once a config has been loaded; {@code /readyz} reports this. */
  public boolean hasConfig() {
    return config != null;
  }

  public Optional<ConfigSnapshot> config() {
    return Optional.ofNullable(config);
  }

  /**
   * A proxy of {@code group} connected. Makes sure the group has a snapshot before the proxy's
   * first watch is created (called from the stream callback, which runs before the watch).
   */
  public synchronized void join(GroupKey group) {
    join(group, Integer.MAX_VALUE);
  }

  /**
   * Like {@link #join(GroupKey)}, unless {@code group} is new and {@code maxGroups} groups exist
   * already: then nothing changes and the answer is false. Checked and joined under one lock, so
   * concurrent streams cannot overshoot the cap.
   */
  public synchronized boolean join(GroupKey group, int maxGroups) {
    if (!groups.contains(group) && groups.size() >= maxGroups) {
      dropGroupsWithoutProxies(); // groups whose proxies left do not count
      if (groups.size() >= maxGroups) {
        return false;
      }
    }
    members.merge(group, 1, Integer::sum);
    if (groups.add(group)) {
      LOG.info("new proxy group {}", group);
      if (config != null) {
        publish(group, loggedDiagnostics);
        countDiagnostics();
      }
    }
    return true;
  }

  /**
   * A proxy of {@code group} disconnected. A group without proxies is dropped by {@link
   * #dropGroupsWithoutProxies}, not here: java-control-plane reports the close before it cancels
   * the stream's watches, and a group's snapshot can only be cleared once no watch is open.
   */
  public synchronized void leave(GroupKey group) {
    members.computeIfPresent(group, (g, n) -> n > 1 ? n - 1 : null);
  }

  /** Replaces the config and re-publishes every known group. */
  public synchronized void updateConfig(ConfigSnapshot newConfig) {
    this.config = newConfig;
    dropGroupsWithoutProxies();
    Set<Diagnostic> seen = new TreeSet<>(Diagnostic.ORDER);
    for (GroupKey group : ImmutableList.copyOf(groups)) {
      publish(group, seen);
    }
    loggedDiagnostics = seen;
    countDiagnostics();
  }

  /**
   * {@code outpost_config_diagnostics}: the config's own findings (files, parsing, validation) and
   * every group's translation findings (an EnvoyFilter refused by the patch gate, a route to an
   * undeclared host), each once. Counting only the former left a config whose EnvoyFilter was
   * refused at 0 errors, and Kubernetes mode (which has no file source to count) always at 0.
   */
  private void countDiagnostics() {
    Set<Diagnostic> all = new TreeSet<>(Diagnostic.ORDER);
    all.addAll(config.diagnostics());
    all.addAll(loggedDiagnostics);
    Map<Severity, Integer> counts = new java.util.EnumMap<>(Severity.class);
    all.forEach(d -> counts.merge(d.severity(), 1, Integer::sum));
    metrics.currentDiagnostics(counts);
  }

  /**
   * Re-publishes every group whose mesh certificate is due for renewal: its published snapshot
   * with the new certificate, without translating. Only the group's Secret resources (and the
   * secrets' type version) change, so Envoy gets an SDS update on its open stream and keeps its
   * listeners and clusters. Renewing the published snapshot, not the latest translation, keeps a
   * group whose newer config fails the gate on its last good config with a valid certificate.
   * Cheap when nothing is due (run periodically by the server's scheduler).
   */
  public synchronized void renewMeshCertificates() {
    for (Map.Entry<GroupKey, Set<String>> entry : ImmutableList.copyOf(meshSecretNames.entrySet())) {
      GroupKey group = entry.getKey();
      XdsSnapshot current = published.get(group);
      if (current == null) {
        continue;
      }
      try {
        boolean changed = false;
        for (Secret secret : meshSecrets.secretsFor(group.identity(), entry.getValue())) {
          changed |= !secret.equals(current.resources(ResourceType.SECRET).get(secret.getName()));
        }
        if (changed) {
          publishResources(group, current.resources());
        }
      } catch (RuntimeException e) {
        metrics.snapshotRejected();
        LOG.error("renewing the mesh certificate of group {} failed; the group keeps its current snapshot: {}", group, e.getMessage());
      }
    }
  }

  /**
   * Forgets every group that no proxy is in and that has no open watch left, so groups that
   * came and went (a rollout changes a pod label, hence the group) do not keep their snapshots
   * forever. Called after each stream has ended and its watches are gone, and on config changes.
   * A group whose watches are still open is kept and tried again next time.
   */
  public synchronized void dropGroupsWithoutProxies() {
    for (GroupKey group : ImmutableList.copyOf(groups)) {
      if (!members.containsKey(group) && cache.clearSnapshot(group)) {
        // Nobody left to serve: stop translating for it. A proxy that comes back rejoins as new.
        groups.remove(group);
        published.remove(group);
        meshSecretNames.remove(group);
        LOG.info("dropped proxy group {}: no proxy connected", group);
      }
    }
    // Certificates (and their keys) of identities no group has any more are not kept around.
    meshSecrets.retainOnly(groups.stream().map(GroupKey::identity).toList());
  }

  /**
   * The translation diagnostics of the current config, over every group translated since it was
   * loaded (groups that joined later included): what status reporting writes on the resources.
   */
  public synchronized ImmutableList<Diagnostic> translationDiagnostics() {
    return ImmutableList.copyOf(loggedDiagnostics);
  }

  public Optional<XdsSnapshot> snapshot(GroupKey group) {
    return Optional.ofNullable(published.get(group));
  }

  public synchronized ImmutableSet<GroupKey> groups() {
    return ImmutableSet.copyOf(groups);
  }

  private void publish(GroupKey group, Set<Diagnostic> seenThisRound) {
    try {
      translateAndPublish(group, seenThisRound);
    } catch (RuntimeException e) {
      // A bug in the translator, the checker or snapshot building (duplicate names) must not take
      // down the proxy's stream (join runs in its gRPC callback) nor stop a reload from reaching
      // the other groups: this group keeps its last good snapshot.
      metrics.snapshotRejected();
      LOG.error("building the snapshot for group {} failed; the group keeps its last good snapshot. This is a "
          + "bug in Outpost, please report it with the input that triggers it", group, e);
    }
  }

  private void translateAndPublish(GroupKey group, Set<Diagnostic> seenThisRound) {
    long start = System.nanoTime();
    Translation translation = translator.translate(config, group.identity());
    metrics.translated(System.nanoTime() - start);
    logNewDiagnostics(translation.diagnostics(), seenThisRound);
    publishResources(group, translation.resources());
  }

  /**
   * Puts the group's current mesh secrets into {@code withoutMeshSecrets} (a translation, or the
   * published snapshot on renewal), checks the result and publishes it if it changed.
   */
  private void publishResources(GroupKey group, EnvoyResources withoutMeshSecrets) {
    EnvoyResources resources;
    try {
      resources = withMeshSecrets(group, withoutMeshSecrets);
    } catch (MeshSecretSupplier.Unavailable e) {
      metrics.snapshotRejected();
      LOG.error("snapshot for group {} was not published; the group keeps {}: {}", group,
          published.containsKey(group) ? "its last good snapshot" : "no config until a good one exists", e.getMessage());
      return;
    }
    CheckResult check = gate.check(resources);
    if (!check.ok()) {
      metrics.snapshotRejected();
      LOG.error(
          "snapshot for group {} failed the check and was not published; the group keeps {}:\n  {}",
          group,
          published.containsKey(group) ? "its last good snapshot" : "no config until a good one exists",
          String.join("\n  ", check.problems()));
      return;
    }
    XdsSnapshot next = XdsSnapshot.of(resources);
    XdsSnapshot current = published.get(group);
    if (current != null && current.sameVersionsAs(next)) {
      LOG.debug("group {} unchanged", group);
      return;
    }
    published.put(group, next);
    Set<String> referenced = SecretReferences.meshSecretsReferenced(resources);
    if (referenced.isEmpty()) {
      meshSecretNames.remove(group);
    } else {
      meshSecretNames.put(group, referenced);
    }
    metrics.snapshotPublished();
    LOG.info(
        "published group {}: {} listeners, {} routes, {} clusters, {} endpoints, {} secrets",
        group,
        resources.listeners().size(),
        resources.routes().size(),
        resources.clusters().size(),
        resources.endpoints().size(),
        resources.secrets().size());
    cache.setSnapshot(group, next);
  }

  // The mesh secrets the TLS contexts reference, current for the group's identity, replace any of
  // that name: those names belong to the mesh identity.
  private EnvoyResources withMeshSecrets(GroupKey group, EnvoyResources resources) {
    Set<String> names = SecretReferences.meshSecretsReferenced(resources);
    if (names.isEmpty()) {
      return resources;
    }
    java.util.TreeMap<String, Secret> secrets = new java.util.TreeMap<>();
    resources.secrets().forEach(secret -> secrets.put(secret.getName(), secret));
    Set<String> supplied = new TreeSet<>();
    meshSecrets.secretsFor(group.identity(), names).forEach(secret -> {
      secrets.put(secret.getName(), secret);
      supplied.add(secret.getName());
    });
    if (!supplied.containsAll(names)) {
      // Said here rather than left to the gate's "not in the snapshot": the cause is the server's
      // setup, not the config. Never published: Envoy would wait forever for the secret.
      Set<String> missing = new TreeSet<>(names);
      missing.removeAll(supplied);
      throw new MeshSecretSupplier.Unavailable(
          "its config uses the mesh identity (ISTIO_MUTUAL: SDS " + String.join(", ", missing) + ") but "
              + (supplied.isEmpty()
                  ? "this server has no mesh CA to supply it; run outpost serve with a mesh CA (--ca-dir, or the"
                      + " self-signed --ca-state-dir), or remove ISTIO_MUTUAL from the config"
                  : "the mesh CA did not supply it (a bug in Outpost, please report it)"), null);
    }
    return new EnvoyResources(
        resources.listeners(), resources.routes(), resources.clusters(), resources.endpoints(),
        ImmutableList.copyOf(secrets.values()));
  }

  // Translation diagnostics repeat for every group and every reload: log one only when the
  // previous config did not already have it.
  private void logNewDiagnostics(ImmutableList<Diagnostic> diagnostics, Set<Diagnostic> seenThisRound) {
    for (Diagnostic diagnostic : diagnostics) {
      boolean firstThisRound = seenThisRound.add(diagnostic);
      if (firstThisRound && (seenThisRound == loggedDiagnostics || !loggedDiagnostics.contains(diagnostic))) {
        if (diagnostic.isError()) {
          LOG.error("{}", diagnostic);
        } else {
          LOG.warn("{}", diagnostic);
        }
      }
    }
  }
}
