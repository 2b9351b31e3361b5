package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.model.RouteDestination;
import dev.outpost.translator.model.TcpRoute;
import dev.outpost.translator.model.TlsRoute;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads VirtualService {@code tls} and {@code tcp} rules. */
final class L4RouteParser {
  private L4RouteParser() {}

  static TlsRoute tls(FieldReader r, List<String> vsHosts) {
    if (r.isMissingOrEmpty("match")) {
      r.error("match", "is required: a TLS route needs at least one match with sniHosts");
    }
    ImmutableList.Builder<TlsRoute.Match> matches = ImmutableList.builder();
    for (FieldReader m : r.objects("match")) {
      if (m.isMissingOrEmpty("sniHosts")) {
        m.error("sniHosts", "is required: list the SNI host names to match");
      }
      ImmutableList<String> sni = Fields.hosts(m, "sniHosts", true);
      for (int i = 0; i < sni.size(); i++) {
        String host = sni.get(i);
        if (vsHosts.stream().noneMatch(h -> covers(h, host))) {
          m.error(
              "sniHosts[" + i + "]",
              "\""
                  + host
                  + "\" is not one of the VirtualService's hosts (or covered by a wildcard among"
                  + " them)");
        }
      }
      ImmutableList<String> subnets = Fields.ipsOrCidrs(m, "destinationSubnets");
      Optional<Integer> port = m.port("port");
      ImmutableSortedMap<String, String> sourceLabels = Fields.labels(m, "sourceLabels");
      ImmutableList<String> gateways = Fields.gatewayNames(m, "gateways");
      Optional<String> sourceNamespace = m.string("sourceNamespace");
      sourceNotSupported(m);
      m.finish();
      matches.add(new TlsRoute.Match(sni, subnets, port, sourceLabels, gateways, sourceNamespace));
    }
    ImmutableList<RouteDestination> route = routes(r);
    r.finish();
    return new TlsRoute(matches.build(), route);
  }

  static TcpRoute tcp(FieldReader r) {
    ImmutableList.Builder<TcpRoute.Match> matches = ImmutableList.builder();
    for (FieldReader m : r.objects("match")) {
      ImmutableList<String> subnets = Fields.ipsOrCidrs(m, "destinationSubnets");
      Optional<Integer> port = m.port("port");
      ImmutableSortedMap<String, String> sourceLabels = Fields.labels(m, "sourceLabels");
      ImmutableList<String> gateways = Fields.gatewayNames(m, "gateways");
      Optional<String> sourceNamespace = m.string("sourceNamespace");
      sourceNotSupported(m);
      m.finish();
      matches.add(new TcpRoute.Match(subnets, port, sourceLabels, gateways, sourceNamespace));
    }
    ImmutableList<RouteDestination> route = routes(r);
    r.finish();
    return new TcpRoute(matches.build(), route);
  }

  static void sourceNotSupported(FieldReader m) {
    for (String f : List.of("sourceLabels", "sourceNamespace")) {
      if (m.has(f)) {
        m.warning(
            f,
            "is not supported yet and is ignored: this match applies to traffic from any source");
      }
    }
  }

  private static ImmutableList<RouteDestination> routes(FieldReader r) {
    if (r.isMissingOrEmpty("route")) {
      r.error("route", "is required: list at least one destination");
    }
    ImmutableList.Builder<RouteDestination> out = ImmutableList.builder();
    List<FieldReader> readers = r.objects("route");
    int total = 0;
    for (FieldReader d : readers) {
      Optional<Integer> weight = d.nonNegative("weight");
      Optional<RouteDestination> rd =
          Fields.destination(d, "destination").map(dest -> new RouteDestination(dest, weight));
      d.finish();
      rd.ifPresent(out::add);
      total += rd.flatMap(RouteDestination::weight).orElse(0);
    }
    checkWeights(r, readers.size(), total);
    return out.build();
  }

  /** Several destinations need weights, or none would get traffic. */
  static void checkWeights(FieldReader r, int destinations, int totalWeight) {
    if (destinations > 1 && totalWeight == 0) {
      r.error(
          "route",
          "has " + destinations + " destinations but no weights; give each destination a weight");
    }
  }

  /** Whether VS host {@code vsHost} covers host {@code host} (equal, or a wildcard over it). */
  static boolean covers(String vsHost, String host) {
    if (vsHost.equals("*") || vsHost.equalsIgnoreCase(host)) {
      return true;
    }
    if (vsHost.startsWith("*.")) {
      String suffix = vsHost.substring(1).toLowerCase(Locale.ROOT);
      String h = host.startsWith("*.") ? host.substring(1) : host;
      return h.toLowerCase(Locale.ROOT).endsWith(suffix) && h.length() > suffix.length();
    }
    return false;
  }
}
