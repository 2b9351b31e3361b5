package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import java.util.Locale;

/**
 * One Sidecar {@code egress[].hosts} list: which {@code namespace/dnsName} pairs a client proxy may
 * reach. The namespace is a name, {@code *} (any), {@code .} (the proxy's own) or {@code ~}
 * (none); the dnsName is exact, {@code *.suffix} or {@code *}. The namespace compared is the one
 * of the ServiceEntry, Service or VirtualService that declares the host, as in Istio. Entries
 * the parser already refused never get here.
 */
final class SidecarHosts {
  /** What no Sidecar means: every host of every namespace. */
  static final SidecarHosts EVERYTHING = new SidecarHosts(ImmutableList.of("*/*"), "");

  private final ImmutableList<String> entries;
  private final String proxyNamespace;

  SidecarHosts(ImmutableList<String> entries, String proxyNamespace) {
    this.entries = entries;
    this.proxyNamespace = proxyNamespace;
  }

  /** Whether {@code host}, declared in {@code namespace}, is listed. */
  boolean admits(String namespace, String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    for (String entry : entries) {
      int slash = entry.indexOf('/');
      if (slash < 0) {
        continue;
      }
      String ns = entry.substring(0, slash);
      String dnsName = entry.substring(slash + 1).toLowerCase(Locale.ROOT);
      if (namespaceMatches(ns, namespace) && Hosts.covers(dnsName, lower)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether some host of a VirtualService in {@code namespace} overlaps a listed name: a
   * VirtualService for {@code *.example.com} still shapes a listed {@code api.example.com}.
   */
  boolean admitsAny(String namespace, ImmutableList<String> hosts) {
    for (String entry : entries) {
      int slash = entry.indexOf('/');
      if (slash < 0 || !namespaceMatches(entry.substring(0, slash), namespace)) {
        continue;
      }
      String dnsName = entry.substring(slash + 1).toLowerCase(Locale.ROOT);
      for (String host : hosts) {
        if (Hosts.intersect(dnsName, host.toLowerCase(Locale.ROOT)).isPresent()) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean namespaceMatches(String pattern, String namespace) {
    return switch (pattern) {
      case "*" -> true;
      case "~" -> false;
      case "." -> namespace.equals(proxyNamespace);
      default -> pattern.equals(namespace);
    };
  }
}
