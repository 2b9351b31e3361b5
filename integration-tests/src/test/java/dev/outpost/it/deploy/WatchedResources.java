package dev.outpost.it.deploy;

import dev.outpost.k8s.IstioKind;
import dev.outpost.translator.model.MeshConfig;
import java.util.List;

/**
 * What Outpost's Kubernetes mode reads and writes: the one list the RBAC rules in deploy/base and
 * the CRDs in deploy/crds are checked against (RbacManifestTest, CrdManifestTest). The Istio kinds
 * come from the watcher's own table ({@link IstioKind#EGRESS}, AuthorizationPolicy in
 * security.istio.io and EnvoyFilter included), so a kind added there fails the build until deploy/
 * has its rule and CRD. The rest mirrors what k8s-watcher and the server do; change it with them.
 */
final class WatchedResources {
  private WatchedResources() {}

  /** API group and plural resource name. */
  record Kind(String group, String resource) {}

  /**
   * Istio kinds read in every watched namespace, whose status the leader writes: networking.istio.io
   * and security.istio.io (AuthorizationPolicy).
   */
  static final List<Kind> ISTIO = IstioKind.EGRESS.stream().map(k -> new Kind(k.group(), k.plural())).toList();

  /**
   * Kubernetes kinds read cluster-wide: pods, for proxy identity (and the labels and service
   * accounts of pods behind endpoints); Services and EndpointSlices, the in-cluster destinations
   * (the gateway's own Service among them).
   */
  static final List<Kind> CORE =
      List.of(new Kind("", "pods"), new Kind("", "services"), new Kind("discovery.k8s.io", "endpointslices"));

  /**
   * Istio's mesh config: one ConfigMap, read by name ({@link #MESH_CONFIG_NAME}) in Istio's root
   * namespace ({@link #MESH_CONFIG_NAMESPACE}), whatever Outpost's own namespace.
   */
  static final Kind CONFIG_MAPS = new Kind("", "configmaps");

  static final String MESH_CONFIG_NAMESPACE = MeshConfig.ROOT_NAMESPACE;
  static final String MESH_CONFIG_NAME = MeshConfig.CONFIG_MAP_NAME;

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
  /** fabric8's leader elector renews its Lease with a JSON merge patch. */
  static final List<String> LEASE_WRITE = List.of("get", "update", "patch");
}
