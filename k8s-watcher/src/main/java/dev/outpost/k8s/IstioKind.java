package dev.outpost.k8s;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * An Istio resource kind the watcher reads, and the API versions it may be served at, most
 * preferred first. All served versions of an Istio kind share one schema (the translator accepts
 * each), so the watcher reads exactly one: the newest the cluster serves.
 *
 * @param plural the resource name in API paths, e.g. {@code virtualservices}
 */
public record IstioKind(String group, String kind, String plural, ImmutableList<String> versions) {

  static final String NETWORKING = "networking.istio.io";
  static final ImmutableList<String> NETWORKING_VERSIONS = ImmutableList.of("v1", "v1beta1", "v1alpha3");
  /** AuthorizationPolicy's group; it never had a v1alpha3 there. */
  static final String SECURITY = "security.istio.io";

  static final ImmutableList<String> SECURITY_VERSIONS = ImmutableList.of("v1", "v1beta1");

  public static final IstioKind SERVICE_ENTRY = networking("ServiceEntry", "serviceentries");
  public static final IstioKind GATEWAY = networking("Gateway", "gateways");
  public static final IstioKind VIRTUAL_SERVICE = networking("VirtualService", "virtualservices");
  public static final IstioKind DESTINATION_RULE = networking("DestinationRule", "destinationrules");
  public static final IstioKind SIDECAR = networking("Sidecar", "sidecars");
  public static final IstioKind AUTHORIZATION_POLICY =
      new IstioKind(SECURITY, "AuthorizationPolicy", "authorizationpolicies", SECURITY_VERSIONS);
  /** Istio serves EnvoyFilter in v1alpha3 only. */
  public static final IstioKind ENVOY_FILTER =
      new IstioKind(NETWORKING, "EnvoyFilter", "envoyfilters", ImmutableList.of("v1alpha3"));

  /** The kinds the translator reads. */
  public static final ImmutableList<IstioKind> EGRESS =
      ImmutableList.of(
          SERVICE_ENTRY,
          GATEWAY,
          VIRTUAL_SERVICE,
          DESTINATION_RULE,
          SIDECAR,
          AUTHORIZATION_POLICY,
          ENVOY_FILTER);

  public IstioKind {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(kind + " needs at least one candidate version");
    }
  }

  static IstioKind networking(String kind, String plural) {
    return new IstioKind(NETWORKING, kind, plural, NETWORKING_VERSIONS);
  }

  @Override
  public String toString() {
    return kind + "." + group;
  }
}
