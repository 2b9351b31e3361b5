package dev.outpost.translator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvoyTypeRegistryTest {
  private static final String PREFIX = "type.googleapis.com/";

  @Test
  void printsAListenerWithItsAnysResolvedAndParsesItBack() throws Exception {
    Listener listener = SnapshotFixtures.httpListener(SnapshotFixtures.hcm().build());

    String json = JsonFormat.printer().usingTypeRegistry(EnvoyTypeRegistry.get()).print(listener);

    assertTrue(
        json.contains(
            "\"@type\": \"type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager\""),
        json);
    assertTrue(json.contains("\"@type\": \"type.googleapis.com/envoy.extensions.filters.http.router.v3.Router\""), json);
    assertTrue(json.contains("\"@type\": \"type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog\""), json);
    assertTrue(json.contains("\"upstream_cluster\": \"%UPSTREAM_CLUSTER%\""), json);

    Listener.Builder parsed = Listener.newBuilder();
    JsonFormat.parser().usingTypeRegistry(EnvoyTypeRegistry.get()).merge(json, parsed);
    assertEquals(listener, parsed.build());
  }

  @Test
  void knowsTheExtensionsOutpostEmits() {
    List<Class<? extends Message>> extensions =
        List.of(
            HttpConnectionManager.class,
            Router.class,
            HTTPFault.class,
            TcpProxy.class,
            UpstreamTlsContext.class,
            DownstreamTlsContext.class,
            FileAccessLog.class,
            StdoutAccessLog.class);
    for (Class<? extends Message> extension : extensions) {
      String typeUrl = PREFIX + descriptorOf(extension).getFullName();
      assertSame(
          descriptorOf(extension),
          EnvoyTypeRegistry.descriptorForTypeUrl(typeUrl).orElseThrow(() -> new AssertionError(typeUrl)));
      assertEquals(Optional.of(extension), EnvoyTypeRegistry.messageClassForTypeUrl(typeUrl));
    }
  }

  @Test
  void unknownTypesAreEmpty() {
    assertEquals(Optional.empty(), EnvoyTypeRegistry.descriptorForTypeUrl(PREFIX + "example.Nope"));
    assertEquals(Optional.empty(), EnvoyTypeRegistry.messageClassForTypeUrl(PREFIX + "example.Nope"));
    assertEquals(Optional.empty(), EnvoyTypeRegistry.messageClassForTypeUrl(""));
  }

  @Test
  void onlyTheLastPathSegmentOfATypeUrlCounts() {
    assertEquals(
        Optional.of(Router.class),
        EnvoyTypeRegistry.messageClassForTypeUrl("example.com/any/prefix/envoy.extensions.filters.http.router.v3.Router"));
  }

  /** Proves the class naming rules on every file: envoy, xds, udpa and what they import. */
  @Test
  void everyKnownMessageHasItsGeneratedClass() {
    List<String> failures = new ArrayList<>();
    int envoyMessages = 0;
    for (String name : EnvoyTypeRegistry.knownMessageNames()) {
      envoyMessages += name.startsWith("envoy.") ? 1 : 0;
      try {
        if (EnvoyTypeRegistry.messageClassForTypeUrl(PREFIX + name).isEmpty()) {
          failures.add(name + ": no class");
        }
      } catch (IllegalStateException e) {
        failures.add(name + ": " + e.getMessage());
      }
    }
    assertEquals(List.of(), failures);
    // java-control-plane 1.0.49 holds 1657 envoy.* message classes (count of their Builders).
    assertTrue(envoyMessages > 1600, "only " + envoyMessages + " envoy.* messages found");
  }

  /**
   * pgv-java-stub carries a protobuf-4 build of this class that breaks every Envoy message under
   * protobuf-java 3.25 if it wins on the class path (proto/README.md).
   */
  @Test
  void validateOptionsComeFromTheApiJar() {
    assertEquals(
        Listener.class.getProtectionDomain().getCodeSource().getLocation(),
        io.envoyproxy.pgv.validate.Validate.class.getProtectionDomain().getCodeSource().getLocation());
  }

  private static com.google.protobuf.Descriptors.Descriptor descriptorOf(Class<? extends Message> type) {
    try {
      return (com.google.protobuf.Descriptors.Descriptor) type.getMethod("getDescriptor").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
