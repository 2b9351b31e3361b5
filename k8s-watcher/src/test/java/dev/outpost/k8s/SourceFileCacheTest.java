package dev.outpost.k8s;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.api.SourceFile;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SourceFileCacheTest {

  private static GenericKubernetesResource vs(String resourceVersion, String host) {
    return Serialization.unmarshal(
        """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: default, uid: u1, resourceVersion: "%s"}
        spec: {hosts: [%s]}
        """
            .formatted(resourceVersion, host),
        GenericKubernetesResource.class);
  }

  @Test
  void serializesAnObjectAgainOnlyWhenItsResourceVersionChanges() {
    SourceFileCache cache = new SourceFileCache();
    SourceFile first = cache.get(vs("1", "a.example"), "networking.istio.io/v1", "VirtualService");
    assertSame(first, cache.get(vs("1", "a.example"), "networking.istio.io/v1", "VirtualService"));

    SourceFile second = cache.get(vs("2", "b.example"), "networking.istio.io/v1", "VirtualService");
    assertNotSame(first, second);
    assertTrue(second.text().contains("b.example"));

    cache.retainOnly(Set.of());
    assertNotSame(second, cache.get(vs("2", "b.example"), "networking.istio.io/v1", "VirtualService"), "forgotten");
  }
}
