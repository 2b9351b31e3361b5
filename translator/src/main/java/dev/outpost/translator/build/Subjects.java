package dev.outpost.translator.build;

import dev.outpost.translator.model.DestinationRule;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.VirtualService;

/** How diagnostics name resources: {@code Kind namespace/name}. */
final class Subjects {
  private Subjects() {}

  static String key(ObjectMeta meta) {
    return meta.namespace() + "/" + meta.name();
  }

  static String of(Gateway gateway) {
    return "Gateway " + key(gateway.metadata());
  }

  static String of(VirtualService vs) {
    return "VirtualService " + key(vs.metadata());
  }

  static String of(ServiceEntry se) {
    return "ServiceEntry " + key(se.metadata());
  }

  static String of(DestinationRule dr) {
    return "DestinationRule " + key(dr.metadata());
  }
}
