package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * kubectl is not available to the build, so `kubectl apply -k` is approximated: every folder with
 * manifests has a kustomization.yaml, which lists every file of the folder (as a resource or a
 * patch) and nothing that is not there; every document parses with fabric8's typed model, with no
 * field the model does not know.
 */
class KustomizationManifestTest {
  private static final String KUSTOMIZATION = "kustomization.yaml";
  /**
   * Examples without a kustomization.yaml are config directories for `serve`/`translate
   * --config-dir` (the file-mode walkthroughs; ExamplesTranslateTest in xds-server runs them), to
   * which a kustomization.yaml would be one more resource. Everything else in deploy/ is applied
   * with `kubectl apply -k`.
   */
  private static final String EXAMPLES = "examples/";
  /** Kinds fabric8 has no class for (Istio's). Everything else must come out typed. */
  private static final Set<String> UNTYPED_KINDS = Set.of(
      "ServiceEntry", "Gateway", "VirtualService", "DestinationRule", "Sidecar", "AuthorizationPolicy", "EnvoyFilter");

  private final DeployManifests manifests = DeployManifests.load();

  @Test
  void everyFolderWithManifestsIsAKustomizationListingExactlyItsFiles() {
    Set<Path> folders = DeployManifests.yamlFiles(DeployManifests.ROOT).stream().map(Path::getParent).collect(Collectors.toCollection(TreeSet::new));
    assertTrue(folders.size() >= 6, "found " + folders);
    for (Path folder : folders) {
      String relative = DeployManifests.ROOT.relativize(folder).toString().replace('\\', '/');
      Path kustomization = folder.resolve(KUSTOMIZATION);
      if (relative.startsWith(EXAMPLES) && !Files.exists(kustomization)) {
        continue;
      }
      assertTrue(Files.exists(kustomization), "deploy/" + relative + " has manifests but no " + KUSTOMIZATION);
      Set<String> listed = new TreeSet<>();
      for (String entry : listedEntries(kustomization)) {
        Path target = folder.resolve(entry).normalize();
        if (Files.isDirectory(target)) {
          assertTrue(Files.exists(target.resolve(KUSTOMIZATION)), relative + ": " + entry + " is a folder without " + KUSTOMIZATION);
        } else {
          assertTrue(Files.isRegularFile(target), "deploy/" + relative + "/" + KUSTOMIZATION + " lists " + entry + ", which does not exist");
          assertEquals(folder, target.getParent(), relative + ": " + entry + " is outside the folder");
          listed.add(entry);
        }
      }
      Set<String> present = DeployManifests.yamlFiles(folder).stream()
          .filter(f -> f.getParent().equals(folder))
          .map(f -> f.getFileName().toString())
          .filter(n -> !n.equals(KUSTOMIZATION))
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(present, listed, "deploy/" + relative + "/" + KUSTOMIZATION + " must list every file of its folder");
    }
  }

  @Test
  void everyDocumentIsTypedAndHasOnlyFieldsTheModelKnows() {
    assertFalse(manifests.all().isEmpty());
    for (DeployManifests.Manifest manifest : manifests.all()) {
      HasMetadata resource = manifest.resource();
      if (resource instanceof GenericKubernetesResource) {
        assertTrue(UNTYPED_KINDS.contains(resource.getKind()), manifest.describe() + " was not read as a typed object: wrong apiVersion or kind?");
        continue;
      }
      assertEquals(List.of(), UnknownFields.of(resource), manifest.describe() + ": fields fabric8's model does not know (typo or wrong place?)");
    }
  }

  @Test
  void theBaseNamesANamespaceForEveryNamespacedObject() {
    Set<String> clusterScoped = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "Kustomization");
    for (String dir : List.of("base", "crds", "networkpolicy/system", "examples/cluster-egress", "examples/client-sidecar")) {
      for (DeployManifests.Manifest manifest : manifests.under(dir)) {
        boolean namespaced = !clusterScoped.contains(manifest.resource().getKind());
        assertEquals(namespaced, manifest.resource().getMetadata().getNamespace() != null, manifest.describe() + ": namespace");
      }
    }
  }

  @Test
  void everyInstalledObjectCarriesThePartOfLabelTheUninstallUses() {
    // deploy/README.md uninstalls by this label where istio-system is shared with other software.
    for (String dir : List.of("base", "crds", "networkpolicy")) {
      for (DeployManifests.Manifest manifest : manifests.under(dir)) {
        Map<String, String> labels = manifest.resource().getMetadata().getLabels();
        assertEquals("outpost", labels == null ? null : labels.get("app.kubernetes.io/part-of"), manifest.describe());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> listedEntries(Path kustomization) {
    List<KubernetesResource> docs = DeployManifests.read(kustomization);
    assertEquals(1, docs.size());
    Map<String, Object> fields = ((GenericKubernetesResource) docs.get(0)).getAdditionalProperties();
    List<String> entries = new java.util.ArrayList<>((List<String>) fields.getOrDefault("resources", List.of()));
    for (Map<String, Object> patch : (List<Map<String, Object>>) fields.getOrDefault("patches", List.of())) {
      entries.add((String) patch.get("path"));
    }
    return entries;
  }
}
