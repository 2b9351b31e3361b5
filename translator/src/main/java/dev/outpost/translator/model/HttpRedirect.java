package dev.outpost.translator.model;

import java.util.Optional;

/**
 * {@code http[].redirect}: answer with a redirect instead of forwarding.
 *
 * @param port redirect to this port (exclusive with {@code derivePort})
 * @param derivePort derive the port from the request scheme or port
 * @param redirectCode 301 (Istio's default when absent), 302, 303, 307 or 308
 */
public record HttpRedirect(
    Optional<String> uri,
    Optional<String> authority,
    Optional<Integer> port,
    Optional<DerivePort> derivePort,
    Optional<String> scheme,
    Optional<Integer> redirectCode) {

  /** {@code redirect.derivePort}. */
  public enum DerivePort {
    FROM_PROTOCOL_DEFAULT,
    FROM_REQUEST_PORT
  }
}
