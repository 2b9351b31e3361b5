package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Every YAML document under {@code deploy/}, read with fabric8's typed model: a Deployment becomes
 * an {@code apps.v1.Deployment}, kinds fabric8 does not know (Istio's, kustomize's) a
 * {@code GenericKubernetesResource}. kustomization.yaml files are not objects and are left out.
 */
final class DeployManifests {
  /** One document and the file it came from. */
  record Manifest(Path file, HasMetadata resource) {
    String describe() {
      return resource.getKind() + " " + resource.getMetadata().getName() + " (" + DeployManifests.ROOT.relativize(file) + ")";
    }
  }

  static final Path ROOT = Path.of(System.getProperty("outpost.deploy", "../deploy")).toAbsolutePath().normalize();
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static volatile DeployManifests loaded;

  private final List<Manifest> manifests;

  private DeployManifests(List<Manifest> manifests) {
    this.manifests = List.copyOf(manifests);
  }

  static DeployManifests load() {
    if (loaded == null) {
      List<Manifest> all = new ArrayList<>();
      for (Path file : yamlFiles(ROOT)) {
        if (file.getFileName().toString().equals("kustomization.yaml")) {
          continue; // kustomize's build instructions, not objects (KustomizationManifestTest reads them)
        }
        for (KubernetesResource resource : read(file)) {
          if (!(resource instanceof HasMetadata object) || object.getMetadata() == null || object.getKind() == null) {
            fail(ROOT.relativize(file) + ": a document without kind or metadata: " + resource);
            throw new AssertionError();
          }
          all.add(new Manifest(file, object));
        }
      }
      loaded = new DeployManifests(all);
    }
    return loaded;
  }

  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().matches(".*\\.ya?ml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<KubernetesResource> read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Object parsed = SERIALIZATION.unmarshal(in);
      if (parsed == null) {
        return List.of();
      }
      return parsed instanceof List<?> list ? (List<KubernetesResource>) list : List.of((KubernetesResource) parsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new AssertionError(ROOT.relativize(file) + " does not parse: " + e.getMessage(), e);
    }
  }

  List<Manifest> all() {
    return manifests;
  }

  List<Manifest> under(String relativeDir) {
    Path dir = ROOT.resolve(relativeDir);
    return manifests.stream().filter(m -> m.file().startsWith(dir)).toList();
  }

  /** The objects of a type in a folder of deploy/. */
  <T extends HasMetadata> List<T> all(String relativeDir, Class<T> type) {
    return under(relativeDir).stream().map(Manifest::resource).filter(type::isInstance).map(type::cast).toList();
  }

  /** The one object of that type and name in that folder; fails the test when there are 0 or 2. */
  <T extends HasMetadata> T one(String relativeDir, Class<T> type, String name) {
    List<T> found = all(relativeDir, type).stream().filter(r -> Objects.equals(r.getMetadata().getName(), name)).toList();
    assertEquals(1, found.size(), () -> "expected one " + type.getSimpleName() + " " + name + " in deploy/" + relativeDir + ", found " + found.size());
    return found.get(0);
  }
}
