package dev.outpost.server.ca;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A workload's mesh identity, {@code spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT}, the
 * form Istio uses and its authorization policies match on.
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {
  // SPIFFE: trust domain lowercase letters, digits, '.', '-', '_'; path segments of the unreserved
  // characters. Kubernetes names fit both; anything else would make an invalid URI SAN.
  private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

  public SpiffeId {
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    if (!TRUST_DOMAIN.matcher(trustDomain).matches()) {
      throw new IllegalArgumentException(
          "trust domain \"" + trustDomain + "\" is not a SPIFFE trust domain: use lowercase letters, digits, '.', '-' and '_'"
              + " (e.g. cluster.local)");
    }
    if (!SEGMENT.matcher(namespace).matches() || namespace.equals(".") || namespace.equals("..")) {
      throw new IllegalArgumentException("namespace \"" + namespace + "\" cannot be part of a SPIFFE ID: use a Kubernetes namespace name");
    }
    if (!SEGMENT.matcher(serviceAccount).matches() || serviceAccount.equals(".") || serviceAccount.equals("..")) {
      throw new IllegalArgumentException(
          "service account \"" + serviceAccount + "\" cannot be part of a SPIFFE ID: use a Kubernetes service account name");
    }
  }

  public String uri() {
    return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
  }

  @Override
  public String toString() {
    return uri();
  }
}
