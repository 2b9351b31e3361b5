package dev.outpost.k8s;

import com.google.common.collect.ImmutableMap;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * API discovery: for each kind, the most preferred version the API server serves. It asks for the
 * resource list of each candidate group/version ({@code GET /apis/GROUP/VERSION}), which names
 * the resources actually served there: a CRD that exists but no longer serves a version, or a
 * cluster without Istio's CRDs, answer 404 or a list without the kind.
 */
final class ServedVersions {
  private ServedVersions() {}

  /**
   * The version to read for each kind; a kind absent from the map is not served at all.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server cannot be
   *     asked (unreachable, forbidden): the caller retries, since "not served" must not be
   *     concluded from an error
   */
  static ImmutableMap<IstioKind, String> discover(KubernetesClient client, List<IstioKind> kinds) {
    return discover(client::getApiResources, kinds);
  }

  static ImmutableMap<IstioKind, String> discover(
      Function<String, APIResourceList> resourcesOf, List<IstioKind> kinds) {
    Map<String, Optional<APIResourceList>> byGroupVersion = new HashMap<>();
    ImmutableMap.Builder<IstioKind, String> chosen = ImmutableMap.builder();
    for (IstioKind kind : kinds) {
      for (String version : kind.versions()) {
        String groupVersion = kind.group() + "/" + version;
        Optional<APIResourceList> list =
            byGroupVersion.computeIfAbsent(groupVersion, gv -> Optional.ofNullable(resourcesOf.apply(gv)));
        if (list.isPresent() && serves(list.get(), kind)) {
          chosen.put(kind, version);
          break;
        }
      }
    }
    return chosen.build();
  }

  private static boolean serves(APIResourceList list, IstioKind kind) {
    if (list.getResources() == null) {
      return false;
    }
    for (APIResource resource : list.getResources()) {
      // Subresources are listed as "virtualservices/status"; only the resource itself counts.
      if (kind.plural().equals(resource.getName())) {
        return true;
      }
    }
    return false;
  }
}
