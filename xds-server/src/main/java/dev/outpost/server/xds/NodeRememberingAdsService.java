package dev.outpost.server.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * ADS service that gives every request on a stream the node of the stream's first request.
 *
 * <p>Envoy sends the node only once per stream when the bootstrap sets {@code
 * set_node_on_first_message_only} (ours does: node metadata can be large). java-control-plane
 * 1.0.49 groups every request by the node in that request, so without this a proxy's second
 * request would land in the group of the empty node and never see its config.
 */
public final class NodeRememberingAdsService extends AggregatedDiscoveryServiceImplBase {
  private final AggregatedDiscoveryServiceImplBase delegate;

  public NodeRememberingAdsService(AggregatedDiscoveryServiceImplBase delegate) {
    this.delegate = delegate;
  }

  @Override
  public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
    return new NodeFilling<>(
        delegate.streamAggregatedResources(responses),
        DiscoveryRequest::hasNode,
        DiscoveryRequest::getNode,
        (request, node) -> request.toBuilder().setNode(node).build());
  }

  @Override
  public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
      StreamObserver<DeltaDiscoveryResponse> responses) {
    return new NodeFilling<>(
        delegate.deltaAggregatedResources(responses),
        DeltaDiscoveryRequest::hasNode,
        DeltaDiscoveryRequest::getNode,
        (request, node) -> request.toBuilder().setNode(node).build());
  }

  private static final class NodeFilling<R> implements StreamObserver<R> {
    private final StreamObserver<R> next;
    private final Function<R, Boolean> hasNode;
    private final Function<R, Node> getNode;
    private final BiFunction<R, Node, R> withNode;
    // gRPC delivers one stream's messages one at a time, but not always on the same thread.
    private volatile Node node;

    NodeFilling(
        StreamObserver<R> next, Function<R, Boolean> hasNode, Function<R, Node> getNode, BiFunction<R, Node, R> withNode) {
      this.next = next;
      this.hasNode = hasNode;
      this.getNode = getNode;
      this.withNode = withNode;
    }

    @Override
    public void onNext(R request) {
      if (hasNode.apply(request)) {
        if (node == null) {
          node = getNode.apply(request);
        }
        next.onNext(request);
      } else if (node != null) {
        next.onNext(withNode.apply(request, node));
      } else {
        next.onNext(request);
      }
    }

    @Override
    public void onError(Throwable t) {
      next.onError(t);
    }

    @Override
    public void onCompleted() {
      next.onCompleted();
    }
  }
}
