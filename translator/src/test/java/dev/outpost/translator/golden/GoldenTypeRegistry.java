package dev.outpost.translator.golden;

import com.google.protobuf.util.JsonFormat;
import dev.outpost.translator.check.EnvoyTypeRegistry;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * The registry goldens print {@code Any} fields with: the project's {@link EnvoyTypeRegistry} once
 * it knows Envoy's types, until then one that knows what the translator emits.
 */
final class GoldenTypeRegistry {
  private GoldenTypeRegistry() {}

  static JsonFormat.TypeRegistry get() {
    JsonFormat.TypeRegistry shared = EnvoyTypeRegistry.get();
    if (shared.find(HttpConnectionManager.getDescriptor().getFullName()) != null) {
      return shared;
    }
    return JsonFormat.TypeRegistry.newBuilder()
        .add(HttpConnectionManager.getDescriptor())
        .add(Router.getDescriptor())
        .add(HTTPFault.getDescriptor())
        .add(StdoutAccessLog.getDescriptor())
        .add(HttpProtocolOptions.getDescriptor())
        .build();
  }
}
