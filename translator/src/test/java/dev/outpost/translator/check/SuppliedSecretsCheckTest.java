package dev.outpost.translator.check;

import static dev.outpost.translator.check.SnapshotFixtures.EDS_CLUSTER;
import static dev.outpost.translator.check.SnapshotFixtures.edsCluster;
import static dev.outpost.translator.check.SnapshotFixtures.sds;
import static dev.outpost.translator.check.SnapshotFixtures.tlsCluster;
import static dev.outpost.translator.check.SnapshotFixtures.validSnapshot;
import static dev.outpost.translator.check.SnapshotFixtures.withClusters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSet;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.MeshSecrets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mesh identity's SDS names are supplied by the server; only the 2-argument check knows it. */
class SuppliedSecretsCheckTest {
  private final SnapshotChecker checker = new SnapshotChecker();

  private static EnvoyResources istioMutualCluster() {
    return withClusters(
        validSnapshot(),
        edsCluster(EDS_CLUSTER),
        tlsCluster(sds(MeshSecrets.CERTIFICATE), sds(MeshSecrets.TRUST_BUNDLE)));
  }

  @Test
  void meshSecretReferencesPassWhenTheServerSuppliesThem() {
    CheckResult result = checker.check(istioMutualCluster(), MeshSecrets.NAMES);
    assertTrue(result.ok(), () -> String.join("\n", result.problems()));
  }

  @Test
  void theOneArgumentCheckStaysStrict() {
    CheckResult result = checker.check(istioMutualCluster());
    assertFalse(result.ok());
    assertEquals(2, result.problems().size(), result.problems()::toString);
    assertTrue(result.problems().get(0).contains("SDS secret \"default\" is not in the snapshot"));
    assertTrue(result.problems().get(1).contains("SDS secret \"ROOTCA\" is not in the snapshot"));
  }

  @Test
  void suppliedNamesDoNotExcuseOtherSecrets() {
    CheckResult result =
        checker.check(
            withClusters(
                validSnapshot(),
                edsCluster(EDS_CLUSTER),
                tlsCluster(sds("kubernetes://client"), sds(MeshSecrets.TRUST_BUNDLE))),
            ImmutableSet.copyOf(MeshSecrets.NAMES));
    assertEquals(1, result.problems().size(), result.problems()::toString);
    assertTrue(
        result.problems().get(0).contains("SDS secret \"kubernetes://client\" is not in the snapshot"),
        () -> List.copyOf(result.problems()).toString());
  }
}
