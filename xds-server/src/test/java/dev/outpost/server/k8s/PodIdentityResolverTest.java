package dev.outpost.server.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.k8s.PodIdentity;
import dev.outpost.server.xds.RefusedProxyException;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PodIdentityResolverTest {
  private static final PodIdentity POD =
      new PodIdentity(
          "egress-1", "istio-system", "istio-egressgateway",
          ImmutableSortedMap.of("istio", "egressgateway", "pod-template-hash", "7d9f8c"), "uid-1",
          ImmutableSet.of());

  private final AtomicBoolean synced = new AtomicBoolean(true);
  private final PodIdentityResolver resolver =
      new PodIdentityResolver(id -> id.equals(POD.nodeId()) ? Optional.of(POD) : Optional.empty(), synced::get);

  private static Node node(String id, Map<String, String> strings, Map<String, String> labels) {
    Struct.Builder metadata = Struct.newBuilder();
    strings.forEach((k, v) -> metadata.putFields(k, Value.newBuilder().setStringValue(v).build()));
    if (labels != null) {
      Struct.Builder l = Struct.newBuilder();
      labels.forEach((k, v) -> l.putFields(k, Value.newBuilder().setStringValue(v).build()));
      metadata.putFields("LABELS", Value.newBuilder().setStructValue(l).build());
    }
    return Node.newBuilder().setId(id).setMetadata(metadata).build();
  }

  @Test
  void absentMetadataIsFilledFromThePod() throws Exception {
    ProxyIdentity identity = resolver.resolve(node("egress-1.istio-system", Map.of(), null));
    assertEquals("istio-system", identity.namespace());
    assertEquals("istio-egressgateway", identity.serviceAccount());
    assertEquals(POD.labels(), identity.labels());
    assertEquals(ProxyRole.GATEWAY, identity.role());
  }

  @Test
  void agreeingMetadataWithASubsetOfLabelsGetsThePodsFullLabels() throws Exception {
    ProxyIdentity identity =
        resolver.resolve(
            node("egress-1.istio-system",
                Map.of("NAMESPACE", "istio-system", "SERVICE_ACCOUNT", "istio-egressgateway", "ROLE", "client"),
                Map.of("istio", "egressgateway")));
    assertEquals(POD.labels(), identity.labels(), "pod-template-hash comes from the pod");
    assertEquals(ProxyRole.CLIENT, identity.role(), "the role is not a pod property: the metadata's");
  }

  @Test
  void eachDisagreementIsRefusedWithItsFieldBothValuesAndReason() {
    RefusedProxyException ns =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-1.istio-system", Map.of("NAMESPACE", "default"), null)));
    assertEquals(Status.Code.PERMISSION_DENIED, ns.code());
    assertEquals("namespace_mismatch", ns.reason());
    assertTrue(ns.getMessage().startsWith(
        "proxy egress-1.istio-system: node metadata NAMESPACE is \"default\" but pod egress-1.istio-system has \"istio-system\""),
        ns.getMessage());

    RefusedProxyException sa =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-1.istio-system", Map.of("SERVICE_ACCOUNT", "admin"), null)));
    assertEquals("service_account_mismatch", sa.reason());

    RefusedProxyException extraLabel =
        assertThrows(RefusedProxyException.class,
            () -> resolver.resolve(node("egress-1.istio-system", Map.of(), Map.of("istio", "egressgateway", "team", "payments"))));
    assertEquals("labels_mismatch", extraLabel.reason());
    assertTrue(extraLabel.getMessage().contains("LABELS.team is \"payments\" but pod egress-1.istio-system has \"(no such label)\""),
        extraLabel.getMessage());

    RefusedProxyException emptyLabels =
        assertThrows(RefusedProxyException.class,
            () -> resolver.resolve(node("egress-1.istio-system", Map.of(), Map.of("istio", "ingressgateway"))));
    assertEquals("labels_mismatch", emptyLabels.reason());
  }

  @Test
  void unknownPodsAndAnUnsyncedCacheAskEnvoyToRetry() {
    RefusedProxyException unknown =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-2.istio-system", Map.of(), null)));
    assertEquals(Status.Code.UNAVAILABLE, unknown.code());
    assertEquals("unknown_pod", unknown.reason());

    synced.set(false);
    RefusedProxyException early =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-1.istio-system", Map.of(), null)));
    assertEquals(Status.Code.UNAVAILABLE, early.code());
    assertEquals("not_synced", early.reason());
  }

  @Test
  void unreadableMetadataIsRefusedAsInFileMode() {
    RefusedProxyException bad =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-1.istio-system", Map.of("ROLE", "sidecar"), null)));
    assertEquals(Status.Code.INVALID_ARGUMENT, bad.code());
    assertEquals("invalid_metadata", bad.reason());
  }
}
