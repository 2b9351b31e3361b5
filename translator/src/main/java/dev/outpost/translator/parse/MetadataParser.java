package dev.outpost.translator.parse;

import dev.outpost.translator.model.ObjectMeta;

/**
 * Reads {@code metadata} into {@link ObjectMeta}; a missing namespace is "default", as in kubectl.
 */
final class MetadataParser {
  static final String DEFAULT_NAMESPACE = "default";

  private MetadataParser() {}

  /** Reads metadata whose name and namespace the caller already extracted (and validated). */
  static ObjectMeta parse(FieldReader m, String name, String namespace, String origin) {
    m.string("name");
    m.string("namespace");
    if (!Names.isDns1123Subdomain(name)) {
      m.error(
          "name",
          "\""
              + name
              + "\" is not a valid name: lower-case letters, digits, '-' and '.', up to 253"
              + " characters");
    }
    if (!Names.isDns1123Label(namespace)) {
      m.error(
          "namespace",
          "\""
              + namespace
              + "\" is not a valid namespace: lower-case letters, digits and '-', up to 63"
              + " characters");
    }
    var labels = m.stringMap("labels");
    var annotations = m.stringMap("annotations");
    // Bookkeeping the API server adds (kubectl get -o yaml output); it does not affect config.
    m.ignore(
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "managedFields",
        "ownerReferences",
        "finalizers",
        "generateName",
        "selfLink");
    m.finish();
    return new ObjectMeta(name, namespace, labels, annotations, origin);
  }
}
