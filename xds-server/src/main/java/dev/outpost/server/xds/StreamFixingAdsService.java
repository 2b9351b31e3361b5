package dev.outpost.server.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ADS service Envoy talks to: java-control-plane's, with two per-stream corrections that need
 * to see the stream itself (see xds-server/README.md, "Design notes"):
 *
 * <ul>
 *   <li><b>The first node on every request.</b> Envoy sends the node only on a stream's first
 *       request when the bootstrap sets {@code set_node_on_first_message_only} (ours does).
 *       java-control-plane 1.0.49 groups each request by the node it carries, so without this the
 *       second request of a stream would land in the group of the empty node. A later request
 *       that names a different node gets the first one too: the registry keeps the stream in its
 *       first node's group, and the stream must not be served another group's config. Only
 *       the first node's id and metadata are kept ({@link NodeLimits#essentials}).
 *   <li><b>No resend after a NACK (state of the world).</b> A NACK carries the version Envoy last
 *       accepted; the cache sees that it differs from the snapshot and immediately resends the
 *       rejected response, so Envoy and the server would loop. We rewrite a NACK's {@code
 *       version_info} to the version that was rejected: the cache then waits for a new snapshot
 *       (or sends the newer one if the snapshot already changed). The proxy keeps its last good
 *       config, as Envoy does on its side.
 * </ul>
 */
public final class StreamFixingAdsService extends AggregatedDiscoveryServiceImplBase {
  private final AggregatedDiscoveryServiceImplBase delegate;
  private final Runnable afterStreamEnd;

  /**
   * @param afterStreamEnd runs once a stream has ended and the library has cancelled its watches
   *     (its close callbacks run before that, too early to drop the proxy's group)
   */
  public StreamFixingAdsService(AggregatedDiscoveryServiceImplBase delegate, Runnable afterStreamEnd) {
    this.delegate = delegate;
    this.afterStreamEnd = afterStreamEnd;
  }

  @Override
  public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
    // Version of the latest response per type URL, keyed by nonce, to recognise the rejected one.
    Map<String, DiscoveryResponse> lastSent = new ConcurrentHashMap<>();
    StreamObserver<DiscoveryResponse> recording =
        new ForwardingResponses<>((ServerCallStreamObserver<DiscoveryResponse>) responses) {
          @Override
          public void onNext(DiscoveryResponse response) {
            lastSent.put(response.getTypeUrl(), response);
            super.onNext(response);
          }
        };
    StreamObserver<DiscoveryRequest> next = delegate.streamAggregatedResources(recording);
    return new RequestFixer<DiscoveryRequest>(next, afterStreamEnd) {
      @Override
      DiscoveryRequest fix(DiscoveryRequest request) {
        DiscoveryRequest.Builder fixed = null;
        if (request.hasNode()) {
          rememberNode(request.getNode());
        }
        if (node() != null && request.getNode() != node()) {
          fixed = request.toBuilder().setNode(node());
        }
        if (request.hasErrorDetail()) {
          DiscoveryResponse rejected = lastSent.get(request.getTypeUrl());
          if (rejected != null && rejected.getNonce().equals(request.getResponseNonce())) {
            fixed = (fixed != null ? fixed : request.toBuilder()).setVersionInfo(rejected.getVersionInfo());
          }
        }
        return fixed != null ? fixed.build() : request;
      }
    };
  }

  @Override
  public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
      StreamObserver<DeltaDiscoveryResponse> responses) {
    StreamObserver<DeltaDiscoveryRequest> next = delegate.deltaAggregatedResources(responses);
    return new RequestFixer<DeltaDiscoveryRequest>(next, afterStreamEnd) {
      @Override
      DeltaDiscoveryRequest fix(DeltaDiscoveryRequest request) {
        if (request.hasNode()) {
          rememberNode(request.getNode());
        }
        return node() != null && request.getNode() != node() ? request.toBuilder().setNode(node()).build() : request;
      }
    };
  }

  /** Rewrites each request of one stream before java-control-plane sees it. */
  private abstract static class RequestFixer<R> implements StreamObserver<R> {
    private final StreamObserver<R> next;
    private final Runnable afterEnd;
    // gRPC delivers a stream's messages one at a time, though not always on the same thread.
    private volatile Node node;

    RequestFixer(StreamObserver<R> next, Runnable afterEnd) {
      this.next = next;
      this.afterEnd = afterEnd;
    }

    abstract R fix(R request);

    Node node() {
      return node;
    }

    // Only the id and metadata are kept (and passed on): the rest of Envoy's node, its list of
    // extensions above all, is read by nobody and would be held for the life of the stream.
    void rememberNode(Node first) {
      if (node == null) {
        node = NodeLimits.essentials(first);
      }
    }

    @Override
    public void onNext(R request) {
      next.onNext(fix(request));
    }

    // The library runs its close callbacks and then cancels the stream's watches (on a client
    // cancel, gRPC runs the library's cancel handler first and then onError), so once these
    // return the stream holds no watch any more.
    @Override
    public void onError(Throwable t) {
      try {
        next.onError(t);
      } finally {
        afterEnd.run();
      }
    }

    @Override
    public void onCompleted() {
      try {
        next.onCompleted();
      } finally {
        afterEnd.run();
      }
    }
  }

  /**
   * Passes everything through to gRPC's response observer. It must stay a {@link
   * ServerCallStreamObserver}: java-control-plane registers its cancel handler through it.
   */
  private static class ForwardingResponses<T> extends ServerCallStreamObserver<T> {
    private final ServerCallStreamObserver<T> delegate;

    ForwardingResponses(ServerCallStreamObserver<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onNext(T value) {
      delegate.onNext(value);
    }

    @Override
    public void onError(Throwable t) {
      delegate.onError(t);
    }

    @Override
    public void onCompleted() {
      delegate.onCompleted();
    }

    @Override
    public boolean isCancelled() {
      return delegate.isCancelled();
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {
      delegate.setOnCancelHandler(handler);
    }

    @Override
    public void setOnCloseHandler(Runnable handler) {
      delegate.setOnCloseHandler(handler);
    }

    @Override
    public void setCompression(String compression) {
      delegate.setCompression(compression);
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
      delegate.setOnReadyHandler(handler);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      delegate.setOnReadyThreshold(numBytes);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void disableAutoInboundFlowControl() {
      delegate.disableAutoInboundFlowControl();
    }

    @Override
    public void disableAutoRequest() {
      delegate.disableAutoRequest();
    }

    @Override
    public void request(int count) {
      delegate.request(count);
    }

    @Override
    public void setMessageCompression(boolean enable) {
      delegate.setMessageCompression(enable);
    }
  }
}
