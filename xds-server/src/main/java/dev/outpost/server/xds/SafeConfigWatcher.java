package dev.outpost.server.xds;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between java-control-plane's stream handling and its {@code SimpleCache} and corrects four
 * behaviours of version 1.0.49 (see xds-server/README.md, "Design notes"):
 *
 * <ol>
 *   <li>State of the world: in ADS mode {@code SimpleCache} answers a request only when every
 *       named resource exists, and on one path it then drops the watch altogether, so one unknown
 *       name stalls that type for the rest of the stream. We create every watch as non-ADS: the
 *       proxy gets the named resources that exist. Our snapshots are gated for consistency, so the
 *       ordering guarantee the ADS wait was meant to give is already met.
 *   <li>Delta reconnect: the stream handler ignores {@code initial_resource_versions}, so a
 *       reconnecting proxy is never told that resources it still holds were removed meanwhile. On
 *       the first request of a type we seed the stream's tracked versions with them; the cache
 *       then removes what no longer exists and skips what is unchanged.
 *   <li>State of the world NACK of a response to newly requested names: answered again at once
 *       (see {@link #createWatch}).
 *   <li>Delta NACK: a rejected non-wildcard resource stays "pending", and a pending resource is
 *       answered at once, so Envoy and the server would loop on the same bad resource. After a
 *       NACK we wait for a new snapshot instead.
 * </ol>
 */
public final class SafeConfigWatcher implements ConfigWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(SafeConfigWatcher.class);

  /** A version no content hash equals. */
  private static final String REJECTED = "rejected";

  private final ConfigWatcher cache;

  public SafeConfigWatcher(ConfigWatcher cache) {
    this.cache = cache;
  }

  @Override
  public Watch createWatch(
      boolean ads,
      XdsRequest request,
      Set<String> knownResourceNames,
      Consumer<Response> responseConsumer,
      boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    Set<String> known = knownResourceNames;
    if (request.hasErrorDetail()) {
      // A NACK does not update the names the stream counts as acked. When the rejected response
      // answered newly requested names (every first RDS/EDS/SDS request does), the cache took the
      // NACK's names for a new request and resent the rejected response at once, forever. The
      // names of a NACK are the ones just answered: leave the decision to the version, which
      // StreamFixingAdsService set to the rejected one, so the cache waits for a new snapshot.
      known = Set.copyOf(request.getResourceNamesList());
    }
    return cache.createWatch(
        false, request, known, responseConsumer, hasClusterChanged, allowDefaultEmptyEdsUpdate);
  }

  @Override
  public DeltaWatch createDeltaWatch(
      DeltaXdsRequest request,
      String requesterVersion,
      Map<String, String> resourceVersions,
      Set<String> pendingResources,
      boolean isWildcard,
      Consumer<DeltaResponse> responseConsumer,
      boolean hasClusterChanged) {
    Map<String, String> tracked = resourceVersions;
    Map<String, String> initial = request.getInitialResourceVersionsMap();
    if (request.getResponseNonce().isEmpty() && !initial.isEmpty()) {
      tracked = seedTracked(resourceVersions, initial);
    }
    Set<String> pending = pendingResources;
    if (request.hasErrorDetail()) {
      tracked = afterNack(tracked, pendingResources);
      pending = Set.of();
    }
    return cache.createDeltaWatch(
        request, requesterVersion, tracked, pending, isWildcard, responseConsumer, hasClusterChanged);
  }

  /**
   * For the watch that follows a NACK: the rejected resources count as held at a version no
   * snapshot has, instead of as pending. Pending resources are answered at once; held ones only
   * when a new snapshot changes them. A copy, so the stream's own bookkeeping stays true.
   */
  private static Map<String, String> afterNack(Map<String, String> tracked, Set<String> pending) {
    Map<String, String> copy = new HashMap<>(tracked);
    for (String name : pending) {
      copy.putIfAbsent(name, REJECTED);
    }
    return copy;
  }

  /**
   * The map we are given is the stream's own tracked-resource map (java-control-plane 1.0.49 passes
   * it by reference), so seeding it makes the initial versions count for this and every later
   * watch of the stream: a resource the proxy still holds gets removed when it disappears later,
   * too. If a future version passes a copy, we still fix the first response and say so.
   */
  private static Map<String, String> seedTracked(Map<String, String> streamTracked, Map<String, String> initial) {
    try {
      initial.forEach(streamTracked::putIfAbsent);
      return streamTracked;
    } catch (UnsupportedOperationException e) {
      LOG.warn(
          "java-control-plane passed an immutable tracked-resource map; initial_resource_versions "
              + "only apply to the first delta response of this stream");
      Map<String, String> copy = new HashMap<>(initial);
      copy.putAll(streamTracked);
      return copy;
    }
  }
}
