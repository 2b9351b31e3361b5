package dev.outpost.translator.check;

import static dev.outpost.translator.check.SnapshotFixtures.validSnapshot;
import static dev.outpost.translator.check.SnapshotFixtures.withClusters;
import static dev.outpost.translator.check.SnapshotFixtures.withListeners;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.outpost.translator.api.EnvoyResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import org.junit.jupiter.api.Test;

/** xDS serves resources by name: an unnamed one (say, from an EnvoyFilter ADD) is a problem. */
class ResourceNamesCheckTest {
  private final SnapshotChecker checker = new SnapshotChecker();

  @Test
  void anUnnamedListenerIsAProblem() {
    Listener unnamed = SnapshotFixtures.httpListener(SnapshotFixtures.hcm().build()).toBuilder().setName("").build();
    EnvoyResources resources = withListeners(validSnapshot(), unnamed);

    List<String> problems = checker.check(resources).problems();

    assertEquals(
        List.of("Listener \"\": .name: must not be empty: xDS delivers and updates resources by name"),
        problems.stream().filter(p -> p.contains(".name: must not be empty")).toList());
  }

  @Test
  void anUnnamedClusterIsAProblem() {
    Cluster unnamed = SnapshotFixtures.dnsCluster("", "dns.example.com").build();
    EnvoyResources resources = withClusters(validSnapshot(), unnamed);

    List<String> problems = checker.check(resources).problems();

    assertEquals(
        List.of("Cluster \"\": .name: must not be empty: xDS delivers and updates resources by name"),
        problems.stream().filter(p -> p.contains("must not be empty: xDS")).toList());
  }

  @Test
  void twoListenersOnOneAddressAreAProblemEvenWhenOnlyOneChanged() {
    Listener first = SnapshotFixtures.httpListener(SnapshotFixtures.hcm().build());
    Listener second = first.toBuilder().setName("added-by-a-patch").build();
    EnvoyResources before = withListeners(validSnapshot(), first);
    EnvoyResources after = withListeners(validSnapshot(), first, second);

    List<String> problems = checker.check(after).problems();

    assertEquals(
        List.of(
            "Listener added-by-a-patch: .address: 0.0.0.0:80 is already the address of listener "
                + first.getName()
                + "; Envoy refuses a second listener on the same address and port"),
        problems.stream().filter(p -> p.contains(".address:")).toList());
    assertEquals(true, checker.check(before).ok());
    assertEquals(false, checker.addsNoProblems(before, after, java.util.Set.of()));
  }
}
