package dev.outpost.it.ads;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reading TLS out of served resources: which SDS secrets a cluster or listener names, and secret contents. */
final class TlsResources {
  private TlsResources() {}

  /** SDS names a cluster's TLS (transport socket and transport socket matches) refers to, sorted. */
  static List<String> sdsNames(Cluster cluster) throws InvalidProtocolBufferException {
    TreeSet<String> names = new TreeSet<>();
    if (cluster.hasTransportSocket()) {
      names.addAll(upstream(cluster.getTransportSocket()));
    }
    for (Cluster.TransportSocketMatch match : cluster.getTransportSocketMatchesList()) {
      names.addAll(upstream(match.getTransportSocket()));
    }
    return List.copyOf(names);
  }

  /** SDS names a listener's filter chains refer to, sorted. */
  static List<String> sdsNames(Listener listener) throws InvalidProtocolBufferException {
    TreeSet<String> names = new TreeSet<>();
    for (FilterChain chain : listener.getFilterChainsList()) {
      if (chain.hasTransportSocket() && chain.getTransportSocket().getTypedConfig().is(DownstreamTlsContext.class)) {
        names.addAll(
            common(chain.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class).getCommonTlsContext()));
      }
    }
    return List.copyOf(names);
  }

  private static List<String> upstream(TransportSocket socket) throws InvalidProtocolBufferException {
    if (!socket.getTypedConfig().is(UpstreamTlsContext.class)) {
      return List.of();
    }
    return common(socket.getTypedConfig().unpack(UpstreamTlsContext.class).getCommonTlsContext());
  }

  private static List<String> common(CommonTlsContext tls) {
    List<String> names = new ArrayList<>();
    tls.getTlsCertificateSdsSecretConfigsList().stream().map(SdsSecretConfig::getName).forEach(names::add);
    if (tls.hasValidationContextSdsSecretConfig()) {
      names.add(tls.getValidationContextSdsSecretConfig().getName());
    }
    if (tls.hasCombinedValidationContext()
        && tls.getCombinedValidationContext().hasValidationContextSdsSecretConfig()) {
      names.add(tls.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName());
    }
    return names;
  }

  /** The secrets in an SDS response, by name. */
  static Map<String, Secret> secrets(List<Any> resources) throws InvalidProtocolBufferException {
    Map<String, Secret> byName = new TreeMap<>();
    for (Any any : resources) {
      Secret secret = any.unpack(Secret.class);
      byName.put(secret.getName(), secret);
    }
    return byName;
  }

  /** A data source's inline content as text (Envoy accepts inline bytes or an inline string). */
  static String text(DataSource source) {
    return switch (source.getSpecifierCase()) {
      case INLINE_BYTES -> source.getInlineBytes().toString(StandardCharsets.UTF_8);
      case INLINE_STRING -> source.getInlineString();
      default -> throw new AssertionError("expected inline PEM, got " + source.getSpecifierCase());
    };
  }

  /** A gateway node like {@link AdsHarness#gatewayNode} but in {@code namespace}. */
  static Node gatewayNode(String id, String namespace) {
    return Node.newBuilder()
        .setId(id)
        .setCluster("istio-egressgateway")
        .setMetadata(
            Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())
                .putFields("ROLE", Value.newBuilder().setStringValue("gateway").build())
                .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("istio-egressgateway").build())
                .putFields(
                    "LABELS",
                    Value.newBuilder()
                        .setStructValue(
                            Struct.newBuilder().putFields("istio", Value.newBuilder().setStringValue("egressgateway").build()))
                        .build()))
        .build();
  }
}
