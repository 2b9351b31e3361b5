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
 */
public final class ProxyRegistry implements DiscoveryServerCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyRegistry.class);

  private final SnapshotPublisher publisher;
  private final Metrics metrics;
  private final Clock clock;
  private final IdentityResolver identities;
  private final ResolvedGroups resolvedGroups;
  private final ConcurrentMap<Long, StreamState> streams = new ConcurrentHashMap<>();

  public ProxyRegistry(SnapshotPublisher publisher, Metrics metrics, Clock clock) {
    this(publisher, metrics, clock, IdentityResolver.FROM_METADATA, new ResolvedGroups());
  }

  /**
   * With a chosen way to decide who a proxy is (Kubernetes mode checks the node against its pod),
   * recording each stream's group in {@code resolvedGroups} (the cache's, {@link
   * XdsCache#resolvedGroups()}) so that the cache's watches use the same group.
   */
  public ProxyRegistry(
      SnapshotPublisher publisher, Metrics metrics, Clock clock, IdentityResolver identities, ResolvedGroups resolvedGroups) {
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
    this.identities = identities;
    this.resolvedGroups = resolvedGroups;
    metrics.connectedProxiesFrom(streams::size);
  }

  /** Mutable per-stream state; each stream's requests arrive one at a time. */
  private static final class StreamState {
    final Node node;
    final ProxyIdentity identity;
    final GroupKey group;
    final boolean delta;
    final Instant connectedSince;
    final Map<String, Sent> lastSent = new ConcurrentHashMap<>();
    final Map<String, String> acked = new ConcurrentHashMap<>();
    volatile ProxyStatus.Nack lastNack;

    StreamState(Node node, ProxyIdentity identity, boolean delta, Instant connectedSince) {
      this.node = node;
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
    StreamState stream = new StreamState(node, identity, delta, clock.instant());
    resolvedGroups.opened(node, stream.group);
    publisher.join(stream.group);
    streams.put(streamId, stream);
    LOG.info(
        "proxy {} connected from {} ({} ADS, stream {}), group {}",
        LogText.of(identity.nodeId()), from, delta ? "delta" : "state-of-the-world", streamId, stream.group);
    return stream;
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
      stream.lastNack = new ProxyStatus.Nack(type, sent.version(), error.get(), clock.instant());
      metrics.nacked(typeUrl);
      LOG.warn(
          "proxy {} (group {}) rejected {} version {}; it keeps its last accepted config ({}). Envoy says: {}",
          LogText.of(stream.identity.nodeId()), stream.group, type, sent.version(),
          stream.acked.getOrDefault(type, "none"), LogText.of(error.get()));
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
