package dev.outpost.translator.build;

import dev.outpost.translator.ir.UpstreamCluster;
import dev.outpost.translator.model.Destination;
import dev.outpost.translator.model.DestinationRule;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.Subset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Resolves a route destination to a cluster, checking that the host is declared by a ServiceEntry
 * or Kubernetes Service the gateway can see, the port exists (or is implied by a single-port entry), and the subset is
 * defined. A destination that fails is reported and dropped, so no route ever points at a cluster
 * that does not exist. Every cluster handed out is remembered for the cluster builder.
 *
 * <p>A destination whose cluster cannot be built because its upstream TLS cannot be set up (a
 * credential that is missing or unusable) resolves to {@code BlackHoleCluster}: the route stays
 * as written and requests for that destination get 503, where dropping it could let them fall
 * through to another rule, or a weighted split send all traffic to the remaining destinations.
 */
final class DestinationResolver {
  private final ServiceRegistry services;
  private final DestinationRuleIndex rules;
  private final DiagnosticSink diagnostics;
  private final UpstreamTlsPolicy tls;
  private final Map<String, ClusterRef> referenced = new TreeMap<>();

  DestinationResolver(
      ServiceRegistry services,
      DestinationRuleIndex rules,
      DiagnosticSink diagnostics,
      UpstreamTlsPolicy tls) {
    this.services = services;
    this.rules = rules;
    this.diagnostics = diagnostics;
    this.tls = tls;
  }

  /**
   * The cluster name ({@code BlackHoleCluster} when its TLS cannot be set up), or empty after
   * reporting why the destination cannot be used.
   */
  Optional<String> resolve(
      Destination destination, String vsNamespace, String subject, String field) {
    return find(destination, vsNamespace, subject, field).map(ref -> use(ref, subject, field));
  }

  /**
   * The cluster a destination would use, checked and reported like {@link #resolve}, but not yet
   * counted as referenced: for callers that have their own reasons to refuse it (a passthrough
   * route to a cluster that originates TLS). {@link #use} then references it.
   */
  Optional<ClusterRef> find(
      Destination destination, String vsNamespace, String subject, String field) {
    String host = Hosts.qualify(destination.host(), vsNamespace);
    Optional<ServiceEntry> found = services.find(host);
    if (found.isEmpty()) {
      diagnostics.error(
          subject,
          field + ".host",
          "host \""
              + host
              + "\" is not declared by any ServiceEntry or Kubernetes Service visible to the"
              + " gateway's namespace, so this destination is dropped. Add a ServiceEntry for it"
              + " (exported to the gateway's namespace).");
      return Optional.empty();
    }
    ServiceEntry se = found.get();
    Optional<Port> port = port(se, destination, subject, field);
    if (port.isEmpty()) {
      return Optional.empty();
    }
    if (se.resolution() == ServiceEntry.Resolution.DNS
        || se.resolution() == ServiceEntry.Resolution.DNS_ROUND_ROBIN) {
      if (Hosts.isWildcard(host) && se.endpoints().isEmpty()) {
        diagnostics.error(
            subject,
            field + ".host",
            "host \""
                + host
                + "\" is a wildcard in "
                + Subjects.of(se)
                + " with resolution "
                + se.resolution()
                + " and no endpoints; a wildcard cannot be resolved by DNS, so this destination"
                + " is dropped. Give the ServiceEntry endpoints or route to a concrete host.");
        return Optional.empty();
      }
    }
    Optional<DestinationRule> rule = rules.find(host, se.metadata().namespace());
    String subset = destination.subset().orElse("");
    if (!subset.isEmpty()) {
      boolean defined =
          rule.map(dr -> dr.subsets().stream().map(Subset::name).anyMatch(subset::equals))
              .orElse(false);
      if (!defined) {
        diagnostics.error(
            subject,
            field + ".subset",
            "subset \""
                + subset
                + "\" of host \""
                + host
                + "\" is not defined"
                + rule.map(
                        dr ->
                            " in " + Subjects.of(dr) + ", the DestinationRule that applies to it,")
                    .orElse(" (no DestinationRule applies to that host)")
                + " so this destination is dropped. Define the subset or remove it from the"
                + " route.");
        return Optional.empty();
      }
    }
    return Optional.of(new ClusterRef(se, host, port.get(), subset, rule));
  }

  /**
   * Counts the cluster as referenced, so that it is built, and returns its name; {@code
   * BlackHoleCluster} (with an error on {@code subject}/{@code field}) when its upstream TLS
   * cannot be set up.
   */
  String use(ClusterRef ref, String subject, String field) {
    if (!tls.resolve(ref).usable()) {
      diagnostics.error(
          subject,
          field,
          "cluster "
              + ref.name()
              + " is not sent to the proxy because its upstream TLS cannot be set up (see the"
              + " errors on "
              + ref.rule().map(Subjects::of).orElse("its DestinationRule")
              + "); requests for this destination go to "
              + UpstreamCluster.BLACK_HOLE
              + " and get 503 until that is fixed.");
      return UpstreamCluster.BLACK_HOLE;
    }
    referenced.putIfAbsent(ref.name(), ref);
    return ref.name();
  }

  private Optional<Port> port(
      ServiceEntry se, Destination destination, String subject, String field) {
    String declared =
        se.ports().stream().map(p -> String.valueOf(p.number())).collect(Collectors.joining(", "));
    if (destination.port().isPresent()) {
      int number = destination.port().get();
      Optional<Port> port = se.ports().stream().filter(p -> p.number() == number).findFirst();
      if (port.isEmpty()) {
        diagnostics.error(
            subject,
            field + ".port.number",
            "port "
                + number
                + " is not declared by "
                + Subjects.of(se)
                + " (it declares "
                + declared
                + "), so this destination is dropped. Use one of its ports.");
      }
      return port;
    }
    if (se.ports().size() == 1) {
      return Optional.of(se.ports().get(0));
    }
    diagnostics.error(
        subject,
        field + ".port",
        "destination has no port and "
            + Subjects.of(se)
            + " declares "
            + (se.ports().isEmpty() ? "none" : "several (" + declared + ")")
            + ", so this destination is dropped. Set destination.port.number.");
    return Optional.empty();
  }

  /** Every cluster resolved so far, by name. */
  Map<String, ClusterRef> referenced() {
    return referenced;
  }
}
