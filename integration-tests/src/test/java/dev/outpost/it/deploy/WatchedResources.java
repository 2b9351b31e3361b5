package dev.outpost.it.deploy;

import java.util.List;

/**
 * What Outpost's Kubernetes mode reads and writes: the one list the RBAC rules in deploy/base and
 * the CRDs in deploy/crds are checked against (RbacManifestTest, CrdManifestTest). Keep it equal
 * to what k8s-watcher actually watches: when the watcher starts reading a kind (AuthorizationPolicy,
 * Sidecar, EnvoyFilter with their issues), add it here, and the test then asks for its rule and CRD.
 */
final class WatchedResources {
  private WatchedResources() {}

  /** API group and plural resource name. */
  record Kind(String group, String resource) {}

  static final String ISTIO_NETWORKING = "networking.istio.io";

  /** Istio kinds read in every watched namespace, whose status the leader writes. */
  static final List<Kind> ISTIO = List.of(
      new Kind(ISTIO_NETWORKING, "serviceentries"),
      new Kind(ISTIO_NETWORKING, "gateways"),
      new Kind(ISTIO_NETWORKING, "virtualservices"),
      new Kind(ISTIO_NETWORKING, "destinationrules"));

  /** Kubernetes kinds read cluster-wide: proxy identity (pods), in-cluster destinations. */
  static final List<Kind> CORE = List.of(
      new Kind("", "pods"),
      new Kind("", "services"),
      new Kind("discovery.k8s.io", "endpointslices"));

  /** Read only in the namespaces of serve --secret-namespaces (where gateways run). */
  static final Kind SECRETS = new Kind("", "secrets");

  /** Written in the resource's namespace by the leader: errors as Events. */
  static final Kind EVENTS = new Kind("", "events");

  /** Written in serve --system-namespace, by name: the leader Lease and the CA Secret. */
  static final Kind LEASES = new Kind("coordination.k8s.io", "leases");

  static final List<String> READ = List.of("get", "list", "watch");
  static final List<String> STATUS_WRITE = List.of("update", "patch");
  static final List<String> EVENT_WRITE = List.of("create", "patch");
  static final List<String> NAMED_WRITE = List.of("get", "update");
}
