package dev.outpost.translator.parse;

import dev.outpost.translator.model.ConnectionPoolSettings;
import dev.outpost.translator.model.ConnectionPoolSettings.H2UpgradePolicy;
import java.util.Optional;

/** Reads {@code trafficPolicy.connectionPool}, with Istio's limits. */
final class ConnectionPoolParser {
  private ConnectionPoolParser() {}

  static ConnectionPoolSettings parse(FieldReader r) {
    Optional<ConnectionPoolSettings.Tcp> tcp = r.object("tcp").map(ConnectionPoolParser::tcp);
    Optional<ConnectionPoolSettings.Http> http = r.object("http").map(ConnectionPoolParser::http);
    r.finish();
    if (!r.has("tcp") && !r.has("http")) {
      r.findings().error(r.path(), "must set tcp and/or http");
    }
    return new ConnectionPoolSettings(tcp, http);
  }

  private static ConnectionPoolSettings.Tcp tcp(FieldReader t) {
    var maxConnections = t.nonNegative("maxConnections");
    var connectTimeout = t.duration("connectTimeout", DurationRule.AT_LEAST_1MS);
    Optional<ConnectionPoolSettings.TcpKeepalive> keepalive =
        t.object("tcpKeepalive")
            .map(
                k -> {
                  var probes = k.nonNegative("probes");
                  var time = k.duration("time", DurationRule.AT_LEAST_1MS);
                  var interval = k.duration("interval", DurationRule.AT_LEAST_1MS);
                  k.finish();
                  return new ConnectionPoolSettings.TcpKeepalive(probes, time, interval);
                });
    var maxConnectionDuration = t.duration("maxConnectionDuration", DurationRule.AT_LEAST_1MS);
    var idleTimeout = t.duration("idleTimeout", DurationRule.AT_LEAST_1MS);
    t.finish();
    return new ConnectionPoolSettings.Tcp(
        maxConnections, connectTimeout, keepalive, maxConnectionDuration, idleTimeout);
  }

  private static ConnectionPoolSettings.Http http(FieldReader h) {
    var pending = h.nonNegative("http1MaxPendingRequests");
    var http2 = h.nonNegative("http2MaxRequests");
    var perConnection = h.nonNegative("maxRequestsPerConnection");
    var retries = h.nonNegative("maxRetries");
    var idleTimeout = h.duration("idleTimeout", DurationRule.AT_LEAST_1MS);
    var upgrade = h.enumValue("h2UpgradePolicy", H2UpgradePolicy.class);
    var clientProtocol = h.bool("useClientProtocol");
    var streams = h.nonNegative("maxConcurrentStreams");
    h.finish();
    if (upgrade.filter(u -> u == H2UpgradePolicy.UPGRADE).isPresent()
        && clientProtocol.orElse(false)) {
      h.error("useClientProtocol", "cannot be true when h2UpgradePolicy is UPGRADE");
    }
    return new ConnectionPoolSettings.Http(
        pending, http2, perConnection, retries, idleTimeout, upgrade, clientProtocol, streams);
  }
}
