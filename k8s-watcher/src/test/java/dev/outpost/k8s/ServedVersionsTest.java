package dev.outpost.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.common.collect.ImmutableMap;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServedVersionsTest {

  /** A discovery answer: group/version → the resource names served there (absent: 404). */
  private static ImmutableMap<IstioKind, String> discover(Map<String, List<String>> served, List<String> asked) {
    return ServedVersions.discover(
        gv -> {
          asked.add(gv);
          List<String> names = served.get(gv);
          if (names == null) {
            return null;
          }
          APIResourceListBuilder list = new APIResourceListBuilder().withGroupVersion(gv);
          names.forEach(n -> list.addToResources(new APIResourceBuilder().withName(n).build()));
          return list.build();
        },
        IstioKind.EGRESS);
  }


  @Test
  void prefersV1WhenV1AndV1beta1AreServed() {
    List<String> all = List.of("serviceentries", "gateways", "virtualservices", "destinationrules");
    var versions =
        discover(Map.of("networking.istio.io/v1", all, "networking.istio.io/v1beta1", all), new ArrayList<>());
    assertEquals(
        ImmutableMap.of(
            IstioKind.SERVICE_ENTRY, "v1",
            IstioKind.GATEWAY, "v1",
            IstioKind.VIRTUAL_SERVICE, "v1",
            IstioKind.DESTINATION_RULE, "v1"),
        versions);
  }

  @Test
  void fallsBackPerKindToOlderVersions() {
    // An Istio 1.18-era cluster: v1beta1 for most kinds, ServiceEntry only at v1alpha3.
    var versions =
        discover(
            Map.of(
                "networking.istio.io/v1beta1", List.of("gateways", "virtualservices", "destinationrules"),
                "networking.istio.io/v1alpha3", List.of("serviceentries", "gateways", "virtualservices")),
            new ArrayList<>());
    assertEquals("v1alpha3", versions.get(IstioKind.SERVICE_ENTRY));
    assertEquals("v1beta1", versions.get(IstioKind.GATEWAY));
    assertEquals("v1beta1", versions.get(IstioKind.VIRTUAL_SERVICE));
    assertEquals("v1beta1", versions.get(IstioKind.DESTINATION_RULE));
  }

  @Test
  void aKindServedNowhereIsAbsentAndEachGroupVersionIsAskedOnce() {
    List<String> asked = new ArrayList<>();
    var versions =
        discover(Map.of("networking.istio.io/v1", List.of("virtualservices", "virtualservices/status")), asked);
    assertEquals(ImmutableMap.of(IstioKind.VIRTUAL_SERVICE, "v1"), versions);
    // security.istio.io (AuthorizationPolicy) is asked at its own two versions; EnvoyFilter's
    // networking.istio.io/v1alpha3 was already asked for.
    assertEquals(
        List.of(
            "networking.istio.io/v1",
            "networking.istio.io/v1beta1",
            "networking.istio.io/v1alpha3",
            "security.istio.io/v1",
            "security.istio.io/v1beta1"),
        asked);
  }

  @Test
  void authorizationPoliciesAndEnvoyFiltersAreFoundInTheirGroupsAndVersions() {
    List<String> asked = new ArrayList<>();
    var versions =
        discover(
            Map.of(
                "networking.istio.io/v1", List.of("serviceentries"),
                // EnvoyFilter is served at v1alpha3 only, also where v1 serves the other kinds.
                "networking.istio.io/v1alpha3", List.of("serviceentries", "envoyfilters"),
                "security.istio.io/v1beta1", List.of("authorizationpolicies", "peerauthentications")),
            asked);
    assertEquals("v1alpha3", versions.get(IstioKind.ENVOY_FILTER));
    assertEquals("v1beta1", versions.get(IstioKind.AUTHORIZATION_POLICY));
    assertEquals("v1", versions.get(IstioKind.SERVICE_ENTRY));
    assertEquals(asked.size(), new java.util.HashSet<>(asked).size(), "each group/version asked once: " + asked);
  }

  @Test
  void aSubresourceAloneDoesNotCountAsServed() {
    var versions = discover(Map.of("networking.istio.io/v1", List.of("gateways/status")), new ArrayList<>());
    assertFalse(versions.containsKey(IstioKind.GATEWAY));
  }
}
