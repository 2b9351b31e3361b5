package dev.outpost.server.xds;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.net.InetAddresses;
import dev.outpost.server.metrics.Metrics;
import dev.outpost.translator.api.ProxyIdentity;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks every connected proxy through java-control-plane's stream callbacks: who it is, which
 * group it is in, what it accepted and what it rejected. The first request of a stream registers
 * the proxy's group with the publisher before the cache creates the watch, so the snapshot is
 * there when the watch looks for it.
 *
 * <p>ACK and NACK are told apart by the response nonce: a request answering the latest response of
 * its type without {@code error_detail} accepts that response's version; with {@code error_detail}
 * it rejects it (Envoy keeps its previous config, and so does the server: see {@link
 * SafeConfigWatcher}).
 *
 * <p>What one client can make the server hold is bounded: node metadata by {@link NodeLimits}
 * (checked by the identity resolver), groups and streams per peer address by {@link ProxyLimits},
 * a NACK's stored message by {@link TruncatedText#MAX_NACK_BYTES}. A refused stream leaves nothing
 * behind: no stream entry, no group, no per-peer count.
 */
public final class ProxyRegistry implements DiscoveryServerCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyRegistry.class);

  private final SnapshotPublisher publisher;
  private final Metrics metrics;
  private final Clock clock;
  private final IdentityResolver identities;
  private final ResolvedGroups resolvedGroups;
  private final ProxyLimits limits;
  private final ConcurrentMap<Long, StreamState> streams = new ConcurrentHashMap<>();
  private final ConcurrentMap<InetAddress, Integer> streamsByPeer = new ConcurrentHashMap<>();

  public ProxyRegistry(SnapshotPublisher publisher, Metrics metrics, Clock clock) {
    this(publisher, metrics, clock, IdentityResolver.FROM_METADATA, new ResolvedGroups());
  }

  public ProxyRegistry(
      SnapshotPublisher publisher, Metrics metrics, Clock clock, IdentityResolver identities, ResolvedGroups resolvedGroups) {
    this(publisher, metrics, clock, identities, resolvedGroups, ProxyLimits.DEFAULTS);
  }

  /**
   * With a chosen way to decide who a proxy is (Kubernetes mode checks the node against its pod),
   * recording each stream's group in {@code resolvedGroups} (the cache's, {@link
   * XdsCache#resolvedGroups()}) so that the cache's watches use the same group.
   */
  public ProxyRegistry(
      SnapshotPublisher publisher,
      Metrics metrics,
      Clock clock,
      IdentityResolver identities,
      ResolvedGroups resolvedGroups,
      ProxyLimits limits) {
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
    this.identities = identities;
    this.resolvedGroups = resolvedGroups;
    this.limits = limits;
    metrics.connectedProxiesFrom(streams::size);
    metrics.proxyLimitsDeclared(ProxyLimits.PROXY_GROUPS, ProxyLimits.STREAMS_PER_PEER);
  }

  /** Mutable per-stream state; each stream's requests arrive one at a time. */
  private static final class StreamState {
    final Node node;
    final Optional<InetAddress> peer;
    final ProxyIdentity identity;
    final GroupKey group;
    final boolean delta;
    final Instant connectedSince;
    final Map<String, Sent> lastSent = new ConcurrentHashMap<>();
    final Map<String, String> acked = new ConcurrentHashMap<>();
    volatile ProxyStatus.Nack lastNack;

    StreamState(Node node, Optional<InetAddress> peer, ProxyIdentity identity, boolean delta, Instant connectedSince) {
      this.node = node;
      this.peer = peer;
      this.identity = identity;
      this.group = GroupKey.of(identity);
      this.delta = delta;
      this.connectedSince = connectedSince;
    }
  }

  private record Sent(String nonce, String version) {}

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
    StreamState stream = register(streamId, request.getNode(), false);
    answer(stream, request.getTypeUrl(), request.getResponseNonce(), request.hasErrorDetail()
        ? Optional.of(request.getErrorDetail().getMessage()) : Optional.empty());
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) throws RequestException {
    StreamState stream = register(streamId, request.getNode(), true);
    answer(stream, request.getTypeUrl(), request.getResponseNonce(), request.hasErrorDetail()
        ? Optional.of(request.getErrorDetail().getMessage()) : Optional.empty());
  }

  @Override
  public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    sent(streamId, response.getTypeUrl(), response.getNonce(), response.getVersionInfo());
  }

  @Override
  public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    sent(streamId, response.getTypeUrl(), response.getNonce(), response.getSystemVersionInfo());
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    disconnected(streamId, "closed");
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    disconnected(streamId, "closed: " + Status.fromThrowable(error).getCode());
  }

  /**
   * A stream has ended and java-control-plane has cancelled its watches (called by {@link
   * StreamFixingAdsService} once the library's close handling returned): groups left without
   * proxies can now be dropped.
   */
  public void streamEnded() {
    publisher.dropGroupsWithoutProxies();
  }

  public ImmutableList<ProxyStatus> proxies() {
    return streams.values().stream()
        .map(ProxyRegistry::status)
        .sorted(Comparator.comparing(ProxyStatus::nodeId).thenComparing(ProxyStatus::connectedSince))
        .collect(ImmutableList.toImmutableList());
  }

  /** The group of a connected proxy, by node id (several streams of one node share a group). */
  public Optional<GroupKey> groupOf(String nodeId) {
    return streams.values().stream().filter(s -> s.identity.nodeId().equals(nodeId)).map(s -> s.group).findFirst();
  }

  private StreamState register(long streamId, Node node, boolean delta) throws RequestException {
    StreamState existing = streams.get(streamId);
    if (existing != null) {
      return existing;
    }
    // java-control-plane calls back on the thread that delivers the request, inside the gRPC
    // call's Context: the interceptor's peer address is this stream's.
    Optional<InetAddress> peer = PeerAddressInterceptor.current();
    String from = peer.map(InetAddresses::toAddrString).orElse("an unknown address");
    // Cheapest first: a peer over its stream cap does not get its metadata read or its pod looked up.
    if (!reservePeerSlot(peer)) {
      throw refuseOverLimit(streamId, from, ProxyLimits.STREAMS_PER_PEER,
          "too many ADS streams from " + from + ": at most " + limits.maxStreamsPerPeer() + " may be open from one"
              + " address (serve --max-streams-per-peer)");
    }
    boolean registered = false;
    try {
      ProxyIdentity identity;
      try {
        identity = identities.resolve(node, peer);
      } catch (RefusedProxyException e) {
        metrics.proxyRefused(e.reason());
        LOG.warn(
            "refused xDS stream {} from {} ({}): {}{}",
            streamId, from, e.reason(), LogText.of(e.getMessage()),
            e.logDetail().isEmpty() ? "" : " [" + LogText.of(e.logDetail()) + "]");
        throw new RequestException(Status.fromCode(e.code()).withDescription(e.getMessage()));
      }
      StreamState stream = new StreamState(node, peer, identity, delta, clock.instant());
      if (!publisher.join(stream.group, limits.maxProxyGroups())) {
        throw refuseOverLimit(streamId, from, ProxyLimits.PROXY_GROUPS,
            "proxy " + NodeLimits.quote(identity.nodeId()) + " would start a new proxy group, and the server already"
                + " serves " + limits.maxProxyGroups() + " (serve --max-proxy-groups); proxies with the same role,"
                + " namespace, service account and labels share a group");
      }
      resolvedGroups.opened(node, stream.group);
      streams.put(streamId, stream);
      registered = true;
      LOG.info(
          "proxy {} connected from {} ({} ADS, stream {}), group {}",
          LogText.of(identity.nodeId()), from, delta ? "delta" : "state-of-the-world", streamId, stream.group);
      return stream;
    } finally {
      if (!registered) {
        releasePeerSlot(peer);
      }
    }
  }

  private RequestException refuseOverLimit(long streamId, String from, String limit, String message) {
    metrics.proxyLimitRefused(limit);
    LOG.warn("refused xDS stream {} from {} ({}): {}", streamId, from, limit, message);
    return new RequestException(Status.RESOURCE_EXHAUSTED.withDescription(message));
  }

  /** Counts a stream against its peer's cap; false (and nothing counted) when the cap is reached. */
  private boolean reservePeerSlot(Optional<InetAddress> peer) {
    if (peer.isEmpty()) {
      return true; // in-process transports: no address to count by
    }
    boolean[] reserved = {false};
    streamsByPeer.compute(peer.get(), (address, open) -> {
      int count = open == null ? 0 : open;
      if (count >= limits.maxStreamsPerPeer()) {
        return open;
      }
      reserved[0] = true;
      return count + 1;
    });
    return reserved[0];
  }

  private void releasePeerSlot(Optional<InetAddress> peer) {
    peer.ifPresent(address -> streamsByPeer.computeIfPresent(address, (a, open) -> open > 1 ? open - 1 : null));
  }

  /** Open streams from {@code peer} (for tests and /debug: nothing is kept for a peer without any). */
  public int streamsFrom(InetAddress peer) {
    return streamsByPeer.getOrDefault(peer, 0);
  }

  private void answer(StreamState stream, String typeUrl, String nonce, Optional<String> error) {
    if (nonce.isEmpty()) {
      return;
    }
    Sent sent = stream.lastSent.get(typeUrl);
    if (sent == null || !sent.nonce().equals(nonce)) {
      return; // answers an older response; the library ignores it too
    }
    String type = shortType(typeUrl);
    if (error.isPresent()) {
      String message = TruncatedText.of(error.get(), TruncatedText.MAX_NACK_BYTES);
      stream.lastNack = new ProxyStatus.Nack(type, sent.version(), message, clock.instant());
      metrics.nacked(typeUrl);
      LOG.warn(
          "proxy {} (group {}) rejected {} version {}; it keeps its last accepted config ({}). Envoy says: {}",
          LogText.of(stream.identity.nodeId()), stream.group, type, sent.version(),
          stream.acked.getOrDefault(type, "none"), LogText.of(message));
    } else {
      stream.acked.put(type, sent.version());
    }
  }

  private void sent(long streamId, String typeUrl, String nonce, String version) {
    metrics.pushed(typeUrl);
    StreamState stream = streams.get(streamId);
    if (stream != null) {
      stream.lastSent.put(typeUrl, new Sent(nonce, version));
    }
  }

  private void disconnected(long streamId, String how) {
    StreamState stream = streams.remove(streamId);
    if (stream != null) {
      resolvedGroups.closed(stream.node);
      publisher.leave(stream.group);
      releasePeerSlot(stream.peer);
      LOG.info("proxy {} disconnected (stream {} {})", LogText.of(stream.identity.nodeId()), streamId, how);
    }
  }

  private static ProxyStatus status(StreamState s) {
    return new ProxyStatus(
        s.identity.nodeId(), s.group, s.delta, s.connectedSince,
        ImmutableSortedMap.copyOf(s.acked), Optional.ofNullable(s.lastNack));
  }

  static String shortType(String typeUrl) {
    int dot = typeUrl.lastIndexOf('.');
    return dot >= 0 ? typeUrl.substring(dot + 1) : typeUrl;
  }
}
