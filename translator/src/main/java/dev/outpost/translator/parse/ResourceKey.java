package dev.outpost.translator.parse;

import dev.outpost.translator.model.ObjectMeta;

/** Identity of a resource: kind, namespace, name. Two documents with one key are duplicates. */
record ResourceKey(ResourceKind kind, String namespace, String name)
    implements Comparable<ResourceKey> {

  static ResourceKey of(ResourceKind kind, ObjectMeta meta) {
    return new ResourceKey(kind, meta.namespace(), meta.name());
  }

  /** The diagnostic subject, e.g. {@code ServiceEntry default/httpbin}. */
  String subject() {
    return kind.kindName() + " " + namespace + "/" + name;
  }

  /** Kind, then namespace, then name (written out: this orders every resource of a snapshot). */
  @Override
  public int compareTo(ResourceKey o) {
    int byKind = kind.compareTo(o.kind);
    if (byKind != 0) {
      return byKind;
    }
    int byNamespace = namespace.compareTo(o.namespace);
    return byNamespace != 0 ? byNamespace : name.compareTo(o.name);
  }
}
