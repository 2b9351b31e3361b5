package dev.outpost.translator.model;

import java.util.Locale;
import java.util.Optional;

/**
 * The port protocols Istio understands ({@code protocol.Parse} in Istio). Parsing is
 * case-insensitive, as in Istio; {@link #wireName()} is the spelling Istio documents.
 */
public enum Protocol {
  HTTP("HTTP"),
  HTTPS("HTTPS"),
  GRPC("GRPC"),
  GRPC_WEB("GRPC-WEB"),
  HTTP2("HTTP2"),
  HTTP_PROXY("HTTP_PROXY"),
  MONGO("MONGO"),
  REDIS("REDIS"),
  MYSQL("MYSQL"),
  TCP("TCP"),
  TLS("TLS"),
  UDP("UDP");

  private final String wireName;

  Protocol(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** True for the protocols whose traffic Envoy handles with the HTTP connection manager. */
  public boolean isHttp() {
    return this == HTTP || this == HTTP2 || this == GRPC || this == GRPC_WEB || this == HTTP_PROXY;
  }

  /** Parses a protocol name case-insensitively; empty when Istio would not recognise it. */
  public static Optional<Protocol> parse(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    for (Protocol p : values()) {
      if (p.wireName.equals(upper)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
