package dev.outpost.server.xds;

import com.google.common.collect.ImmutableList;
import dev.outpost.server.metrics.Metrics;
import dev.outpost.translator.api.ProxyIdentity;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.Collection;
import java.util.Set;

/**
 * Where a proxy group's mesh secrets ({@code default}, {@code ROOTCA}; see {@code
 * api.MeshSecrets}) come from: the translator only references them, the server's mesh CA fills
 * them in per identity. The publisher asks for exactly the names the group's config references.
 */
public interface MeshSecretSupplier {
  /** No mesh CA: a config that references mesh secrets fails the gate and is not published. */
  MeshSecretSupplier NONE = (proxy, names) -> ImmutableList.of();

  /**
   * The Secret resources named {@code names} (a subset of {@code MeshSecrets.NAMES}) for {@code
   * proxy}. Returns the same resources for as long as they are fresh, so that re-translating
   * unchanged input pushes nothing.
   *
   * @throws Unavailable if they cannot be issued (e.g. the CA expired); the group keeps its last
   *     good snapshot
   */
  ImmutableList<Secret> secretsFor(ProxyIdentity proxy, Set<String> names);

  /** Registers its numbers (certificates issued, CA expiry) with the server's metrics. */
  default void reportTo(Metrics metrics) {}

  /** Forgets what was issued for identities other than these (their groups are gone). */
  default void retainOnly(Collection<ProxyIdentity> proxies) {}

  /** Mesh secrets cannot be supplied; the message says why and what to do. */
  final class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
