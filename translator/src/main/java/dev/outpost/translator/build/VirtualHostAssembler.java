package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.Route;
import dev.outpost.translator.ir.VirtualHost;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.VirtualService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the virtual hosts of one port: each VirtualService bound to a server's Gateway contributes
 * its routes to the hosts where its hosts and the server's hosts intersect (the more specific of
 * the two names the virtual host). VirtualServices for the same host are merged in namespace/name
 * order, as Istio merges them on gateways. Every server host that no VirtualService fills gets an
 * empty virtual host, so Envoy answers 404 for it.
 */
final class VirtualHostAssembler {
  private final RouteConverter routes;

  VirtualHostAssembler(RouteConverter routes) {
    this.routes = routes;
  }

  /** Which VirtualService hosts found a server, to report the ones that did not. */
  record HostUse(VirtualService vs, int hostIndex) {
    /**
     * Consistent with the record's equals (equal VirtualServices have equal names), without
     * hashing the whole VirtualService, routes and all, for every host of every one of them.
     */
    @Override
    public int hashCode() {
      return Objects.hash(vs.metadata().namespace(), vs.metadata().name(), hostIndex);
    }
  }

  ImmutableList<VirtualHost> assemble(
      PortAssembler.PortPlan port,
      ImmutableList<VirtualService> virtualServices,
      Set<HostUse> usedHosts) {
    Map<String, List<Route>> byHost = new LinkedHashMap<>();
    // httpsRedirect is per server; a virtual host redirects only if every server that gave it a
    // host redirects, so a redirecting wildcard server cannot take over another server's host.
    Set<String> redirected = new HashSet<>();
    Set<String> routed = new HashSet<>();
    Set<String> contributed =
        new HashSet<>(); // host + VS key: one VS adds its routes to a host once
    Map<String, ImmutableList<Route>> converted = new HashMap<>(); // VS key + gateway: convert once

    for (BoundServer server : port.servers()) {
      String gatewayKey = server.gatewayKey(); // once per server, not per VirtualService
      for (VirtualService vs : virtualServices) {
        if (!bindsTo(vs, gatewayKey)) {
          continue;
        }
        String vsKey = Subjects.key(vs.metadata());
        for (ServerHost serverHost : server.hosts()) {
          if (!serverHost.admitsNamespace(vs.metadata().namespace())) {
            continue;
          }
          for (int h = 0; h < vs.hosts().size(); h++) {
            // Lower case, like the server hosts: Envoy compares domains case-insensitively.
            String vsHost =
                Hosts.qualify(vs.hosts().get(h), vs.metadata().namespace())
                    .toLowerCase(Locale.ROOT);
            Optional<String> host = Hosts.intersect(serverHost.host(), vsHost);
            if (host.isEmpty()) {
              continue;
            }
            usedHosts.add(new HostUse(vs, h));
            if (server.httpsRedirect()) {
              // Every plaintext request is answered with the redirect: converting the routes
              // would only reference clusters and report rules that can never apply here.
              redirected.add(host.get());
              byHost.computeIfAbsent(host.get(), k -> new ArrayList<>());
              continue;
            }
            routed.add(host.get());
            if (!contributed.add(host.get() + "\n" + vsKey)) {
              continue;
            }
            ImmutableList<Route> vsRoutes =
                converted.computeIfAbsent(
                    vsKey + "\n" + server.gatewayKey(),
                    k -> routes.convert(vs, server.gatewayKey(), port.number()));
            byHost.computeIfAbsent(host.get(), k -> new ArrayList<>()).addAll(vsRoutes);
          }
        }
      }
    }
    for (BoundServer server : port.servers()) {
      for (ServerHost serverHost : server.hosts()) {
        byHost.putIfAbsent(serverHost.host(), new ArrayList<>());
        (server.httpsRedirect() ? redirected : routed).add(serverHost.host());
      }
    }
    ImmutableList.Builder<VirtualHost> out = ImmutableList.builder();
    byHost.forEach(
        (host, list) ->
            out.add(
                new VirtualHost(
                    host, port.number(), catchAllsLast(list),
                    redirected.contains(host) && !routed.contains(host))));
    return out.build();
  }

  /**
   * Istio's merge of several VirtualServices into one virtual host: catch-all routes move behind
   * the others, which keep their order, so one VirtualService's {@code /} does not hide another's
   * {@code /api}.
   */
  static ImmutableList<Route> catchAllsLast(List<Route> routes) {
    ImmutableList.Builder<Route> out = ImmutableList.builder();
    List<Route> catchAlls = new ArrayList<>();
    for (Route route : routes) {
      if (route.match().isCatchAll()) {
        catchAlls.add(route);
      } else {
        out.add(route);
      }
    }
    return out.addAll(catchAlls).build();
  }

  static boolean bindsTo(VirtualService vs, Gateway gateway) {
    return bindsTo(vs, Subjects.key(gateway.metadata()));
  }

  /** Whether one of the VirtualService's gateways resolves to {@code gatewayKey} (ns/name). */
  private static boolean bindsTo(VirtualService vs, String gatewayKey) {
    for (String reference : vs.gateways()) {
      if (GatewayNames.resolve(reference, vs.metadata().namespace()).equals(gatewayKey)) {
        return true;
      }
    }
    return false;
  }
}
