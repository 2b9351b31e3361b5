package dev.outpost.translator.build;

import dev.outpost.translator.model.DestinationRule;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.VirtualService;
import java.util.Comparator;

/** How diagnostics name resources: {@code Kind namespace/name}. */
final class Subjects {
  private Subjects() {}

  static String key(ObjectMeta meta) {
    return meta.namespace() + "/" + meta.name();
  }

  /**
   * Orders resources as their {@link #key} strings compare, without building the strings: sorting
   * 10k resources builds them ~n log n times. With equal namespaces, the keys share the prefix
   * "namespace/", so they compare as the names do.
   */
  static final Comparator<ObjectMeta> KEY_ORDER =
      (a, b) ->
          a.namespace().equals(b.namespace())
              ? a.name().compareTo(b.name())
              : key(a).compareTo(key(b));

  static String of(Gateway gateway) {
    return "Gateway " + key(gateway.metadata());
  }

  static String of(VirtualService vs) {
    return "VirtualService " + key(vs.metadata());
  }

  static String of(ServiceEntry se) {
    return se.source().kindName() + " " + key(se.metadata());
  }

  static String of(DestinationRule dr) {
    return "DestinationRule " + key(dr.metadata());
  }

  static String of(dev.outpost.translator.model.AuthorizationPolicy policy) {
    return "AuthorizationPolicy " + key(policy.metadata());
  }

  static String of(dev.outpost.translator.model.Sidecar sidecar) {
    return "Sidecar " + key(sidecar.metadata());
  }
}
