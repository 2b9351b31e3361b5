package dev.outpost.server.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.EnvoyResources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import org.junit.jupiter.api.Test;

class XdsSnapshotTest {
  @Test
  void versionsAreContentHashes() {
    XdsSnapshot one = XdsSnapshot.of(clusters("a", "b"));
    XdsSnapshot same = XdsSnapshot.of(clusters("a", "b"));
    XdsSnapshot other = XdsSnapshot.of(clusters("a", "c"));

    assertEquals(one.version(ResourceType.CLUSTER), same.version(ResourceType.CLUSTER));
    assertTrue(one.sameVersionsAs(same));
    assertNotEquals(one.version(ResourceType.CLUSTER), other.version(ResourceType.CLUSTER));
    assertFalse(one.sameVersionsAs(other));
    assertEquals(
        one.versionedResources(ResourceType.CLUSTER).get("a").version(),
        other.versionedResources(ResourceType.CLUSTER).get("a").version(),
        "an unchanged resource keeps its version");
    // Pinned: a new release with the same input must send the same versions, or every proxy
    // would receive a full push after an upgrade.
    assertEquals("dcb187eed1ebd992", one.version(ResourceType.CLUSTER));
  }

  @Test
  void emptyTypeHasANonEmptyVersion() {
    // An empty version would look like "nothing sent yet" to the cache and never be answered.
    assertFalse(XdsSnapshot.of(EnvoyResources.EMPTY).version(ResourceType.LISTENER).isEmpty());
  }

  @Test
  void versionIgnoresRequestedNames() {
    XdsSnapshot snapshot = XdsSnapshot.of(clusters("a", "b"));
    assertEquals(snapshot.version(ResourceType.CLUSTER), snapshot.version(ResourceType.CLUSTER, List.of("a")));
  }

  @Test
  void duplicateNamesAreATranslatorBug() {
    assertThrows(IllegalArgumentException.class, () -> XdsSnapshot.of(clusters("a", "a")));
  }

  @Test
  void duplicateSecretNamesAreReportedWithoutTheKey() {
    // The publisher logs this exception: it must name the resource, never print its content.
    io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret secret =
        io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret.newBuilder()
            .setName("kubernetes://istio-system/egress-cert")
            .setTlsCertificate(
                io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate.newBuilder()
                    .setPrivateKey(
                        io.envoyproxy.envoy.config.core.v3.DataSource.newBuilder()
                            .setInlineString("-----BEGIN PRIVATE KEY-----TOPSECRET")))
            .build();
    EnvoyResources twice = new EnvoyResources(
        ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(secret, secret));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> XdsSnapshot.of(twice));
    assertFalse(e.getMessage().contains("TOPSECRET"), e.getMessage());
    assertTrue(e.getMessage().contains("kubernetes://istio-system/egress-cert"), e.getMessage());
  }

  private static EnvoyResources clusters(String... names) {
    ImmutableList<Cluster> clusters =
        java.util.Arrays.stream(names)
            .map(n -> Cluster.newBuilder().setName(n).build())
            .collect(ImmutableList.toImmutableList());
    return new EnvoyResources(ImmutableList.of(), ImmutableList.of(), clusters, ImmutableList.of(), ImmutableList.of());
  }
}
