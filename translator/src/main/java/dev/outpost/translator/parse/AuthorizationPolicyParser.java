package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.AuthorizationPolicy;
import dev.outpost.translator.model.AuthorizationPolicy.Action;
import dev.outpost.translator.model.AuthorizationPolicy.TargetRef;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.WorkloadSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates an AuthorizationPolicy (security.istio.io v1beta1 and v1), following Istio's
 * validation webhook: what the policy attaches to ({@code selector}, or {@code targetRef(s)}, never
 * both), its {@code action} and {@code provider}. The rules are read by {@link
 * AuthorizationRuleParser}.
 */
final class AuthorizationPolicyParser {
  /**
   * The group/kind pairs Istio lets a policy attach to. Anything else is refused by Istio's
   * webhook, so it is an error here too rather than a policy that silently applies nowhere.
   */
  private static final Set<String> TARGET_KINDS =
      Set.of(
          "gateway.networking.k8s.io/Gateway",
          "gateway.networking.k8s.io/GatewayClass",
          "/Service",
          "networking.istio.io/ServiceEntry");

  private AuthorizationPolicyParser() {}

  static AuthorizationPolicy parse(ObjectMeta meta, FieldReader root) {
    // No spec is an empty spec, as in Istio: an ALLOW policy without rules, which denies every
    // request to the workloads it selects (Istio's documented "allow-nothing" is spec: {}).
    FieldReader spec =
        root.object("spec").orElseGet(() -> FieldReader.empty("spec", root.findings()));
    Optional<WorkloadSelector> selector = Fields.workloadSelector(spec, "selector", "matchLabels");
    ImmutableList<TargetRef> targetRefs = targetRefs(spec, meta.namespace());
    if (selector.isPresent() && (spec.has("targetRef") || spec.has("targetRefs"))) {
      spec.error(
          "selector",
          "cannot be used together with targetRef or targetRefs: a policy attaches either to"
              + " workloads by labels or to the resources it names; remove one of them");
    }
    Action action = spec.enumValue("action", Action.class).orElse(Action.ALLOW);
    Optional<String> provider = provider(spec, action);
    ImmutableList<AuthorizationPolicy.Rule> rules = AuthorizationRuleParser.parse(spec);
    spec.finish();
    return new AuthorizationPolicy(meta, selector, targetRefs, action, rules, provider);
  }

  /** {@code targetRef}, then {@code targetRefs}; Istio allows only one of the two fields. */
  private static ImmutableList<TargetRef> targetRefs(FieldReader spec, String namespace) {
    List<TargetRef> out = new ArrayList<>();
    spec.object("targetRef").flatMap(r -> targetRef(r, namespace)).ifPresent(out::add);
    for (FieldReader r : spec.objects("targetRefs")) {
      targetRef(r, namespace).ifPresent(out::add);
    }
    if (spec.has("targetRef") && spec.has("targetRefs")) {
      spec.error(
          "targetRefs",
          "cannot be used together with targetRef (the older, single form): move the targetRef"
              + " into the targetRefs list");
    }
    return ImmutableList.copyOf(out);
  }

  private static Optional<TargetRef> targetRef(FieldReader r, String policyNamespace) {
    String group = r.string("group").orElse("");
    String kind = r.requiredString("kind");
    String name = r.requiredString("name");
    Optional<String> namespace = r.string("namespace").filter(ns -> !ns.isEmpty());
    r.finish();
    boolean ok = !kind.isEmpty() && !name.isEmpty();
    if (!kind.isEmpty() && !TARGET_KINDS.contains(group + "/" + kind)) {
      r.error(
          "kind",
          "group \""
              + group
              + "\" kind \""
              + kind
              + "\" cannot be the target of an AuthorizationPolicy; Istio allows a Gateway or"
              + " GatewayClass (group gateway.networking.k8s.io), a Service (group \"\") or a"
              + " ServiceEntry (group networking.istio.io)");
      ok = false;
    }
    if (namespace.isPresent() && !namespace.get().equals(policyNamespace)) {
      r.error(
          "namespace",
          "\""
              + namespace.get()
              + "\" is not the policy's namespace \""
              + policyNamespace
              + "\": as in Istio, a policy may only target resources in its own namespace;"
              + " create the policy in namespace "
              + namespace.get()
              + " instead, or remove namespace");
      ok = false;
    }
    return ok ? Optional.of(new TargetRef(group, kind, name, namespace)) : Optional.empty();
  }

  /** {@code provider.name}: required with CUSTOM (the external authorizer), refused otherwise. */
  private static Optional<String> provider(FieldReader spec, Action action) {
    Optional<String> name =
        spec.object("provider")
            .flatMap(
                p -> {
                  Optional<String> n = p.string("name").filter(s -> !s.isEmpty());
                  p.finish();
                  return n;
                });
    if (action == Action.CUSTOM && name.isEmpty()) {
      spec.error(
          "provider.name",
          "is required with action CUSTOM: name the extension provider (from the mesh config's"
              + " extensionProviders) that decides the requests");
    } else if (action != Action.CUSTOM && spec.has("provider")) {
      spec.error(
          "provider",
          "is only used with action CUSTOM, but the action is "
              + action
              + ": remove provider, or set action: CUSTOM");
    }
    return name;
  }
}
