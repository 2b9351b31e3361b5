package dev.outpost.translator.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ObjectMeta;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Turns one document into a model resource: reads apiVersion, kind and metadata, dispatches to the
 * kind's parser, and collects the resource's diagnostics. Documents that are not resources Outpost
 * reads produce file diagnostics instead.
 */
final class ResourceReader {
  private ResourceReader() {}

  /**
   * A document that is a resource Outpost reads, parsed.
   *
   * @param valid false when any diagnostic is an error: the resource is rejected
   */
  record Parsed(
      ResourceKey key,
      String file,
      String origin,
      Record resource,
      ImmutableList<Diagnostic> diagnostics,
      boolean valid) {}

  /**
   * Reads a document (a {@code kind: List} yields several), adding file-level findings to {@code
   * fileDiagnostics}.
   */
  static void read(Document doc, List<Parsed> out, List<Diagnostic> fileDiagnostics) {
    String subject = Document.fileSubject(doc.file());
    JsonNode node = doc.node();
    if (node == null || node.isNull() || node.isMissingNode()) {
      return; // an empty document, e.g. after a trailing "---"
    }
    if (!node.isObject()) {
      fileDiagnostics.add(
          Diagnostic.error(
              subject,
              doc.location(),
              "is not a Kubernetes resource: expected a mapping with apiVersion, kind and metadata,"
                  + " found "
                  + FieldReader.describe(node)));
      return;
    }
    Optional<String> apiVersion = text(node, "apiVersion");
    Optional<String> kind = text(node, "kind");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      fileDiagnostics.add(
          Diagnostic.error(
              subject,
              doc.location(),
              "has no "
                  + (apiVersion.isEmpty() ? "apiVersion" : "kind")
                  + "; every resource needs apiVersion, kind and metadata.name"));
      return;
    }
    if (kind.get().equals("List") && doc.item().isEmpty()) {
      readList(doc, node, out, fileDiagnostics);
      return;
    }
    Optional<ResourceKind> resourceKind = ResourceKind.of(apiVersion.get(), kind.get());
    if (resourceKind.isEmpty()) {
      fileDiagnostics.add(
          Diagnostic.warning(
              subject,
              doc.location(),
              "kind "
                  + kind.get()
                  + " (apiVersion "
                  + apiVersion.get()
                  + ") is not read by Outpost and is ignored"
                  + hint(kind.get())));
      return;
    }
    JsonNode metadata = node.get("metadata");
    Optional<String> name = metadata == null ? Optional.empty() : text(metadata, "name");
    if (name.isEmpty() || name.get().isEmpty()) {
      fileDiagnostics.add(
          Diagnostic.error(
              subject,
              doc.location(),
              kind.get() + " has no metadata.name; every resource needs a name"));
      return;
    }
    String namespace =
        text(metadata, "namespace")
            .filter(s -> !s.isEmpty())
            .orElse(MetadataParser.DEFAULT_NAMESPACE);
    if (resourceKind.get() == ResourceKind.CONFIG_MAP
        && !MeshConfigParser.isMeshConfig(namespace, name.get())) {
      return; // an application's ConfigMap: none of Outpost's business
    }
    out.add(parse(doc, resourceKind.get(), name.get(), namespace));
  }

  private static Parsed parse(Document doc, ResourceKind kind, String name, String namespace) {
    ResourceKey key = new ResourceKey(kind, namespace, name);
    Findings findings = new Findings(key.subject());
    FieldReader root = FieldReader.of(doc.node(), "", findings).orElseThrow();
    root.string("apiVersion");
    root.string("kind");
    root.ignore("status"); // written by controllers, not configuration
    ObjectMeta meta =
        MetadataParser.parse(root.object("metadata").orElseThrow(), name, namespace, doc.origin());
    Record resource =
        switch (kind) {
          case SERVICE_ENTRY -> withSpec(root, meta, ServiceEntryParser::parse);
          case GATEWAY -> withSpec(root, meta, GatewayParser::parse);
          case VIRTUAL_SERVICE -> withSpec(root, meta, VirtualServiceParser::parse);
          case DESTINATION_RULE -> withSpec(root, meta, DestinationRuleParser::parse);
          case SECRET -> SecretParser.parse(meta, root);
          case SERVICE -> KubeServiceParser.parse(meta, root);
          case ENDPOINT_SLICE -> EndpointSliceParser.parse(meta, root);
          case POD -> PodParser.parse(meta, root);
          case SIDECAR -> SidecarParser.parse(meta, root);
          case CONFIG_MAP -> MeshConfigParser.parse(meta, root);
          case AUTHORIZATION_POLICY -> AuthorizationPolicyParser.parse(meta, root);
          case ENVOY_FILTER -> withSpec(root, meta, EnvoyFilterParser::parse);
        };
    root.finish();
    boolean valid = !findings.hasErrors() || !kind.rejectedOnError();
    return new Parsed(key, doc.file(), doc.origin(), resource, findings.all(), valid);
  }

  private static Record withSpec(
      FieldReader root, ObjectMeta meta, BiFunction<ObjectMeta, FieldReader, Record> parser) {
    if (!root.has("spec")) {
      root.error("spec", "is required");
    }
    // A missing or malformed spec is read as empty, so that every missing field is reported.
    FieldReader spec =
        root.object("spec").orElseGet(() -> FieldReader.empty("spec", root.findings()));
    return parser.apply(meta, spec);
  }

  private static void readList(
      Document doc, JsonNode node, List<Parsed> out, List<Diagnostic> fileDiagnostics) {
    JsonNode items = node.get("items");
    if (items == null || !items.isArray()) {
      fileDiagnostics.add(
          Diagnostic.error(
              Document.fileSubject(doc.file()), doc.location(), "is a List without an items list"));
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      read(
          new Document(doc.file(), doc.index(), Optional.of(i + 1), items.get(i)),
          out,
          fileDiagnostics);
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? Optional.of(v.textValue()) : Optional.empty();
  }

  private static String hint(String kind) {
    return ResourceKind.suggestedApiVersion(kind).map(v -> "; use apiVersion " + v).orElse("");
  }
}
