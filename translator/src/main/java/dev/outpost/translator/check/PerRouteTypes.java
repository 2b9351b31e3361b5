package dev.outpost.translator.check;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which per-route config an HTTP filter takes, where Envoy's API shows it. Envoy finds the filter
 * of a {@code typed_per_filter_config} value by the value's type, then reads the value as that
 * filter's per-route type; a filter whose per-route type differs from its main config (Lua's
 * {@code LuaPerRoute}, RBAC's {@code RBACPerRoute}, ext_authz's {@code ExtAuthzPerRoute}, ...)
 * rejects its main config there. Those filters are recognised by a message named {@code
 * *PerRoute*} in their .proto file (every such filter of the API names it so); filters without one
 * take their main config per route (local_ratelimit, fault) or nothing Outpost can tell.
 */
final class PerRouteTypes {
  private static final Map<FileDescriptor, ImmutableList<String>> PER_ROUTE_BY_FILE =
      new ConcurrentHashMap<>();

  private PerRouteTypes() {}

  /** Why {@code typeName}, known to the API, cannot be a per-route config; empty when it can. */
  static Optional<String> problem(String typeName) {
    Optional<Descriptor> type = EnvoyTypeRegistry.descriptorForTypeUrl(typeName);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    ImmutableList<String> perRoute =
        PER_ROUTE_BY_FILE.computeIfAbsent(type.get().getFile(), PerRouteTypes::perRouteTypes);
    if (perRoute.isEmpty() || perRoute.contains(typeName)) {
      return Optional.empty();
    }
    return Optional.of(
        "type " + typeName + " is not the filter's per-route config: Envoy reads a"
            + " typed_per_filter_config value of this filter as " + String.join(" or ", perRoute)
            + " and rejects the route configuration; use " + perRoute.get(0));
  }

  private static ImmutableList<String> perRouteTypes(FileDescriptor file) {
    return file.getMessageTypes().stream()
        .filter(message -> message.getName().contains("PerRoute"))
        .map(Descriptor::getFullName)
        .collect(ImmutableList.toImmutableList());
  }
}
