package dev.outpost.translator.parse;

import dev.outpost.translator.model.AuthorizationPolicy;
import dev.outpost.translator.model.DestinationRule;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.KubeEndpointSlice;
import dev.outpost.translator.model.KubePod;
import dev.outpost.translator.model.KubeSecret;
import dev.outpost.translator.model.KubeService;
import dev.outpost.translator.model.MeshConfig;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.Sidecar;
import dev.outpost.translator.model.VirtualService;
import java.util.Optional;
import java.util.Set;

/** The kinds Outpost reads, with the apiVersions it accepts for each. */
enum ResourceKind {
  SERVICE_ENTRY("ServiceEntry", Versions.ISTIO),
  GATEWAY("Gateway", Versions.ISTIO),
  VIRTUAL_SERVICE("VirtualService", Versions.ISTIO),
  DESTINATION_RULE("DestinationRule", Versions.ISTIO),
  SECRET("Secret", Set.of("v1")),
  SERVICE("Service", Set.of("v1")),
  ENDPOINT_SLICE("EndpointSlice", Set.of("discovery.k8s.io/v1")),
  POD("Pod", Set.of("v1")),
  SIDECAR("Sidecar", Versions.ISTIO),
  /**
   * Only the mesh config ({@link MeshConfigParser#isMeshConfig}); every other ConfigMap is passed
   * over without a word, since a config directory may hold whatever a cluster holds.
   */
  CONFIG_MAP("ConfigMap", Set.of("v1"), false),
  AUTHORIZATION_POLICY("AuthorizationPolicy", Versions.SECURITY),
  /** Istio serves EnvoyFilter in v1alpha3 only; it never became v1beta1 or v1. */
  ENVOY_FILTER("EnvoyFilter", Set.of("networking.istio.io/v1alpha3"));

  private final String kindName;
  private final Set<String> apiVersions;
  private final boolean rejectedOnError;

  ResourceKind(String kindName, Set<String> apiVersions) {
    this(kindName, apiVersions, true);
  }

  ResourceKind(String kindName, Set<String> apiVersions, boolean rejectedOnError) {
    this.kindName = kindName;
    this.apiVersions = apiVersions;
    this.rejectedOnError = rejectedOnError;
  }

  String kindName() {
    return kindName;
  }

  /**
   * Whether an error rejects the resource (it then keeps its last good version, if any), as for
   * every Istio kind. The mesh config is the exception: its parser already replaced what is wrong
   * with the fail-closed value (REGISTRY_ONLY), and an older version that said ALLOW_ANY must not
   * stay in effect because the new one has a typo.
   */
  boolean rejectedOnError() {
    return rejectedOnError;
  }

  /** The apiVersion to suggest for a kind Outpost reads, given with another apiVersion. */
  static Optional<String> suggestedApiVersion(String kind) {
    for (ResourceKind k : values()) {
      if (k.kindName.equals(kind)) {
        if (k.apiVersions.equals(Versions.ISTIO)) {
          return Optional.of("networking.istio.io/v1 (or v1beta1, v1alpha3)");
        } else if (k.apiVersions.equals(Versions.SECURITY)) {
          return Optional.of("security.istio.io/v1 (or v1beta1)");
        } else if (k == ENVOY_FILTER) {
          return Optional.of(
              "networking.istio.io/v1alpha3 (the only version Istio serves EnvoyFilter in)");
        }
        return Optional.of(k.apiVersions.iterator().next());
      }
    }
    return Optional.empty();
  }

  /** The kind for this apiVersion and kind, or empty when Outpost does not read it. */
  static Optional<ResourceKind> of(String apiVersion, String kind) {
    for (ResourceKind k : values()) {
      if (k.kindName.equals(kind) && k.apiVersions.contains(apiVersion)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The kind and metadata of a model object. */
  static ResourceKey keyOf(Record resource) {
    if (resource instanceof ServiceEntry r) {
      return ResourceKey.of(SERVICE_ENTRY, r.metadata());
    } else if (resource instanceof Gateway r) {
      return ResourceKey.of(GATEWAY, r.metadata());
    } else if (resource instanceof VirtualService r) {
      return ResourceKey.of(VIRTUAL_SERVICE, r.metadata());
    } else if (resource instanceof DestinationRule r) {
      return ResourceKey.of(DESTINATION_RULE, r.metadata());
    } else if (resource instanceof KubeSecret r) {
      return ResourceKey.of(SECRET, r.metadata());
    } else if (resource instanceof KubeService r) {
      return ResourceKey.of(SERVICE, r.metadata());
    } else if (resource instanceof KubeEndpointSlice r) {
      return ResourceKey.of(ENDPOINT_SLICE, r.metadata());
    } else if (resource instanceof KubePod r) {
      return ResourceKey.of(POD, r.metadata());
    } else if (resource instanceof Sidecar r) {
      return ResourceKey.of(SIDECAR, r.metadata());
    } else if (resource instanceof MeshConfig r) {
      return ResourceKey.of(CONFIG_MAP, r.metadata());
    } else if (resource instanceof AuthorizationPolicy r) {
      return ResourceKey.of(AUTHORIZATION_POLICY, r.metadata());
    } else if (resource instanceof EnvoyFilter r) {
      return ResourceKey.of(ENVOY_FILTER, r.metadata());
    }
    throw new IllegalArgumentException("not a model resource: " + resource.getClass());
  }

  static ObjectMeta metadataOf(Record resource) {
    if (resource instanceof ServiceEntry r) {
      return r.metadata();
    } else if (resource instanceof Gateway r) {
      return r.metadata();
    } else if (resource instanceof VirtualService r) {
      return r.metadata();
    } else if (resource instanceof DestinationRule r) {
      return r.metadata();
    } else if (resource instanceof KubeSecret r) {
      return r.metadata();
    } else if (resource instanceof KubeService r) {
      return r.metadata();
    } else if (resource instanceof KubeEndpointSlice r) {
      return r.metadata();
    } else if (resource instanceof KubePod r) {
      return r.metadata();
    } else if (resource instanceof Sidecar r) {
      return r.metadata();
    } else if (resource instanceof MeshConfig r) {
      return r.metadata();
    } else if (resource instanceof AuthorizationPolicy r) {
      return r.metadata();
    } else if (resource instanceof EnvoyFilter r) {
      return r.metadata();
    }
    throw new IllegalArgumentException("not a model resource: " + resource.getClass());
  }

  private static final class Versions {
    static final Set<String> ISTIO =
        Set.of(
            "networking.istio.io/v1alpha3",
            "networking.istio.io/v1beta1",
            "networking.istio.io/v1");
    /** AuthorizationPolicy's group: one schema in both versions, as for the networking kinds. */
    static final Set<String> SECURITY = Set.of("security.istio.io/v1beta1", "security.istio.io/v1");
  }
}
