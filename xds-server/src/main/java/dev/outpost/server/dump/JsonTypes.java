package dev.outpost.server.dump;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.util.JsonFormat;
import dev.outpost.translator.check.EnvoyTypeRegistry;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/**
 * The JSON type registry for everything the server prints (config dumps, bootstrap). It is the
 * translator's {@link EnvoyTypeRegistry} when that knows the admin types; until then (while the
 * registry is being built in parallel) a registry of the types Outpost itself packs into Anys, so
 * that printing never fails on an unknown Any.
 */
public final class JsonTypes {
  private static final List<Descriptor> OWN_TYPES =
      List.of(
          ConfigDump.getDescriptor(),
          Bootstrap.getDescriptor(),
          HttpConnectionManager.getDescriptor(),
          Router.getDescriptor(),
          HttpProtocolOptions.getDescriptor(),
          StdoutAccessLog.getDescriptor(),
          FileAccessLog.getDescriptor(),
          TcpProxy.getDescriptor(),
          DownstreamTlsContext.getDescriptor(),
          UpstreamTlsContext.getDescriptor());

  private static final JsonFormat.TypeRegistry REGISTRY = build();

  private JsonTypes() {}

  public static JsonFormat.TypeRegistry registry() {
    return REGISTRY;
  }

  private static JsonFormat.TypeRegistry build() {
    JsonFormat.TypeRegistry envoy = EnvoyTypeRegistry.get();
    if (envoy.find(ConfigDump.getDescriptor().getFullName()) != null
        && envoy.find(HttpProtocolOptions.getDescriptor().getFullName()) != null) {
      return envoy;
    }
    // add() also registers every message of each descriptor's file and its imports.
    return JsonFormat.TypeRegistry.newBuilder().add(OWN_TYPES).build();
  }
}
