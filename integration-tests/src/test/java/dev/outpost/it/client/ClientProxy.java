package dev.outpost.it.client;

import dev.outpost.it.e2e.AccessLog;
import dev.outpost.it.e2e.RunningEnvoy;

/** A running client proxy: its HTTP proxy listener, as the test's application reaches it, and its access log. */
public record ClientProxy(RunningEnvoy envoy) implements AutoCloseable {

  /** host:port of the HTTP proxy listener, for {@code http_proxy}. */
  public String proxyAddress() {
    return envoy.listenerAddress();
  }

  public AccessLog log() {
    return AccessLog.of(envoy);
  }

  @Override
  public void close() {
    envoy.close();
  }
}
