package dev.outpost.translator.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.outpost.translator.check.EnvoyTypeRegistry;
import dev.outpost.translator.check.ExtensionTypeRules;
import dev.outpost.translator.model.EnvoyFilter;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.Optional;

/**
 * A patch's {@code value} (JSON text) → the Envoy message its {@code applyTo} patches, with every
 * {@code @type} resolved against the Envoy API and TypedStructs converted to the type they name
 * ({@link TypedStructs}). Field names may be snake_case or camelCase (Envoy's JSON mapping takes
 * both); an unknown field, a value of the wrong kind or an extension config of a type its slot
 * does not take ({@link ExtensionTypeRules}) is an error, as it would be for Envoy.
 */
final class PatchValues {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VALUE = "patch.value";

  private PatchValues() {}

  /** The empty message of the type a patch with this {@code applyTo} carries. */
  static Message prototype(EnvoyFilter.ApplyTo applyTo) {
    return switch (applyTo) {
      case LISTENER -> Listener.getDefaultInstance();
      case FILTER_CHAIN -> FilterChain.getDefaultInstance();
      case NETWORK_FILTER -> Filter.getDefaultInstance();
      case HTTP_FILTER -> HttpFilter.getDefaultInstance();
      case ROUTE_CONFIGURATION -> RouteConfiguration.getDefaultInstance();
      case VIRTUAL_HOST -> VirtualHost.getDefaultInstance();
      case HTTP_ROUTE -> Route.getDefaultInstance();
      case CLUSTER -> Cluster.getDefaultInstance();
    };
  }

  static Message parse(String json, EnvoyFilter.ApplyTo applyTo) throws PatchException {
    Message prototype = prototype(applyTo);
    String typeName = prototype.getDescriptorForType().getFullName();
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new PatchException(VALUE, "is not valid JSON: " + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new PatchException(
          VALUE, "must be a mapping with the fields of an Envoy " + typeName + " (applyTo "
              + applyTo + ")");
    }
    JsonNode expanded = TypedStructs.expand(tree, VALUE);
    Optional<PatchException> wrongKind = JsonScalarTypes.check(expanded, prototype.getDescriptorForType(), VALUE);
    if (wrongKind.isPresent()) {
      throw wrongKind.get();
    }
    Message.Builder builder = prototype.newBuilderForType();
    try {
      JsonFormat.parser()
          .usingTypeRegistry(EnvoyTypeRegistry.get())
          .merge(JSON.writeValueAsString(expanded), builder);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new PatchException(
          VALUE, "does not fit an Envoy " + typeName + " (applyTo " + applyTo + "): "
              + e.getMessage());
    } catch (RuntimeException e) {
      // JsonFormat reports some malformed input (a list where a message goes, huge numbers) with
      // unchecked exceptions; it is still the user's value that is wrong.
      throw new PatchException(
          VALUE, "does not fit an Envoy " + typeName + " (applyTo " + applyTo + "): " + e);
    }
    Message value = builder.build();
    // Found here, a wrong type names the patch and its place in the value; the snapshot checker
    // would find it too, but only in the patched listener or cluster.
    for (ExtensionTypeRules.Problem problem : ExtensionTypeRules.check(value)) {
      throw new PatchException(VALUE + problem.path(), problem.problem());
    }
    return value;
  }
}
