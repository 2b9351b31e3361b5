package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The control plane's permissions are exactly what {@link WatchedResources} says it reads and
 * writes: computed from the bindings of its ServiceAccount, as the API server would, and compared
 * as a set, so a missing rule and an extra one both fail.
 */
class RbacManifestTest {
  private static final String CLUSTER = "*";
  private static final String ANY_NAME = "*";

  /** One permission: in a namespace (or cluster-wide), a verb on a resource (or one named object). */
  record Grant(String namespace, String group, String resource, String verb, String name) implements Comparable<Grant> {
    @Override
    public int compareTo(Grant o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return (namespace.equals(CLUSTER) ? "cluster-wide" : "ns " + namespace) + ": " + verb + " "
          + (group.isEmpty() ? "core" : group) + "/" + resource + (name.equals(ANY_NAME) ? "" : " " + name);
    }
  }

  private final DeployManifests manifests = DeployManifests.load();
  private final ControlPlane controlPlane = ControlPlane.of(manifests);

  @Test
  void theControlPlaneMayDoExactlyWhatTheWatcherNeeds() {
    Set<Grant> expected = new TreeSet<>();
    for (WatchedResources.Kind kind : WatchedResources.ISTIO) {
      add(expected, CLUSTER, kind, WatchedResources.READ, ANY_NAME);
      add(expected, CLUSTER, new WatchedResources.Kind(kind.group(), kind.resource() + "/status"), WatchedResources.STATUS_WRITE, ANY_NAME);
    }
    for (WatchedResources.Kind kind : WatchedResources.CORE) {
      add(expected, CLUSTER, kind, WatchedResources.READ, ANY_NAME);
    }
    add(expected, CLUSTER, WatchedResources.EVENTS, WatchedResources.EVENT_WRITE, ANY_NAME);
    add(expected, WatchedResources.MESH_CONFIG_NAMESPACE, WatchedResources.CONFIG_MAPS, WatchedResources.READ,
        WatchedResources.MESH_CONFIG_NAME);
    for (String namespace : controlPlane.secretNamespaces()) {
      add(expected, namespace, WatchedResources.SECRETS, WatchedResources.READ, ANY_NAME);
    }
    String system = controlPlane.systemNamespace();
    // "create" cannot be limited by resourceNames: Kubernetes authorizes it before the name is known.
    add(expected, system, WatchedResources.LEASES, List.of("create"), ANY_NAME);
    add(expected, system, WatchedResources.LEASES, WatchedResources.LEASE_WRITE, controlPlane.leaseName());
    add(expected, system, WatchedResources.SECRETS, List.of("create"), ANY_NAME);
    add(expected, system, WatchedResources.SECRETS, WatchedResources.NAMED_WRITE, controlPlane.caSecretName());

    Set<Grant> actual = grantsOf(controlPlane.serviceAccountNamespace(), controlPlane.serviceAccountName());

    Set<Grant> missing = new TreeSet<>(expected);
    missing.removeAll(actual);
    Set<Grant> extra = new TreeSet<>(actual);
    extra.removeAll(expected);
    assertTrue(missing.isEmpty() && extra.isEmpty(),
        "RBAC of ServiceAccount " + controlPlane.serviceAccountName() + " differs from WatchedResources.\n missing: " + missing + "\n not needed: " + extra);
  }

  @Test
  void noRuleUsesWildcards() {
    for (PolicyRule rule : allRules()) {
      assertFalse(rule.getVerbs().contains("*"), "wildcard verb in " + rule);
      assertFalse(rule.getResources().contains("*"), "wildcard resource in " + rule);
      assertFalse(rule.getApiGroups().contains("*"), "wildcard API group in " + rule);
      assertTrue(rule.getNonResourceURLs().isEmpty(), "nonResourceURLs in " + rule);
    }
  }

  @Test
  void secretsAreWrittenOnlyAsTheCaSecret() {
    Set<Grant> actual = grantsOf(controlPlane.serviceAccountNamespace(), controlPlane.serviceAccountName());
    for (Grant grant : actual) {
      if (!grant.resource().equals("secrets") || WatchedResources.READ.contains(grant.verb())) {
        continue;
      }
      assertEquals(controlPlane.systemNamespace(), grant.namespace(), "secret write outside the control plane's namespace: " + grant);
      assertTrue(grant.verb().equals("create") || grant.name().equals(controlPlane.caSecretName()),
          "secret write not limited to the CA Secret " + controlPlane.caSecretName() + ": " + grant);
    }
  }

  @Test
  void configMapsAreReadOnlyAsTheMeshConfig() {
    // Application ConfigMaps hold settings and sometimes credentials: none may be readable.
    Set<Grant> actual = grantsOf(controlPlane.serviceAccountNamespace(), controlPlane.serviceAccountName());
    List<Grant> configMaps = actual.stream().filter(g -> g.resource().equals("configmaps")).toList();
    assertFalse(configMaps.isEmpty(), "the watcher reads the mesh config");
    for (Grant grant : configMaps) {
      assertEquals(WatchedResources.MESH_CONFIG_NAMESPACE, grant.namespace(), grant.toString());
      assertEquals(WatchedResources.MESH_CONFIG_NAME, grant.name(), "ConfigMap access not limited by name: " + grant);
    }
  }

  @Test
  void theGatewayHasNoPermissionsAndNoToken() {
    Gateway gateway = Gateway.of(manifests);
    String sa = gateway.deployment().getSpec().getTemplate().getSpec().getServiceAccountName();
    assertEquals(Set.of(), grantsOf(gateway.deployment().getMetadata().getNamespace(), sa), "grants of the gateway's ServiceAccount " + sa);
    assertEquals(Boolean.FALSE, gateway.deployment().getSpec().getTemplate().getSpec().getAutomountServiceAccountToken(),
        "Envoy never calls the API server: its pods get no token");
  }

  @Test
  void theIstioKindsReadAreTheKindsOfTheBundledCrds() {
    Set<String> crds = new TreeSet<>();
    manifests.all("crds", io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class)
        .forEach(crd -> crds.add(crd.getSpec().getGroup() + "/" + crd.getSpec().getNames().getPlural()));
    Set<String> watched = new TreeSet<>();
    WatchedResources.ISTIO.forEach(kind -> watched.add(kind.group() + "/" + kind.resource()));
    assertEquals(watched, crds, "deploy/crds must define exactly the Istio kinds Outpost reads");
  }

  private static void add(Set<Grant> grants, String namespace, WatchedResources.Kind kind, List<String> verbs, String name) {
    verbs.forEach(verb -> grants.add(new Grant(namespace, kind.group(), kind.resource(), verb, name)));
  }

  /** What a ServiceAccount may do, through every binding in deploy/. */
  private Set<Grant> grantsOf(String namespace, String serviceAccount) {
    Set<Grant> grants = new TreeSet<>();
    for (ClusterRoleBinding binding : manifests.all("", ClusterRoleBinding.class)) {
      if (binds(binding.getSubjects(), namespace, serviceAccount)) {
        rulesOf(binding.getRoleRef(), null).forEach(rule -> expand(rule, CLUSTER, grants));
      }
    }
    for (RoleBinding binding : manifests.all("", RoleBinding.class)) {
      if (binds(binding.getSubjects(), namespace, serviceAccount)) {
        rulesOf(binding.getRoleRef(), binding.getMetadata().getNamespace())
            .forEach(rule -> expand(rule, binding.getMetadata().getNamespace(), grants));
      }
    }
    return grants;
  }

  private static boolean binds(List<Subject> subjects, String namespace, String serviceAccount) {
    return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && serviceAccount.equals(s.getName()) && namespace.equals(s.getNamespace()));
  }

  private List<PolicyRule> rulesOf(RoleRef ref, String bindingNamespace) {
    if (ref.getKind().equals("ClusterRole")) {
      return manifests.one("", ClusterRole.class, ref.getName()).getRules();
    }
    assertEquals("Role", ref.getKind(), "roleRef kind");
    Role role = manifests.all("", Role.class).stream()
        .filter(r -> r.getMetadata().getName().equals(ref.getName()) && r.getMetadata().getNamespace().equals(bindingNamespace))
        .findFirst()
        .orElseThrow(() -> new AssertionError("RoleBinding refers to Role " + bindingNamespace + "/" + ref.getName() + ", which deploy/ does not define"));
    return role.getRules();
  }

  private static void expand(PolicyRule rule, String namespace, Set<Grant> grants) {
    List<String> names = rule.getResourceNames().isEmpty() ? List.of(ANY_NAME) : rule.getResourceNames();
    for (String group : rule.getApiGroups()) {
      for (String resource : rule.getResources()) {
        for (String verb : rule.getVerbs()) {
          for (String name : names) {
            grants.add(new Grant(namespace, group, resource, verb, name));
          }
        }
      }
    }
  }

  private List<PolicyRule> allRules() {
    List<HasMetadata> roles = new java.util.ArrayList<>();
    roles.addAll(manifests.all("", ClusterRole.class));
    roles.addAll(manifests.all("", Role.class));
    return roles.stream()
        .flatMap(r -> (r instanceof ClusterRole c ? c.getRules() : ((Role) r).getRules()).stream())
        .toList();
  }
}
