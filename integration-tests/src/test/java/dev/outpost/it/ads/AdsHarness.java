package dev.outpost.it.ads;

import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServingOptions;
import dev.outpost.server.xds.ProxyLimits;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.model.ConfigSnapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import com.google.common.collect.ImmutableList;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import dev.outpost.server.xds.MeshSecretSupplier;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A real Outpost server on ephemeral loopback ports whose translator and gate the test controls:
 * set {@link #resources}, call {@link #republish()}, and the publishing layer does the rest exactly
 * as in production.
 */
final class AdsHarness implements AutoCloseable {
  final AtomicReference<Function<ProxyIdentity, EnvoyResources>> resources = new AtomicReference<>();
  final AtomicReference<CheckResult> gateResult = new AtomicReference<>(CheckResult.OK);
  final AtomicInteger translations = new AtomicInteger();
  final OutpostServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  AdsHarness(EnvoyResources initial) throws IOException {
    this(initial, Clock.systemUTC(), MeshSecretSupplier.NONE, Duration.ZERO);
  }

  /** With caps on groups and streams per peer other than the defaults. */
  AdsHarness(EnvoyResources initial, ProxyLimits limits) throws IOException {
    this(initial, Clock.systemUTC(), MeshSecretSupplier.NONE, Duration.ZERO, limits);
  }

  /** With mesh secrets, renewed every {@code renewalCheck} on the server's scheduler. */
  AdsHarness(EnvoyResources initial, Clock clock, MeshSecretSupplier meshSecrets, Duration renewalCheck) throws IOException {
    this(initial, clock, meshSecrets, renewalCheck, ProxyLimits.DEFAULTS);
  }

  private AdsHarness(
      EnvoyResources initial, Clock clock, MeshSecretSupplier meshSecrets, Duration renewalCheck, ProxyLimits limits)
      throws IOException {
    resources.set(proxy -> initial);
    server =
        OutpostServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", 0),
            (config, proxy) -> {
              translations.incrementAndGet();
              return new Translation(resources.get().apply(proxy), ImmutableList.of());
            },
            r -> gateResult.get(),
            clock,
            meshSecrets,
            renewalCheck,
            ServingOptions.FILE.withLimits(limits));
    server.publisher().updateConfig(ConfigSnapshot.EMPTY);
  }

  void serve(EnvoyResources next) {
    resources.set(proxy -> next);
    republish();
  }

  /** What a config source does after a change: hand the publisher a new config snapshot. */
  void republish() {
    server.publisher().updateConfig(ConfigSnapshot.EMPTY);
  }

  SotwClient sotw(Node node) {
    return new SotwClient(server.xdsPort(), node);
  }

  DeltaClient delta(Node node) {
    return new DeltaClient(server.xdsPort(), node);
  }

  String admin(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  static Node gatewayNode(String id, Map<String, String> labels) {
    Struct.Builder labelStruct = Struct.newBuilder();
    labels.forEach((k, v) -> labelStruct.putFields(k, Value.newBuilder().setStringValue(v).build()));
    return Node.newBuilder()
        .setId(id)
        .setCluster("istio-egressgateway")
        .setMetadata(
            Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue("istio-system").build())
                .putFields("ROLE", Value.newBuilder().setStringValue("gateway").build())
                .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue("istio-egressgateway").build())
                .putFields("LABELS", Value.newBuilder().setStructValue(labelStruct).build()))
        .build();
  }

  @Override
  public void close() {
    server.close();
  }
}
