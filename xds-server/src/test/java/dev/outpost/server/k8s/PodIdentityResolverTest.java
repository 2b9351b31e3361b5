package dev.outpost.server.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.net.InetAddresses;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.k8s.PodIdentity;
import dev.outpost.server.xds.RefusedProxyException;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PodIdentityResolverTest {
  private static final PodIdentity POD =
      new PodIdentity(
          "egress-1", "istio-system", "istio-egressgateway",
          ImmutableSortedMap.of("istio", "egressgateway", "pod-template-hash", "7d9f8c"), "uid-1",
          // Dual stack, IPv6 written long and in upper case as a client might: stored canonical.
          ImmutableSet.of("10.1.2.3", "2001:DB8:0:0:0:0:0:7"));
  private static final Optional<InetAddress> FROM_POD = Optional.of(InetAddresses.forString("10.1.2.3"));
  private static final Optional<InetAddress> ELSEWHERE = Optional.of(InetAddresses.forString("10.9.9.9"));

  private final AtomicBoolean synced = new AtomicBoolean(true);
  private final PodIdentityResolver resolver = resolver(PeerAddressCheck.ENFORCE, POD);

  private PodIdentityResolver resolver(PeerAddressCheck check, PodIdentity pod) {
    return new PodIdentityResolver(id -> id.equals(pod.nodeId()) ? Optional.of(pod) : Optional.empty(), synced::get, check);
  }

  private static PodIdentity withAddresses(String... addresses) {
    return new PodIdentity(POD.name(), POD.namespace(), POD.serviceAccount(), POD.labels(), POD.uid(), ImmutableSet.copyOf(addresses));
  }

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
    ProxyIdentity identity = resolver.resolve(node("egress-1.istio-system", Map.of(), null), FROM_POD);
    assertEquals("istio-system", identity.namespace());
    assertEquals("istio-egressgateway", identity.serviceAccount());
    assertEquals(POD.labels(), identity.labels());
    assertEquals(ProxyRole.GATEWAY, identity.role());
  }

  @Test
  void agreeingMetadataWithASubsetOfLabelsGetsThePodsFullLabels() throws Exception {
    ProxyIdentity identity =
        resolver.resolve(node("egress-1.istio-system",
                Map.of("NAMESPACE", "istio-system", "SERVICE_ACCOUNT", "istio-egressgateway", "ROLE", "client"),
                Map.of("istio", "egressgateway")), FROM_POD);
    assertEquals(POD.labels(), identity.labels(), "pod-template-hash comes from the pod");
    assertEquals(ProxyRole.CLIENT, identity.role(), "the role is not a pod property: the metadata's");
  }

  @Test
  void eachDisagreementIsRefusedWithItsFieldBothValuesAndReason() {
    RefusedProxyException ns =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-1.istio-system", Map.of("NAMESPACE", "default"), null), FROM_POD));
    assertEquals(Status.Code.PERMISSION_DENIED, ns.code());
    assertEquals("namespace_mismatch", ns.reason());
    assertTrue(ns.getMessage().startsWith(
        "proxy egress-1.istio-system: node metadata NAMESPACE is \"default\" but pod egress-1.istio-system has \"istio-system\""),
        ns.getMessage());

    RefusedProxyException sa =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-1.istio-system", Map.of("SERVICE_ACCOUNT", "admin"), null), FROM_POD));
    assertEquals("service_account_mismatch", sa.reason());

    RefusedProxyException extraLabel =
        assertThrows(RefusedProxyException.class,
            () -> resolver.resolve(node("egress-1.istio-system", Map.of(), Map.of("istio", "egressgateway", "team", "payments")), FROM_POD));
    assertEquals("labels_mismatch", extraLabel.reason());
    assertTrue(extraLabel.getMessage().contains("LABELS.team is \"payments\" but pod egress-1.istio-system has \"(no such label)\""),
        extraLabel.getMessage());

    RefusedProxyException emptyLabels =
        assertThrows(RefusedProxyException.class,
            () -> resolver.resolve(node("egress-1.istio-system", Map.of(), Map.of("istio", "ingressgateway")), FROM_POD));
    assertEquals("labels_mismatch", emptyLabels.reason());
  }

  @Test
  void unknownPodsAndAnUnsyncedCacheAskEnvoyToRetry() {
    RefusedProxyException unknown =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-2.istio-system", Map.of(), null), FROM_POD));
    assertEquals(Status.Code.UNAVAILABLE, unknown.code());
    assertEquals("unknown_pod", unknown.reason());

    synced.set(false);
    RefusedProxyException early =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-1.istio-system", Map.of(), null), FROM_POD));
    assertEquals(Status.Code.UNAVAILABLE, early.code());
    assertEquals("not_synced", early.reason());
  }

  @Test
  void unreadableMetadataIsRefusedAsInFileMode() {
    RefusedProxyException bad =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-1.istio-system", Map.of("ROLE", "sidecar"), null), FROM_POD));
    assertEquals(Status.Code.INVALID_ARGUMENT, bad.code());
    assertEquals("invalid_metadata", bad.reason());
  }

  // --- the connection must come from the pod -------------------------------------------------

  @Test
  void aConnectionFromThePodsIpv4OrIpv6AddressIsAccepted() throws Exception {
    assertEquals("istio-system", resolver.resolve(node("egress-1.istio-system", Map.of(), null), FROM_POD).namespace());
    // The socket reports the IPv6 peer compressed and lower case; the pod status had it long.
    Optional<InetAddress> v6 = Optional.of(InetAddresses.forString("2001:db8::7"));
    assertEquals("istio-egressgateway", resolver.resolve(node("egress-1.istio-system", Map.of(), null), v6).serviceAccount());
    // A dual-stack socket may report an IPv4 peer as IPv4-mapped IPv6.
    Optional<InetAddress> mapped = Optional.of(InetAddress.getByAddress(
        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3}));
    assertEquals(POD.labels(), resolver.resolve(node("egress-1.istio-system", Map.of(), null), mapped).labels());
  }

  @Test
  void aConnectionFromAnotherAddressIsRefusedWithoutTellingThePodsAddresses() {
    RefusedProxyException refused =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-1.istio-system", Map.of(), null), ELSEWHERE));
    assertEquals(Status.Code.PERMISSION_DENIED, refused.code());
    assertEquals("peer_address_mismatch", refused.reason());
    assertTrue(refused.getMessage().startsWith(
        "proxy egress-1.istio-system: the connection comes from 10.9.9.9, which is not an IP address of pod egress-1.istio-system"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("--peer-address-check=off"), "says what to do if source addresses are rewritten");
    assertFalse(refused.getMessage().contains("10.1.2.3"), "the client is not told the pod's addresses: " + refused.getMessage());
    assertEquals("pod egress-1.istio-system has 10.1.2.3, 2001:db8::7", refused.logDetail(), "the log is");
  }

  @Test
  void theAddressIsCheckedBeforeTheMetadataSoAnImpostorLearnsNothingAboutThePod() {
    RefusedProxyException refused =
        assertThrows(RefusedProxyException.class,
            () -> resolver.resolve(node("egress-1.istio-system", Map.of("NAMESPACE", "default"), Map.of("team", "x")), ELSEWHERE));
    assertEquals("peer_address_mismatch", refused.reason());
    assertFalse(refused.getMessage().contains("istio-egressgateway"), refused.getMessage());
  }

  @Test
  void aPodWithoutAnIpYetAsksEnvoyToRetry() {
    RefusedProxyException refused =
        assertThrows(RefusedProxyException.class,
            () -> resolver(PeerAddressCheck.ENFORCE, withAddresses()).resolve(node("egress-1.istio-system", Map.of(), null), FROM_POD));
    assertEquals(Status.Code.UNAVAILABLE, refused.code());
    assertEquals("pod_without_address", refused.reason());
    assertTrue(refused.getMessage().contains("pod egress-1.istio-system has no IP address in the API server (yet)"), refused.getMessage());
  }

  @Test
  void anUnknownPeerAddressIsRefused() {
    RefusedProxyException refused =
        assertThrows(RefusedProxyException.class, () -> resolver.resolve(node("egress-1.istio-system", Map.of(), null), Optional.empty()));
    assertEquals(Status.Code.PERMISSION_DENIED, refused.code());
    assertEquals("peer_address_unknown", refused.reason());
  }

  @Test
  void withTheCheckOffAnyAddressOrNoneIsAcceptedButTheMetadataIsStillChecked() throws Exception {
    PodIdentityResolver off = resolver(PeerAddressCheck.OFF, withAddresses());
    assertEquals("istio-system", off.resolve(node("egress-1.istio-system", Map.of(), null), ELSEWHERE).namespace());
    assertEquals("istio-system", off.resolve(node("egress-1.istio-system", Map.of(), null), Optional.empty()).namespace());
    RefusedProxyException ns =
        assertThrows(RefusedProxyException.class, () -> off.resolve(node("egress-1.istio-system", Map.of("NAMESPACE", "default"), null), ELSEWHERE));
    assertEquals("namespace_mismatch", ns.reason());
  }
}
