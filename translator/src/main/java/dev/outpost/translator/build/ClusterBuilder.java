package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.ir.CircuitBreakers;
import dev.outpost.translator.ir.Endpoint;
import dev.outpost.translator.ir.UpstreamCluster;
import dev.outpost.translator.model.ConnectionPoolSettings;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.Subset;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A referenced {@link ClusterRef} → an IR cluster: discovery from the ServiceEntry's resolution,
 * endpoints for the port and subset, and the DestinationRule policy for that port and subset.
 * Only clusters whose TLS can be set up reach here (see {@link UpstreamTlsPolicy}).
 */
final class ClusterBuilder {
  private final DiagnosticSink diagnostics;
  private final UpstreamTlsPolicy tls;

  ClusterBuilder(DiagnosticSink diagnostics, UpstreamTlsPolicy tls) {
    this.diagnostics = diagnostics;
    this.tls = tls;
  }

  UpstreamCluster build(ClusterRef ref) {
    ServiceEntry se = ref.serviceEntry();
    String seSubject = Subjects.of(se);
    String ruleSubject = ref.rule().map(Subjects::of).orElse("");
    EffectivePolicy policy = EffectivePolicy.of(ref.rule(), ref.port().number(), ref.subset());

    ImmutableSortedMap<String, String> subsetLabels =
        ref.rule().stream()
            .flatMap(dr -> dr.subsets().stream())
            .filter(s -> s.name().equals(ref.subset()))
            .map(Subset::labels)
            .findFirst()
            .orElse(ImmutableSortedMap.of());
    ImmutableList<Endpoint> endpoints =
        EndpointSelector.select(se, ref.host(), ref.port(), subsetLabels);
    UpstreamCluster.Discovery discovery = discovery(ref, endpoints, seSubject);
    if (discovery == UpstreamCluster.Discovery.LOGICAL_DNS && endpoints.size() > 1) {
      diagnostics.warning(
          seSubject,
          "spec.endpoints",
          "resolution DNS_ROUND_ROBIN connects to a single host, but cluster "
              + ref.name()
              + " has "
              + endpoints.size()
              + " endpoints; only the first, "
              + endpoints.get(0).address()
              + ", is used. Use resolution DNS to balance across all of them.");
      endpoints = endpoints.subList(0, 1);
    }
    if (endpoints.isEmpty() && !ref.subset().isEmpty() && !se.endpoints().isEmpty()) {
      int subsetIndex =
          ref.rule()
              .map(dr -> dr.subsets().stream().map(Subset::name).toList().indexOf(ref.subset()))
              .orElse(-1);
      diagnostics.warning(
          ruleSubject,
          "spec.subsets[" + subsetIndex + "].labels",
          "subset \""
              + ref.subset()
              + "\" selects none of the endpoints of "
              + seSubject
              + " (labels "
              + subsetLabels
              + "), so cluster "
              + ref.name()
              + " has no endpoints and requests routed to it get"
              + " 503. Fix the subset labels or the endpoint labels.");
      if (discovery == UpstreamCluster.Discovery.LOGICAL_DNS) {
        // LOGICAL_DNS needs exactly one host; an empty STRICT_DNS cluster is valid and just as
        // empty.
        discovery = UpstreamCluster.Discovery.STRICT_DNS;
      }
    }

    Optional<ConnectionPoolSettings> pool =
        policy.connectionPool().map(EffectivePolicy.Sourced::value);
    Optional<ConnectionPoolSettings.Tcp> tcp = pool.flatMap(ConnectionPoolSettings::tcp);
    Optional<ConnectionPoolSettings.Http> http = pool.flatMap(ConnectionPoolSettings::http);

    return new UpstreamCluster(
        ref.name(),
        discovery,
        upstreamProtocol(ref.port().protocol()),
        endpoints,
        LoadBalancerPolicy.cluster(policy.loadBalancer(), ruleSubject, diagnostics),
        tcp.flatMap(ConnectionPoolSettings.Tcp::connectTimeout)
            .orElse(UpstreamCluster.DEFAULT_CONNECT_TIMEOUT),
        circuitBreakers(tcp, http),
        http.flatMap(ConnectionPoolSettings.Http::idleTimeout),
        // Istio: 0 means unlimited, which is Envoy's default when the field is unset.
        http.flatMap(ConnectionPoolSettings.Http::maxRequestsPerConnection)
            .filter(v -> v > 0)
            .map(OptionalInt::of)
            .orElse(OptionalInt.empty()),
        policy.outlierDetection().map(od -> OutlierDetectionPolicy.convert(od.value())),
        tls.resolve(ref).tls());
  }

  private UpstreamCluster.Discovery discovery(
      ClusterRef ref, ImmutableList<Endpoint> endpoints, String seSubject) {
    return switch (ref.serviceEntry().resolution()) {
      case STATIC -> UpstreamCluster.Discovery.EDS;
      case DNS -> UpstreamCluster.Discovery.STRICT_DNS;
      case DNS_ROUND_ROBIN -> UpstreamCluster.Discovery.LOGICAL_DNS;
      case NONE -> {
        if (ref.serviceEntry().endpoints().isEmpty()) {
          diagnostics.warning(
              seSubject,
              "spec.resolution",
              "resolution NONE without endpoints gives cluster "
                  + ref.name()
                  + " no endpoints: a gateway cannot forward to the address the client dialled"
                  + " (that is the gateway itself), so requests routed here get 503. Use resolution"
                  + " DNS to let the gateway resolve \""
                  + ref.host()
                  + "\".");
        }
        yield UpstreamCluster.Discovery.EDS;
      }
    };
  }

  static UpstreamCluster.UpstreamProtocol upstreamProtocol(Protocol protocol) {
    return protocol == Protocol.HTTP2 || protocol == Protocol.GRPC
        ? UpstreamCluster.UpstreamProtocol.HTTP2
        : UpstreamCluster.UpstreamProtocol.HTTP1;
  }

  private static Optional<CircuitBreakers> circuitBreakers(
      Optional<ConnectionPoolSettings.Tcp> tcp, Optional<ConnectionPoolSettings.Http> http) {
    CircuitBreakers cb =
        new CircuitBreakers(
            optionalInt(tcp.flatMap(ConnectionPoolSettings.Tcp::maxConnections)),
            optionalInt(http.flatMap(ConnectionPoolSettings.Http::http1MaxPendingRequests)),
            optionalInt(http.flatMap(ConnectionPoolSettings.Http::http2MaxRequests)),
            optionalInt(http.flatMap(ConnectionPoolSettings.Http::maxRetries)));
    boolean any =
        cb.maxConnections().isPresent()
            || cb.maxPendingRequests().isPresent()
            || cb.maxRequests().isPresent()
            || cb.maxRetries().isPresent();
    return any ? Optional.of(cb) : Optional.empty();
  }

  /** Istio reads 0 as "not set" (the unlimited default), not as "allow nothing". */
  private static OptionalInt optionalInt(Optional<Integer> value) {
    return value.filter(v -> v > 0).map(OptionalInt::of).orElse(OptionalInt.empty());
  }
}
