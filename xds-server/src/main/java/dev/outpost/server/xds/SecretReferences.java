package dev.outpost.server.xds;

import com.google.common.collect.ImmutableSortedSet;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.MeshSecrets;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The SDS secret names that a snapshot's listeners and clusters reference from their transport
 * sockets (TLS contexts): certificates, validation contexts, combined validation contexts, on
 * every filter chain and transport socket match. The publisher uses it to add the mesh secrets a
 * group actually needs, and only those.
 */
public final class SecretReferences {
  private static final String DOWNSTREAM_TLS = Any.pack(DownstreamTlsContext.getDefaultInstance()).getTypeUrl();
  private static final String UPSTREAM_TLS = Any.pack(UpstreamTlsContext.getDefaultInstance()).getTypeUrl();

  private SecretReferences() {}

  /**
   * The mesh secrets ({@code default}, {@code ROOTCA}) the resources reference: what the server's
   * mesh CA supplies for them.
   */
  public static ImmutableSortedSet<String> meshSecretsReferenced(EnvoyResources resources) {
    return of(resources).stream()
        .filter(MeshSecrets.NAMES::contains)
        .collect(ImmutableSortedSet.toImmutableSortedSet(java.util.Comparator.naturalOrder()));
  }

  public static ImmutableSortedSet<String> of(EnvoyResources resources) {
    SortedSet<String> names = new TreeSet<>();
    for (Listener listener : resources.listeners()) {
      for (FilterChain chain : listener.getFilterChainsList()) {
        socket(chain.getTransportSocket(), names);
      }
      socket(listener.getDefaultFilterChain().getTransportSocket(), names);
    }
    for (Cluster cluster : resources.clusters()) {
      socket(cluster.getTransportSocket(), names);
      for (Cluster.TransportSocketMatch match : cluster.getTransportSocketMatchesList()) {
        socket(match.getTransportSocket(), names);
      }
    }
    return ImmutableSortedSet.copyOf(names);
  }

  private static void socket(TransportSocket socket, SortedSet<String> names) {
    if (!socket.hasTypedConfig()) {
      return;
    }
    Any config = socket.getTypedConfig();
    try {
      if (config.getTypeUrl().equals(DOWNSTREAM_TLS)) {
        collect(config.unpack(DownstreamTlsContext.class), names);
      } else if (config.getTypeUrl().equals(UPSTREAM_TLS)) {
        collect(config.unpack(UpstreamTlsContext.class), names);
      }
    } catch (InvalidProtocolBufferException e) {
      // Unreadable: the gate reports it; nothing to supply.
    }
  }

  // Every SdsSecretConfig inside the TLS context, wherever the context puts it.
  private static void collect(Message message, SortedSet<String> names) {
    if (message instanceof SdsSecretConfig sds) {
      names.add(sds.getName());
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object item : (List<?>) field.getValue()) {
          collect((Message) item, names);
        }
      } else {
        collect((Message) field.getValue(), names);
      }
    }
  }
}
