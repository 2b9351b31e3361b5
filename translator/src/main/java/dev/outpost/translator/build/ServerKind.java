package dev.outpost.translator.build;

/**
 * What a Gateway server does with a connection, which decides the servers it can share a port
 * (listener) with.
 */
enum ServerKind {
  /** HTTP, HTTP2, GRPC without TLS: all such servers of a port share route config http.PORT. */
  PLAINTEXT_HTTP("plaintext HTTP"),
  /** TCP without TLS: nothing tells two such servers apart, so a port has at most one. */
  PLAINTEXT_TCP("plaintext TCP"),
  /** PASSTHROUGH: routed by SNI to a destination with the client's TLS untouched. */
  TLS_PASSTHROUGH("TLS passthrough"),
  /** SIMPLE, MUTUAL, OPTIONAL_MUTUAL, ISTIO_MUTUAL: the gateway terminates TLS. */
  TLS_TERMINATED("TLS-terminating");

  private final String description;

  ServerKind(String description) {
    this.description = description;
  }

  String description() {
    return description;
  }

  /** TLS servers tell each other apart by SNI, so any number of them can share a port. */
  boolean isTls() {
    return this == TLS_PASSTHROUGH || this == TLS_TERMINATED;
  }

  /**
   * Istio's merge rule for two servers on one port (and bind): plaintext HTTP with plaintext HTTP,
   * TLS with TLS; nothing else. Envoy could put plaintext and TLS chains on one listener (match on
   * transport protocol), but Istio never does, and a config that Istio would half-ignore must not
   * quietly behave differently here.
   */
  boolean canShareWith(ServerKind other) {
    return (this == PLAINTEXT_HTTP && other == PLAINTEXT_HTTP) || (isTls() && other.isTls());
  }
}
