package dev.outpost.translator.check;

import com.google.protobuf.util.JsonFormat;

/**
 * A JSON type registry that knows every Envoy API message, so that {@code Any} fields print and
 * parse (config dumps, goldens, bootstrap output).
 */
public final class EnvoyTypeRegistry {
  private EnvoyTypeRegistry() {}

  public static JsonFormat.TypeRegistry get() {
    // Scaffold: replaced by a registry built from the Envoy API jar's descriptors.
    return JsonFormat.TypeRegistry.getEmptyTypeRegistry();
  }
}
