package dev.outpost.it.ads;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A state-of-the-world ADS client behaving like Envoy with {@code set_node_on_first_message_only}:
 * the node goes only into the stream's first request.
 */
public final class SotwClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final StreamObserver<DiscoveryRequest> requests;
  private final Map<String, BlockingQueue<DiscoveryResponse>> responses = new ConcurrentHashMap<>();
  private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
  private final Node node;
  private boolean nodeSent;

  public SotwClient(int port, Node node) {
    this.node = node;
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse response) {
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

  private BlockingQueue<DiscoveryResponse> queue(String typeUrl) {
    return responses.computeIfAbsent(typeUrl, k -> new LinkedBlockingQueue<>());
  }

  /** First request for a type (or a change of names), with no version yet. */
  public void request(String typeUrl, List<String> names) {
    send(DiscoveryRequest.newBuilder().setTypeUrl(typeUrl).addAllResourceNames(names));
  }

  /** A request that carries {@code otherNode}, as a misbehaving client might send mid-stream. */
  public synchronized void requestAs(Node otherNode, String typeUrl, List<String> names) {
    requests.onNext(
        DiscoveryRequest.newBuilder().setNode(otherNode).setTypeUrl(typeUrl).addAllResourceNames(names).build());
  }

  public void ack(DiscoveryResponse response, List<String> names) {
    send(
        DiscoveryRequest.newBuilder()
            .setTypeUrl(response.getTypeUrl())
            .setVersionInfo(response.getVersionInfo())
            .setResponseNonce(response.getNonce())
            .addAllResourceNames(names));
  }

  /** Rejects {@code response}; like Envoy, reports the last version it accepted. */
  public void nack(DiscoveryResponse response, String lastAcceptedVersion, List<String> names, String error) {
    send(
        DiscoveryRequest.newBuilder()
            .setTypeUrl(response.getTypeUrl())
            .setVersionInfo(lastAcceptedVersion)
            .setResponseNonce(response.getNonce())
            .addAllResourceNames(names)
            .setErrorDetail(Status.newBuilder().setCode(3).setMessage(error)));
  }

  private synchronized void send(DiscoveryRequest.Builder request) {
    if (!nodeSent) {
      request.setNode(node);
      nodeSent = true;
    }
    requests.onNext(request.build());
  }

  public DiscoveryResponse await(String typeUrl) throws InterruptedException {
    DiscoveryResponse response = queue(typeUrl).poll(10, TimeUnit.SECONDS);
    assertNotNull(response, "no " + typeUrl + " response within 10 s; stream errors: " + errors);
    return response;
  }

  /** The next response of {@code typeUrl} within {@code millis}, or null. */
  public DiscoveryResponse poll(String typeUrl, long millis) throws InterruptedException {
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

  /** Drops the connection without closing the stream, as a crashing Envoy would. */
  public void abort() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (channel.isShutdown()) {
      return;
    }
    requests.onCompleted();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
