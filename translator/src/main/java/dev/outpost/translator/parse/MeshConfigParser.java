package dev.outpost.translator.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.outpost.translator.model.MeshConfig;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.OutboundTrafficMode;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads Istio's mesh config: the ConfigMap {@code istio} in {@code istio-system}, whose key {@code
 * mesh} holds a YAML document (Istio's {@code MeshConfig}), as istiod reads it.
 *
 * <p>Of that document Outpost reads {@code outboundTrafficPolicy.mode} only. Every other key is
 * istiod's business and is passed over without a diagnostic (a real mesh config is full of them):
 * among the common ones {@code defaultConfig} (proxy bootstrap), {@code accessLogFile}, {@code
 * accessLogEncoding}, {@code accessLogFormat}, {@code enableTracing}, {@code extensionProviders},
 * {@code defaultProviders}, {@code rootNamespace}, {@code trustDomain}, {@code trustDomainAliases},
 * {@code enableAutoMtls}, {@code localityLbSetting}, {@code connectTimeout}, {@code
 * defaultDestinationRuleExportTo}, {@code defaultServiceExportTo}, {@code
 * defaultVirtualServiceExportTo}, {@code discoverySelectors}, {@code ingressClass}, {@code
 * ingressService}, {@code ingressControllerMode}, {@code outboundClusterStatName}, {@code
 * inboundClusterStatName}, {@code serviceSettings}, {@code caCertificates}, {@code
 * certificates}. Other keys of the ConfigMap ({@code meshNetworks}, ...) are passed over too.
 *
 * <p>What Outpost does read fails closed: a mode it cannot read, or a {@code mesh} that is not
 * YAML, is an error and the mode is REGISTRY_ONLY. The resource stays in the snapshot with that
 * value ({@link ResourceKind#rejectedOnError()}), so that an earlier ALLOW_ANY does not outlive a
 * broken edit.
 */
final class MeshConfigParser {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static {
    // As for files: a key given twice is almost always a mistake.
    YAML.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  private static final String MESH_FIELD = "data." + MeshConfig.CONFIG_MAP_KEY;
  private static final String FALLBACK =
      "; Outpost uses REGISTRY_ONLY (only declared hosts leave) until this is fixed";

  private MeshConfigParser() {}

  /** The one ConfigMap Outpost reads; every other is ignored. */
  static boolean isMeshConfig(String namespace, String name) {
    return namespace.equals(MeshConfig.ROOT_NAMESPACE) && name.equals(MeshConfig.CONFIG_MAP_NAME);
  }

  static MeshConfig parse(ObjectMeta meta, FieldReader root) {
    root.ignore("binaryData", "immutable");
    Optional<String> mesh =
        root.object("data").flatMap(data -> data.value(MeshConfig.CONFIG_MAP_KEY)).flatMap(
            v -> meshText(v, root.findings()));
    // Without a mesh key istiod uses its defaults; Outpost's default mode is REGISTRY_ONLY.
    OutboundTrafficMode mode =
        mesh.flatMap(text -> outboundTrafficMode(text, root.findings()))
            .orElse(OutboundTrafficMode.REGISTRY_ONLY);
    return new MeshConfig(meta, mode);
  }

  private static Optional<String> meshText(JsonNode value, Findings findings) {
    if (value.isTextual()) {
      return Optional.of(value.textValue());
    }
    findings.error(
        MESH_FIELD,
        "must be a string holding a YAML document (write it as a block: \"mesh: |\" followed by"
            + " the indented mesh config), but is "
            + FieldReader.describe(value)
            + FALLBACK);
    return Optional.empty();
  }

  private static Optional<OutboundTrafficMode> outboundTrafficMode(String mesh, Findings findings) {
    JsonNode doc;
    try {
      doc = YAML.readTree(mesh);
    } catch (IOException | RuntimeException e) {
      findings.error(
          MESH_FIELD, "is not valid YAML: " + DocumentReader.describe(e) + FALLBACK);
      return Optional.empty();
    }
    if (doc == null || doc.isNull() || doc.isMissingNode()) {
      return Optional.empty(); // an empty mesh config: every default
    }
    if (!doc.isObject()) {
      findings.error(
          MESH_FIELD,
          "must be a YAML mapping (Istio's MeshConfig), but is " + FieldReader.describe(doc) + FALLBACK);
      return Optional.empty();
    }
    JsonNode policy = doc.get("outboundTrafficPolicy");
    if (policy == null || policy.isNull()) {
      return Optional.empty();
    }
    // The path reads "data.mesh: outboundTrafficPolicy.mode": a ConfigMap key, then a path inside
    // the document it holds.
    Optional<FieldReader> reader =
        FieldReader.of(policy, MESH_FIELD + ": outboundTrafficPolicy", findings);
    if (reader.isEmpty()) {
      return Optional.of(OutboundTrafficMode.REGISTRY_ONLY); // not a mapping: reported
    }
    FieldReader r = reader.get();
    Optional<String> written = r.string("mode");
    r.finish();
    if (written.isEmpty()) {
      // Absent (the mesh default), or not a string (reported): REGISTRY_ONLY either way.
      return Optional.of(OutboundTrafficMode.REGISTRY_ONLY);
    }
    for (OutboundTrafficMode mode : OutboundTrafficMode.values()) {
      if (mode.name().equals(written.get())) {
        return Optional.of(mode);
      }
    }
    r.error(
        "mode", "\"" + written.get() + "\" is not a valid mode; use REGISTRY_ONLY or ALLOW_ANY" + FALLBACK);
    return Optional.of(OutboundTrafficMode.REGISTRY_ONLY);
  }
}
