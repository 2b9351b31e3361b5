package dev.outpost.it.e2e;

import java.util.List;

/** A started Envoy: where to send traffic, where its admin is, what it printed. */
public interface RunningEnvoy extends AutoCloseable {

  /** host:port on this machine that reaches Envoy's gateway listener. */
  String listenerAddress();

  /** Base URL of Envoy's admin interface, reachable from this machine. */
  String adminUrl();

  /** Every line Envoy wrote to stdout so far (the access log goes there). */
  List<String> stdoutLines();

  @Override
  void close();
}
