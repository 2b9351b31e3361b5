package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.ClientTlsSettings;
import dev.outpost.translator.model.ConnectionPoolSettings;
import dev.outpost.translator.model.LoadBalancerSettings;
import dev.outpost.translator.model.OutlierDetection;
import dev.outpost.translator.model.TrafficPolicy;
import dev.outpost.translator.model.TrafficPolicy.PortTrafficPolicy;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Reads a DestinationRule {@code trafficPolicy} (top level or per subset). */
final class TrafficPolicyParser {
  private TrafficPolicyParser() {}

  static TrafficPolicy parse(FieldReader t) {
    Optional<LoadBalancerSettings> lb = t.object("loadBalancer").map(LoadBalancerParser::parse);
    Optional<ConnectionPoolSettings> pool =
        t.object("connectionPool").map(ConnectionPoolParser::parse);
    Optional<OutlierDetection> outlier =
        t.object("outlierDetection").map(OutlierDetectionParser::parse);
    Optional<ClientTlsSettings> tls = t.object("tls").map(ClientTlsParser::parse);
    ImmutableList<PortTrafficPolicy> ports = portLevelSettings(t);
    Optional<TrafficPolicy.Tunnel> tunnel = t.object("tunnel").map(TrafficPolicyParser::tunnel);
    Optional<TrafficPolicy.ProxyProtocol> proxyProtocol =
        t.object("proxyProtocol").map(TrafficPolicyParser::proxyProtocol);
    t.notSupportedYet("tunnel", "proxyProtocol", "retryBudget");
    t.finish();
    if (tunnel.isPresent() && proxyProtocol.isPresent()) {
      t.error("tunnel", "cannot be combined with proxyProtocol");
    }
    return new TrafficPolicy(lb, pool, outlier, tls, ports, tunnel, proxyProtocol);
  }

  private static ImmutableList<PortTrafficPolicy> portLevelSettings(FieldReader t) {
    ImmutableList.Builder<PortTrafficPolicy> out = ImmutableList.builder();
    Set<Integer> seen = new HashSet<>();
    for (FieldReader p : t.objects("portLevelSettings")) {
      if (!p.has("port")) {
        p.error(
            "port", "is required: portLevelSettings apply to one port, e.g. port: {number: 443}");
      }
      Optional<Integer> port = p.object("port").flatMap(Fields::portNumber);
      port.filter(n -> !seen.add(n))
          .ifPresent(n -> p.error("port", "port " + n + " has settings twice; merge them"));
      Optional<LoadBalancerSettings> lb = p.object("loadBalancer").map(LoadBalancerParser::parse);
      Optional<ConnectionPoolSettings> pool =
          p.object("connectionPool").map(ConnectionPoolParser::parse);
      Optional<OutlierDetection> outlier =
          p.object("outlierDetection").map(OutlierDetectionParser::parse);
      Optional<ClientTlsSettings> tls = p.object("tls").map(ClientTlsParser::parse);
      p.finish();
      out.add(new PortTrafficPolicy(port.orElse(0), lb, pool, outlier, tls));
    }
    return out.build();
  }

  private static TrafficPolicy.Tunnel tunnel(FieldReader t) {
    String protocol = t.string("protocol").orElse("CONNECT");
    if (!protocol.equals("CONNECT") && !protocol.equals("POST")) {
      t.error("protocol", "\"" + protocol + "\" must be CONNECT or POST");
    }
    String host = t.requiredString("targetHost");
    if (!host.isEmpty() && !AddressValidator.isIp(host)) {
      HostValidator.checkConcreteHost(host).ifPresent(msg -> t.error("targetHost", msg));
    }
    Optional<Integer> port = t.port("targetPort");
    if (!t.has("targetPort")) {
      t.error("targetPort", "is required");
    }
    t.finish();
    return new TrafficPolicy.Tunnel(protocol, host, port.orElse(0));
  }

  private static TrafficPolicy.ProxyProtocol proxyProtocol(FieldReader p) {
    TrafficPolicy.ProxyProtocol.Version v =
        p.enumValue("version", TrafficPolicy.ProxyProtocol.Version.class)
            .orElse(TrafficPolicy.ProxyProtocol.Version.V1);
    p.finish();
    return new TrafficPolicy.ProxyProtocol(v);
  }
}
