package dev.outpost.it.source;

import com.google.common.hash.Hashing;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.outpost.it.ads.DeltaClient;
import dev.outpost.it.ads.SotwClient;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a SotW proxy and a delta proxy currently hold, as Envoy would: each response is applied
 * (SotW replaces the type's set, delta adds, updates and removes) and ACKed. A resource is recorded
 * by name with a hash of its bytes, so "unchanged" means byte for byte.
 */
final class Streams {
  static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  static final String SDS = Resources.V3.SECRET_TYPE_URL;
  private static final List<String> TYPES = List.of(CDS, LDS, RDS, SDS);

  private final SotwClient sotw;
  private final DeltaClient delta;
  private final Map<String, List<String>> names;
  private final Map<String, Map<String, String>> sotwHeld = new TreeMap<>();
  private final Map<String, Map<String, String>> deltaHeld = new TreeMap<>();

  Streams(SotwClient sotw, DeltaClient delta, List<String> routeNames, List<String> secretNames) {
    this.sotw = sotw;
    this.delta = delta;
    this.names = Map.of(CDS, List.of(), LDS, List.of(), RDS, routeNames, SDS, secretNames);
    TYPES.forEach(t -> {
      sotwHeld.put(t, new TreeMap<>());
      deltaHeld.put(t, new TreeMap<>());
    });
  }

  /** Subscribes both proxies to every type and waits for the first response of each. */
  void subscribe() throws Exception {
    for (String type : TYPES) {
      sotw.request(type, names.get(type));
      delta.subscribe(type, names.get(type), Map.of());
    }
    for (String type : TYPES) {
      apply(sotw.await(type));
      apply(delta.await(type));
    }
  }

  /** Takes in every response that arrives until {@code quiet} passes without one. */
  void settle(Duration quiet) throws Exception {
    boolean any = true;
    while (any) {
      any = false;
      for (String type : TYPES) {
        long wait = quiet.toMillis() / TYPES.size();
        DiscoveryResponse s = sotw.poll(type, wait);
        if (s != null) {
          apply(s);
          any = true;
        }
        DeltaDiscoveryResponse d = delta.poll(type, 0);
        if (d != null) {
          apply(d);
          any = true;
        }
      }
    }
  }

  boolean bothServe(String type, String name) {
    settleUnchecked();
    return sotwHeld.get(type).containsKey(name) && deltaHeld.get(type).containsKey(name);
  }

  boolean neitherServes(String type, String name) {
    settleUnchecked();
    return !sotwHeld.get(type).containsKey(name) && !deltaHeld.get(type).containsKey(name);
  }

  private void settleUnchecked() {
    try {
      settle(Duration.ofMillis(40));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Map<String, Map<String, String>> served() {
    return copy(sotwHeld);
  }

  Map<String, Map<String, String>> deltaServed() {
    return copy(deltaHeld);
  }

  private void apply(DiscoveryResponse response) throws InvalidProtocolBufferException {
    Map<String, String> held = new TreeMap<>();
    for (Any any : response.getResourcesList()) {
      held.put(name(response.getTypeUrl(), any), hash(any));
    }
    sotwHeld.put(response.getTypeUrl(), held);
    sotw.ack(response, names.get(response.getTypeUrl()));
  }

  private void apply(DeltaDiscoveryResponse response) {
    Map<String, String> held = deltaHeld.get(response.getTypeUrl());
    for (Resource resource : response.getResourcesList()) {
      held.put(resource.getName(), hash(resource.getResource()));
    }
    response.getRemovedResourcesList().forEach(held::remove);
    delta.ack(response);
  }

  private static String name(String type, Any any) throws InvalidProtocolBufferException {
    if (type.equals(CDS)) {
      return any.unpack(Cluster.class).getName();
    }
    if (type.equals(LDS)) {
      return any.unpack(Listener.class).getName();
    }
    if (type.equals(RDS)) {
      return any.unpack(RouteConfiguration.class).getName();
    }
    return any.unpack(Secret.class).getName();
  }

  private static String hash(Any any) {
    return Hashing.sha256().hashBytes(any.toByteArray()).toString().substring(0, 16);
  }

  private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> held) {
    Map<String, Map<String, String>> out = new TreeMap<>();
    held.forEach((type, resources) -> out.put(type, Map.copyOf(resources)));
    return out;
  }
}
