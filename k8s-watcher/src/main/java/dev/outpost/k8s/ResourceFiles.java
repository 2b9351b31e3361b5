package dev.outpost.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands a cluster object to the translator's parser as if it were a file: the object is written
 * back to JSON and becomes a {@link SourceFile} named {@code kubernetes:KIND/NAMESPACE/NAME}. So
 * the cluster and a config directory go through the same parser, with the same validation and the
 * same diagnostics; there is no second parser to drift.
 */
final class ResourceFiles {
  static final String PREFIX = "kubernetes:";

  private static final ObjectMapper JSON = Serialization.jsonMapper();

  private ResourceFiles() {}

  /** The name diagnostics and origins use for an object of this kind. */
  static String nameOf(String kind, HasMetadata object) {
    return PREFIX + kind + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  /**
   * The object as JSON without what the API server adds for its own bookkeeping: {@code
   * managedFields} (large, and noise in every diagnostic context) and {@code status} (written by
   * controllers, Outpost's own status writer among them, never configuration). The informer's
   * cached object is not modified: it is shared.
   *
   * @param apiVersion and {@code kind}: what the informer reads; items of a list response may
   *     lack them
   */
  static SourceFile toSourceFile(HasMetadata object, String apiVersion, String kind) {
    JsonNode tree = JSON.valueToTree(object);
    if (tree instanceof ObjectNode root) {
      if (!root.hasNonNull("apiVersion")) {
        root.put("apiVersion", apiVersion);
      }
      if (!root.hasNonNull("kind")) {
        root.put("kind", kind);
      }
      root.remove("status");
      if (root.get("metadata") instanceof ObjectNode metadata) {
        metadata.remove("managedFields");
      }
    }
    try {
      return new SourceFile(nameOf(kind, object), JSON.writeValueAsString(tree));
    } catch (JsonProcessingException e) {
      // A tree Jackson just built always writes; this would be a bug, not bad input.
      throw new IllegalStateException("cannot write " + nameOf(kind, object) + " as JSON", e);
    }
  }

  /**
   * {@code snapshot} with the file-level findings about an object (it could not be parsed: nested
   * too deep, a value over the size limit) named as the object, {@code file
   * kubernetes:EnvoyFilter/ns/x} becoming {@code EnvoyFilter ns/x}: that is how users know it,
   * and the status writer reports findings on the object of that name.
   */
  static ConfigSnapshot nameObjectsInDiagnostics(ConfigSnapshot snapshot) {
    String filePrefix = "file " + PREFIX;
    if (snapshot.diagnostics().stream().noneMatch(d -> d.subject().startsWith(filePrefix))) {
      return snapshot;
    }
    List<Diagnostic> renamed = new ArrayList<>();
    for (Diagnostic d : snapshot.diagnostics()) {
      renamed.add(d.subject().startsWith(filePrefix) ? d.withSubject(objectSubject(d.subject().substring(filePrefix.length()))) : d);
    }
    return snapshot.withDiagnostics(renamed);
  }

  /** {@code KIND/NAMESPACE/NAME} as the translator names a resource: {@code KIND NAMESPACE/NAME}. */
  private static String objectSubject(String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? name : name.substring(0, slash) + " " + name.substring(slash + 1);
  }
}
