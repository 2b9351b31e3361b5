package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.VirtualService;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Istio's rules for which VirtualService {@code tls}/{@code tcp} rules reach a server: the
 * VirtualService is bound to the server's Gateway, one of its hosts meets one of the server's hosts
 * (whose namespace part admits the VirtualService), and a match entry's {@code port} and {@code
 * gateways} (if given) name this server's port and Gateway.
 */
final class L4Binding {
  private L4Binding() {}

  /**
   * Whether a host of {@code vs} meets a host of {@code server}; the VirtualService hosts that do
   * are recorded as used, so they are not reported as unexposed.
   */
  static boolean reaches(
      VirtualService vs, BoundServer server, Set<VirtualHostAssembler.HostUse> usedHosts) {
    if (!VirtualHostAssembler.bindsTo(vs, server.gateway())) {
      return false;
    }
    boolean any = false;
    for (int h = 0; h < vs.hosts().size(); h++) {
      String vsHost =
          Hosts.qualify(vs.hosts().get(h), vs.metadata().namespace()).toLowerCase(Locale.ROOT);
      for (ServerHost serverHost : server.hosts()) {
        if (serverHost.admitsNamespace(vs.metadata().namespace())
            && Hosts.intersect(serverHost.host(), vsHost).isPresent()) {
          usedHosts.add(new VirtualHostAssembler.HostUse(vs, h));
          any = true;
          break;
        }
      }
    }
    return any;
  }

  /** How the use of a VirtualService's {@code tls} or {@code tcp} rules is recorded. */
  static String useKey(VirtualService vs, String rules) {
    return Subjects.key(vs.metadata()) + " " + rules;
  }

  /** {@code match.port} and {@code match.gateways} of one match entry, against this server. */
  static boolean applies(
      Optional<Integer> port,
      ImmutableList<String> gateways,
      BoundServer server,
      String vsNamespace) {
    if (port.isPresent() && port.get() != server.port()) {
      return false;
    }
    return gateways.isEmpty()
        || gateways.stream()
            .anyMatch(g -> GatewayNames.resolve(g, vsNamespace).equals(server.gatewayKey()));
  }

  /**
   * The SNI name a {@code sniHosts} entry gives on this server: the more specific of the entry and
   * a server host that admits the VirtualService's namespace, or empty if none covers it.
   */
  static Optional<String> sniOnServer(String sniHost, BoundServer server, String vsNamespace) {
    String sni = sniHost.toLowerCase(Locale.ROOT);
    for (ServerHost serverHost : server.hosts()) {
      if (serverHost.admitsNamespace(vsNamespace)) {
        Optional<String> meet = Hosts.intersect(serverHost.host(), sni);
        if (meet.isPresent()) {
          return meet;
        }
      }
    }
    return Optional.empty();
  }
}
