package dev.outpost.server.xds;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * Makes the address an ADS call comes from visible to the code that handles its messages.
 * java-control-plane's stream callbacks ({@link ProxyRegistry}) see only a stream id and the
 * requests, not the call; gRPC runs every listener callback of a call inside the {@link Context}
 * its interceptors set, so {@link #current()} there is that call's peer.
 */
public final class PeerAddressInterceptor implements ServerInterceptor {
  private static final Context.Key<InetAddress> PEER = Context.key("outpost-peer-address");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return Contexts.interceptCall(Context.current().withValue(PEER, inet.getAddress()), call, headers, next);
    }
    // In-process and Unix-socket transports have no IP peer: current() stays empty.
    return next.startCall(call, headers);
  }

  /**
   * The IP address of the peer of the gRPC call being handled on this thread; empty outside a call
   * or when the transport has no IP peer.
   */
  public static Optional<InetAddress> current() {
    return Optional.ofNullable(PEER.get());
  }
}
