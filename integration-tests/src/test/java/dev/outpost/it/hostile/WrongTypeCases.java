package dev.outpost.it.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Every field with the wrong type: for each seed of {@link Manifests}, walk its fields (maps,
 * lists and scalars, the mesh config's embedded YAML document too) and replace each value by a
 * value of every other type; a number also by a numeric string, a huge number, a negative one and
 * a float. Each replacement is one case; its diagnostic must name the resource and the field.
 *
 * <p>In Kubernetes mode the API server itself types metadata and the built-in kinds (it refuses a
 * Service whose port is a string), so there only the spec of the Istio kinds (custom resources,
 * stored as written) is mutated, one wrong type per field, taking the types in turn.
 */
final class WrongTypeCases {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private WrongTypeCases() {}

  /** A wrong value, and the diagnostic it is due: null is absence in YAML and Kubernetes, not an error. */
  enum WrongValue {
    STRING(NODES.textNode("wrong")),
    NUMERIC_STRING(NODES.textNode("80")),
    INT(NODES.numberNode(42)),
    BOOL(NODES.booleanNode(true)),
    LIST(NODES.arrayNode().add("x")),
    MAP(NODES.objectNode().put("x", "y")),
    NULL(NODES.nullNode()),
    HUGE(NODES.numberNode(BigInteger.TWO.pow(70))),
    NEGATIVE(NODES.numberNode(-1)),
    FLOAT(NODES.numberNode(1.5));

    private final JsonNode value;

    WrongValue(JsonNode value) {
      this.value = value;
    }

    /** The value put in place of {@code original}: a numeric string is the original number quoted. */
    JsonNode replacing(JsonNode original) {
      return this == NUMERIC_STRING && original.isNumber() ? NODES.textNode(original.asText()) : value;
    }

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** The wrong values for a field that holds {@code original}. */
  static List<WrongValue> wrongFor(JsonNode original) {
    if (original.isIntegralNumber()) {
      return List.of(WrongValue.STRING, WrongValue.NUMERIC_STRING, WrongValue.BOOL, WrongValue.LIST, WrongValue.MAP,
          WrongValue.NULL, WrongValue.HUGE, WrongValue.NEGATIVE, WrongValue.FLOAT);
    } else if (original.isTextual()) {
      return List.of(WrongValue.INT, WrongValue.BOOL, WrongValue.LIST, WrongValue.MAP, WrongValue.NULL);
    } else if (original.isBoolean()) {
      return List.of(WrongValue.STRING, WrongValue.INT, WrongValue.LIST, WrongValue.MAP, WrongValue.NULL);
    } else if (original.isArray()) {
      return List.of(WrongValue.STRING, WrongValue.INT, WrongValue.BOOL, WrongValue.MAP, WrongValue.NULL);
    } else {
      return List.of(WrongValue.STRING, WrongValue.INT, WrongValue.BOOL, WrongValue.LIST, WrongValue.NULL);
    }
  }

  /** A field of a seed: where it is, as Outpost's diagnostics write it, and how to replace it. */
  record Field(String path, JsonNode original, Replacer replacer) {}

  interface Replacer {
    /** The whole manifest with this field's value replaced. */
    ObjectNode with(JsonNode value);
  }

  static List<HostileCase> fileCases() {
    List<HostileCase> cases = new ArrayList<>();
    for (Manifests.Seed seed : Manifests.ALL) {
      for (Field field : fields(seed, true)) {
        for (WrongValue wrong : wrongFor(field.original())) {
          cases.add(fileCase(seed, field, wrong));
        }
      }
    }
    return cases;
  }

  /** Fields per Istio kind in Kubernetes mode: each case there costs a mock API server and a watcher. */
  static final int KUBERNETES_FIELDS_PER_KIND = 4;

  static List<HostileCase> kubernetesCases() {
    List<HostileCase> cases = new ArrayList<>();
    for (Manifests.Seed seed : Manifests.ISTIO) {
      int turn = 0;
      for (Field field : spread(fields(seed, false), KUBERNETES_FIELDS_PER_KIND)) {
        List<WrongValue> wrong = wrongFor(field.original()).stream().filter(w -> w != WrongValue.NULL).toList();
        WrongValue value = wrong.get(turn++ % wrong.size());
        ObjectNode mutated = field.replacer().with(value.replacing(field.original()));
        HostileCase c =
            HostileCase.kubernetes(
                "wrong-type", seed.kind() + "/" + field.path() + "=" + value.label(),
                ImmutableList.of(Yaml.json(mutated)), expected(seed, field, value));
        cases.add(needsFor(field, value, c));
      }
    }
    return cases;
  }

  /** {@code n} of {@code all}, evenly spread from the first (spec itself) to the deepest last field. */
  private static <T> List<T> spread(List<T> all, int n) {
    if (all.size() <= n) {
      return all;
    }
    List<T> picked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      picked.add(all.get(i * (all.size() - 1) / (n - 1)));
    }
    return picked;
  }

  private static HostileCase fileCase(Manifests.Seed seed, Field field, WrongValue wrong) {
    String text = Yaml.yaml(field.replacer().with(wrong.replacing(field.original())));
    HostileCase c =
        HostileCase.file(
            "wrong-type", seed.kind() + "/" + field.path() + "=" + wrong.label(),
            dir -> Files.writeString(dir.resolve("hostile.yaml"), text), expected(seed, field, wrong));
    return needsFor(field, wrong, c);
  }

  private static HostileCase needsFor(Field field, WrongValue wrong, HostileCase c) {
    return wrong == WrongValue.NUMERIC_STRING && !field.path().startsWith(PATCH_VALUE) ? c.needing(Needs.STRICT_NUMBERS) : c;
  }

  private static final String PATCH_VALUE = "spec.configPatches[0].patch.value";

  private static String[] expected(Manifests.Seed seed, Field field, WrongValue wrong) {
    if (wrong == WrongValue.NULL) {
      return new String[0];
    }
    if (seed == Manifests.MESH_CONFIG && field.path().startsWith("metadata.")) {
      return new String[0]; // then it is not the mesh config, and other ConfigMaps are passed over
    }
    if (field.path().startsWith(PATCH_VALUE + ".")) {
      // Inside an EnvoyFilter value is Envoy's proto in proto3 JSON, whose parser names no field
      // below the value; and where that mapping writes a number as a string, "80" is correct.
      return wrong == WrongValue.NUMERIC_STRING ? new String[0] : new String[] {seed.subject() + ":", PATCH_VALUE};
    }
    if (field.path().equals("metadata.name")) {
      // Without a usable name the resource cannot be named: the file is.
      return new String[] {"file hostile.yaml", field.path()};
    }
    if (field.path().equals("metadata.namespace")) {
      // Without a usable namespace the resource is named in the default one.
      return new String[] {seed.kind() + " default/", field.path()};
    }
    return new String[] {seed.subject() + ":", field.path()};
  }

  /**
   * The fields of a seed, depth first: in file mode metadata's name, namespace and labels too; in
   * Kubernetes mode only spec. apiVersion and kind are left alone: they decide what the document is.
   */
  static List<Field> fields(Manifests.Seed seed, boolean withMetadata) {
    ObjectNode root = Yaml.tree(seed.yaml());
    List<Field> fields = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      String key = it.next().getKey();
      if (key.equals("apiVersion") || key.equals("kind")) {
        continue;
      }
      if (key.equals("metadata")) {
        if (withMetadata) {
          for (String metaKey : List.of("name", "namespace", "labels")) {
            if (root.path("metadata").has(metaKey)) {
              walk(root, List.of("metadata", metaKey), "metadata." + metaKey, fields, seed);
            }
          }
        }
        continue;
      }
      if (withMetadata || key.equals("spec")) {
        walk(root, List.of(key), key, fields, seed);
      }
    }
    return fields;
  }

  private static void walk(ObjectNode root, List<Object> at, String path, List<Field> fields, Manifests.Seed seed) {
    JsonNode node = get(root, at);
    if (seed == Manifests.MESH_CONFIG && path.equals("data.mesh")) {
      fields.add(new Field(path, node, value -> set(root.deepCopy(), at, value)));
      walkEmbedded(root, at, Yaml.tree(node.textValue()), List.of(), "", fields);
      return;
    }
    fields.add(new Field(path, node, value -> set(root.deepCopy(), at, value)));
    forEachChild(node, (key, childPath) -> walk(root, append(at, key), path + childPath, fields, seed));
  }

  /** Inside the mesh config's {@code mesh} text: the document is mutated, then written back as text. */
  private static void walkEmbedded(
      ObjectNode root, List<Object> textAt, ObjectNode doc, List<Object> at, String path, List<Field> fields) {
    if (!at.isEmpty()) {
      fields.add(
          new Field(
              "data.mesh: " + path, get(doc, at),
              value -> set(root.deepCopy(), textAt, NODES.textNode(Yaml.yaml(set(doc.deepCopy(), at, value))))));
    }
    forEachChild(
        get(doc, at),
        (key, childPath) ->
            walkEmbedded(root, textAt, doc, append(at, key), path.isEmpty() ? childPath.substring(1) : path + childPath, fields));
  }

  private interface ChildVisitor {
    void visit(Object key, String childPath);
  }

  private static void forEachChild(JsonNode node, ChildVisitor visitor) {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        visitor.visit(key, "." + key);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        visitor.visit(i, "[" + i + "]");
      }
    }
  }

  private static List<Object> append(List<Object> at, Object key) {
    List<Object> next = new ArrayList<>(at);
    next.add(key);
    return next;
  }

  private static JsonNode get(JsonNode root, List<Object> at) {
    JsonNode node = root;
    for (Object key : at) {
      node = key instanceof Integer i ? node.get(i) : node.get((String) key);
    }
    return node;
  }

  private static ObjectNode set(ObjectNode root, List<Object> at, JsonNode value) {
    JsonNode parent = get(root, at.subList(0, at.size() - 1));
    Object last = at.get(at.size() - 1);
    if (last instanceof Integer i) {
      ((ArrayNode) parent).set(i, value);
    } else {
      ((ObjectNode) parent).set((String) last, value);
    }
    return root;
  }
}
