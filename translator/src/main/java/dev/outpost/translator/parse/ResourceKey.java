package dev.outpost.translator.parse;

import dev.outpost.translator.model.ObjectMeta;
import java.util.Comparator;

/** Identity of a resource: kind, namespace, name. Two documents with one key are duplicates. */
record ResourceKey(ResourceKind kind, String namespace, String name)
    implements Comparable<ResourceKey> {

  private static final Comparator<ResourceKey> ORDER =
      Comparator.comparing(ResourceKey::kind)
          .thenComparing(ResourceKey::namespace)
          .thenComparing(ResourceKey::name);

  static ResourceKey of(ResourceKind kind, ObjectMeta meta) {
    return new ResourceKey(kind, meta.namespace(), meta.name());
  }

  /** The diagnostic subject, e.g. {@code ServiceEntry default/httpbin}. */
  String subject() {
    return kind.kindName() + " " + namespace + "/" + name;
  }

  @Override
  public int compareTo(ResourceKey o) {
    return ORDER.compare(this, o);
  }
}
