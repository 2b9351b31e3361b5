package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.model.AuthorizationPolicy;
import dev.outpost.translator.model.MeshConfig;
import java.util.Comparator;
import java.util.Set;

/**
 * Which AuthorizationPolicies apply to a gateway proxy, as Istio decides for a workload: a policy
 * in the root namespace ({@code istio-system}) applies across the mesh, one in another namespace
 * only to proxies of that namespace; {@code selector.matchLabels} narrows by the proxy's labels;
 * {@code targetRef(s)} instead name a Kubernetes Gateway API gateway by its pods' label. Client proxies get none: policies act on the
 * receiving side, and a client proxy only sends. Result in namespace/name order.
 */
final class AuthorizationPolicySelector {
  /** The label Kubernetes Gateway API deployments put on their pods (Istio's and the upstream one). */
  static final ImmutableList<String> GATEWAY_NAME_LABELS =
      ImmutableList.of("gateway.networking.k8s.io/gateway-name", "istio.io/gateway-name");

  static final Set<String> GATEWAY_API_GROUP = Set.of("gateway.networking.k8s.io");

  private final DiagnosticSink diagnostics;

  AuthorizationPolicySelector(DiagnosticSink diagnostics) {
    this.diagnostics = diagnostics;
  }

  ImmutableList<AuthorizationPolicy> select(
      ImmutableList<AuthorizationPolicy> policies, ProxyIdentity proxy) {
    if (proxy.role() != ProxyRole.GATEWAY) {
      return ImmutableList.of();
    }
    return policies.stream()
        .filter(policy -> applies(policy, proxy))
        .sorted(Comparator.comparing(AuthorizationPolicy::metadata, Subjects.KEY_ORDER))
        .collect(ImmutableList.toImmutableList());
  }

  private boolean applies(AuthorizationPolicy policy, ProxyIdentity proxy) {
    if (!policy.targetRefs().isEmpty()) {
      boolean any = false;
      for (int i = 0; i < policy.targetRefs().size(); i++) {
        any |= targets(policy, i, proxy);
      }
      return any;
    }
    String namespace = policy.metadata().namespace();
    if (!namespace.equals(MeshConfig.ROOT_NAMESPACE) && !namespace.equals(proxy.namespace())) {
      return false;
    }
    return policy.selector().map(s -> Labels.selects(s.matchLabels(), proxy.labels())).orElse(true);
  }

  private boolean targets(AuthorizationPolicy policy, int index, ProxyIdentity proxy) {
    AuthorizationPolicy.TargetRef ref = policy.targetRefs().get(index);
    String namespace = ref.namespace().orElse(policy.metadata().namespace());
    if (ref.kind().equals("Gateway") && GATEWAY_API_GROUP.contains(ref.group())) {
      return namespace.equals(proxy.namespace())
          && GATEWAY_NAME_LABELS.stream().anyMatch(l -> ref.name().equals(proxy.labels().get(l)));
    }
    diagnostics.error(
        Subjects.of(policy),
        "spec.targetRefs[" + index + "]",
        "kind "
            + ref.kind()
            + " of group \""
            + ref.group()
            + "\" is not something Outpost can attach a policy to, so this reference selects no"
            + " gateway. Name a Gateway of group gateway.networking.k8s.io (the gateway pods'"
            + " gateway.networking.k8s.io/gateway-name label), or use spec.selector.matchLabels.");
    return false;
  }
}
