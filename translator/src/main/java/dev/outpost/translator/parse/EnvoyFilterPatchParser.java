package dev.outpost.translator.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.ClusterMatch;
import dev.outpost.translator.model.EnvoyFilter.Context;
import dev.outpost.translator.model.EnvoyFilter.ListenerMatch;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import dev.outpost.translator.model.EnvoyFilter.Patch;
import dev.outpost.translator.model.EnvoyFilter.RouteConfigurationMatch;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads one {@code configPatches[]} entry: {@code applyTo}, {@code match} (by {@link
 * EnvoyFilterMatchParser}) and {@code patch}. Checks what Istio documents: the match that fits
 * {@code applyTo}, an operation that does something on that kind of object, a value unless the
 * operation is REMOVE. The value is kept as JSON for the patcher; whether it fits the Envoy type
 * is decided when it is applied.
 */
final class EnvoyFilterPatchParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** applyTo values Istio has and Outpost does not patch. */
  private static final Set<String> ISTIO_ONLY =
      Set.of("LISTENER_FILTER", "EXTENSION_CONFIG", "BOOTSTRAP");

  private EnvoyFilterPatchParser() {}

  /** The patch, or empty when applyTo or the operation is missing or invalid (reported). */
  static Optional<Patch> parse(int index, FieldReader p) {
    Optional<ApplyTo> applyTo = applyTo(p);
    FieldReader match =
        p.object("match").orElseGet(() -> FieldReader.empty(p.path("match"), p.findings()));
    Context context = match.enumValue("context", Context.class).orElse(Context.ANY);
    if (context == Context.SIDECAR_INBOUND) {
      match.warning(
          "context",
          "SIDECAR_INBOUND: Outpost configures no inbound listeners (it serves egress only), so"
              + " this patch never applies");
    }
    if (match.has("proxy")) {
      match.warning(
          "proxy",
          "is not used: Outpost applies the patch to every proxy the EnvoyFilter selects,"
              + " whatever its version or metadata");
    }
    Optional<ListenerMatch> listener =
        match.object("listener").map(l -> EnvoyFilterMatchParser.listener(l, applyTo));
    Optional<RouteConfigurationMatch> routeConfiguration =
        match.object("routeConfiguration").map(EnvoyFilterMatchParser::routeConfiguration);
    Optional<ClusterMatch> cluster =
        match.object("cluster").map(EnvoyFilterMatchParser::cluster);
    match.finish();
    applyTo.ifPresent(a -> checkMatchKind(match, a));
    Optional<Operation> operation = Optional.empty();
    Optional<String> value = Optional.empty();
    if (!p.has("patch")) {
      p.error("patch", "is required: give the operation (and the value) to apply");
    }
    Optional<FieldReader> patch = p.object("patch");
    if (patch.isPresent()) {
      operation = operation(patch.get(), applyTo);
      value = value(patch.get(), operation);
      if (patch.get().has("filterClass")) {
        patch
            .get()
            .warning(
                "filterClass",
                "is not used: Outpost places the filter where operation and match say; use"
                    + " INSERT_BEFORE/INSERT_AFTER with a subFilter match to choose its place");
      }
      patch.get().finish();
    }
    p.finish();
    if (applyTo.isEmpty() || operation.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Patch(
            index,
            applyTo.get(),
            context,
            listener,
            routeConfiguration,
            cluster,
            operation.get(),
            value));
  }

  private static Optional<ApplyTo> applyTo(FieldReader p) {
    if (!p.has("applyTo")) {
      p.error("applyTo", "is required: name the kind of object to patch, e.g. HTTP_FILTER");
      return Optional.empty();
    }
    Optional<String> text = p.string("applyTo");
    if (text.isEmpty()) {
      return Optional.empty(); // not a string: reported
    }
    for (ApplyTo a : ApplyTo.values()) {
      if (a.name().equals(text.get())) {
        return Optional.of(a);
      }
    }
    String supported =
        Arrays.stream(ApplyTo.values()).map(Enum::name).collect(Collectors.joining(", "));
    if (ISTIO_ONLY.contains(text.get())) {
      p.error(
          "applyTo",
          text.get() + " is not supported by Outpost; it patches " + supported);
    } else {
      p.error(
          "applyTo", "\"" + text.get() + "\" is not a valid applyTo; use one of " + supported);
    }
    return Optional.empty();
  }

  /** Istio: a listener match only for listener objects, and so on; never two of them. */
  private static void checkMatchKind(FieldReader match, ApplyTo applyTo) {
    String fits =
        switch (applyTo) {
          case LISTENER, FILTER_CHAIN, NETWORK_FILTER, HTTP_FILTER -> "listener";
          case ROUTE_CONFIGURATION, VIRTUAL_HOST, HTTP_ROUTE -> "routeConfiguration";
          case CLUSTER -> "cluster";
        };
    for (String kind : new String[] {"listener", "routeConfiguration", "cluster"}) {
      if (match.has(kind) && !kind.equals(fits)) {
        match.error(
            kind,
            "cannot be used with applyTo "
                + applyTo
                + ": match on "
                + fits
                + " instead (listener for LISTENER, FILTER_CHAIN, NETWORK_FILTER and HTTP_FILTER;"
                + " routeConfiguration for ROUTE_CONFIGURATION, VIRTUAL_HOST and HTTP_ROUTE; cluster"
                + " for CLUSTER)");
      }
    }
  }

  private static Optional<Operation> operation(FieldReader patch, Optional<ApplyTo> applyTo) {
    if (!patch.has("operation")) {
      patch.error(
          "operation",
          "is required: one of MERGE, ADD, REMOVE, INSERT_BEFORE, INSERT_AFTER, INSERT_FIRST,"
              + " REPLACE");
      return Optional.empty();
    }
    Optional<Operation> operation = patch.enumValue("operation", Operation.class);
    if (operation.isPresent() && applyTo.isPresent()) {
      Set<Operation> allowed = applyTo.get().operations();
      if (!allowed.contains(operation.get())) {
        patch.error(
            "operation",
            operation.get()
                + " has no effect with applyTo "
                + applyTo.get()
                + " (Istio ignores it there); use one of "
                + allowed.stream()
                    .map(Enum::name)
                    .collect(Collectors.joining(", ")));
        return Optional.empty();
      }
    }
    return operation;
  }

  /** {@code value} as JSON text, {@code @type} keys and all; required unless REMOVE. */
  private static Optional<String> value(FieldReader patch, Optional<Operation> operation) {
    Optional<JsonNode> value = patch.value("value");
    boolean remove = operation.equals(Optional.of(Operation.REMOVE));
    if (remove) {
      if (value.isPresent()) {
        patch.warning("value", "is ignored with operation REMOVE, which needs none");
      }
      return Optional.empty();
    }
    if (value.isEmpty()) {
      if (operation.isPresent()) {
        patch.error(
            "value",
            "is required with operation "
                + operation.get()
                + ": give the Envoy configuration to apply (for a filter: its name and"
                + " typed_config)");
      }
      return Optional.empty();
    }
    if (!value.get().isObject()) {
      patch.error(
          "value",
          "must be a mapping (the Envoy object, e.g. an HTTP filter with name and typed_config),"
              + " but is "
              + FieldReader.describe(value.get()));
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.writeValueAsString(value.get()));
    } catch (JsonProcessingException e) {
      // A tree read from YAML or JSON always writes; this would be a bug, not bad input.
      throw new IllegalStateException("cannot write a parsed value as JSON", e);
    }
  }
}
