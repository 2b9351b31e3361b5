package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every pod deploy/ runs meets Pod Security "restricted", has probes and resource bounds. */
class PodSecurityManifestTest {
  private final List<Deployment> deployments = DeployManifests.load().all("", Deployment.class);

  @Test
  void thereAreTheDeploymentsOfTheInstallAndOfTheClientSidecarExample() {
    // The example's workload is held to the same rules: it is what users copy for their own pods.
    assertEquals(List.of("istio-egressgateway", "outpost", "sleep"),
        deployments.stream().map(d -> d.getMetadata().getName()).sorted().toList());
  }

  @Test
  void podsRunAsNonRootWithTheRuntimeDefaultSeccompProfile() {
    for (Deployment deployment : deployments) {
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      String name = deployment.getMetadata().getName();
      PodSecurityContext context = pod.getSecurityContext();
      assertNotNull(context, name + ": pod securityContext");
      assertEquals(Boolean.TRUE, context.getRunAsNonRoot(), name + ": runAsNonRoot");
      assertNotNull(context.getRunAsUser(), name + ": runAsUser");
      assertTrue(context.getRunAsUser() > 0, name + ": runAsUser");
      assertEquals("RuntimeDefault", context.getSeccompProfile().getType(), name + ": seccomp");
      assertFalse(Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID()) || Boolean.TRUE.equals(pod.getHostIPC()),
          name + ": host namespaces");
      assertTrue(pod.getInitContainers().isEmpty(), name + ": no init containers");
    }
  }

  @Test
  void containersAreLockedDown() {
    for (Deployment deployment : deployments) {
      for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
        String name = deployment.getMetadata().getName() + "/" + container.getName();
        SecurityContext context = container.getSecurityContext();
        assertNotNull(context, name + ": securityContext");
        assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation(), name + ": allowPrivilegeEscalation");
        assertEquals(Boolean.TRUE, context.getReadOnlyRootFilesystem(), name + ": readOnlyRootFilesystem");
        assertFalse(Boolean.TRUE.equals(context.getPrivileged()), name + ": privileged");
        assertEquals(List.of("ALL"), context.getCapabilities().getDrop(), name + ": drop ALL capabilities");
        assertTrue(context.getCapabilities().getAdd().isEmpty(), name + ": no added capabilities");
      }
    }
  }

  @Test
  void containersHaveReadinessProbesAndResourceBounds() {
    for (Deployment deployment : deployments) {
      for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
        String name = deployment.getMetadata().getName() + "/" + container.getName();
        assertNotNull(container.getReadinessProbe(), name + ": readiness probe");
        assertNotNull(container.getResources().getRequests().get("cpu"), name + ": CPU request");
        assertNotNull(container.getResources().getRequests().get("memory"), name + ": memory request");
        assertNotNull(container.getResources().getLimits().get("memory"), name + ": memory limit");
        assertFalse(container.getImage().endsWith(":latest") || !container.getImage().contains(":"), name + ": image tag pinned");
      }
    }
  }

  @Test
  void theJvmWritesOnlyToAnEmptyDirTmp() {
    Deployment outpost = deployments.stream().filter(d -> d.getMetadata().getName().equals(ControlPlane.NAME)).findFirst().orElseThrow();
    PodSpec pod = outpost.getSpec().getTemplate().getSpec();
    String volume = pod.getContainers().get(0).getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow(() -> new AssertionError("no /tmp mount")).getName();
    assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals(volume) && v.getEmptyDir() != null), "/tmp is an emptyDir");
  }
}
