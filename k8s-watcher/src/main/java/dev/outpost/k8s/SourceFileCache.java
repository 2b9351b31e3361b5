package dev.outpost.k8s;

import dev.outpost.translator.api.SourceFile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The JSON form of each cluster object, kept until the object's resourceVersion changes: a rebuild
 * after one VirtualService changed then serializes one object, not the whole cluster. Used from
 * the rebuild thread only.
 */
final class SourceFileCache {
  private record Entry(String uid, String resourceVersion, SourceFile file) {}

  private final Map<String, Entry> byName = new HashMap<>();

  SourceFile get(HasMetadata object, String apiVersion, String kind) {
    String name = ResourceFiles.nameOf(kind, object);
    String uid = object.getMetadata().getUid();
    String version = object.getMetadata().getResourceVersion();
    Entry cached = byName.get(name);
    // Without a resourceVersion there is nothing to compare: always serialize.
    if (cached != null && version != null && version.equals(cached.resourceVersion()) && Objects.equals(uid, cached.uid())) {
      return cached.file();
    }
    SourceFile file = ResourceFiles.toSourceFile(object, apiVersion, kind);
    byName.put(name, new Entry(uid, version, file));
    return file;
  }

  /** Forgets objects that are gone, so the cache holds no more than the informers do. */
  void retainOnly(Set<String> names) {
    byName.keySet().retainAll(names);
  }
}
