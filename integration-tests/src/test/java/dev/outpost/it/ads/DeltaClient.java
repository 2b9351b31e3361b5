package dev.outpost.it.ads;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A delta ADS client; like Envoy, it sends the node only on the stream's first request. */
public final class DeltaClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final StreamObserver<DeltaDiscoveryRequest> requests;
  private final Map<String, BlockingQueue<DeltaDiscoveryResponse>> responses = new ConcurrentHashMap<>();
  private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
  private final Node node;
  private boolean nodeSent;

  public DeltaClient(int port, Node node) {
    this.node = node;
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .deltaAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DeltaDiscoveryResponse response) {
                    queue(response.getTypeUrl()).add(response);
                  }

                  @Override
                  public void onError(Throwable t) {
                    errors.add(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
  }

  private BlockingQueue<DeltaDiscoveryResponse> queue(String typeUrl) {
    return responses.computeIfAbsent(typeUrl, k -> new LinkedBlockingQueue<>());
  }

  /** First request of a type on this stream, optionally with what the proxy already holds. */
  public void subscribe(String typeUrl, List<String> names, Map<String, String> initialResourceVersions) {
    send(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(typeUrl)
            .addAllResourceNamesSubscribe(names)
            .putAllInitialResourceVersions(initialResourceVersions));
  }

  /** A request that carries {@code otherNode}, as a misbehaving client might send mid-stream. */
  synchronized void subscribeAs(Node otherNode, String typeUrl, List<String> names) {
    requests.onNext(
        DeltaDiscoveryRequest.newBuilder().setNode(otherNode).setTypeUrl(typeUrl).addAllResourceNamesSubscribe(names).build());
  }

  public void ack(DeltaDiscoveryResponse response) {
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl()).setResponseNonce(response.getNonce()));
  }

  public void nack(DeltaDiscoveryResponse response, String error) {
    send(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(response.getTypeUrl())
            .setResponseNonce(response.getNonce())
            .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(error)));
  }

  private synchronized void send(DeltaDiscoveryRequest.Builder request) {
    if (!nodeSent) {
      request.setNode(node);
      nodeSent = true;
    }
    requests.onNext(request.build());
  }

  public DeltaDiscoveryResponse await(String typeUrl) throws InterruptedException {
    DeltaDiscoveryResponse response = queue(typeUrl).poll(10, TimeUnit.SECONDS);
    assertNotNull(response, "no " + typeUrl + " response within 10 s; stream errors: " + errors);
    return response;
  }

  /** The next response of {@code typeUrl} within {@code millis}, or null. */
  public DeltaDiscoveryResponse poll(String typeUrl, long millis) throws InterruptedException {
    return queue(typeUrl).poll(millis, TimeUnit.MILLISECONDS);
  }

  public void assertNothingFor(String typeUrl, long millis) throws InterruptedException {
    assertNull(queue(typeUrl).poll(millis, TimeUnit.MILLISECONDS), "unexpected " + typeUrl + " response");
  }

  public Throwable awaitError() throws InterruptedException {
    Throwable error = errors.poll(10, TimeUnit.SECONDS);
    assertNotNull(error, "stream was not closed with an error");
    return error;
  }

  @Override
  public void close() throws InterruptedException {
    requests.onCompleted();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
