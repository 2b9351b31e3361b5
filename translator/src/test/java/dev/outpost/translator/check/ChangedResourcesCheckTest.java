package dev.outpost.translator.check;

import static dev.outpost.translator.check.SnapshotFixtures.*;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSet;
import com.google.protobuf.Duration;
import dev.outpost.translator.api.EnvoyResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import org.junit.jupiter.api.Test;

/** {@link SnapshotChecker#addsNoProblems}: only ever "no problems added" when a full check agrees. */
class ChangedResourcesCheckTest {
  private final SnapshotChecker checker = new SnapshotChecker();

  private boolean addsNoProblems(EnvoyResources before, EnvoyResources after) {
    return checker.addsNoProblems(before, after, ImmutableSet.of());
  }

  @Test
  void theSameResourcesAddNothing() {
    EnvoyResources base = validSnapshot();
    assertTrue(addsNoProblems(base, base));
  }

  @Test
  void aChangedResourceThatIsFineAddsNothing() {
    EnvoyResources base = validSnapshot();
    assertTrue(addsNoProblems(base, withRoutes(base, routeTo(ROUTE_CONFIG, DNS_CLUSTER))));
  }

  @Test
  void aChangedResourceWithAProblemIsFound() {
    EnvoyResources base = validSnapshot();
    EnvoyResources after = withRoutes(base, routeTo(ROUTE_CONFIG, "outbound|80||nowhere.example.com"));
    assertFalse(checker.check(after).ok());
    assertFalse(addsNoProblems(base, after));
  }

  @Test
  void removingWhatAnUnchangedResourceNamesIsNotClearedByTheChangedOnes() {
    EnvoyResources base = validSnapshot();
    EnvoyResources after = withClusters(base, dnsCluster(DNS_CLUSTER, "dns.example.com").build());
    assertFalse(checker.check(after).ok(), "the unchanged route names the removed cluster");
    assertFalse(addsNoProblems(base, after));
  }

  @Test
  void aDuplicateNameIsFound() {
    EnvoyResources base = validSnapshot();
    EnvoyResources after =
        withClusters(base, base.clusters().get(0), base.clusters().get(1), edsCluster(EDS_CLUSTER));
    assertFalse(checker.check(after).ok());
    assertFalse(addsNoProblems(base, after));
  }

  @Test
  void aProblemTheUnchangedResourcesAlreadyHadIsNotAdded() {
    Cluster broken =
        dnsCluster(DNS_CLUSTER, "dns.example.com")
            .setConnectTimeout(Duration.newBuilder().setSeconds(-1))
            .build();
    EnvoyResources before = withClusters(validSnapshot(), edsCluster(EDS_CLUSTER), broken);
    EnvoyResources after = withRoutes(before, routeTo(ROUTE_CONFIG, EDS_CLUSTER));
    assertFalse(checker.check(after).ok(), "the cluster's problem is in both");
    assertTrue(addsNoProblems(before, after));
  }
}
