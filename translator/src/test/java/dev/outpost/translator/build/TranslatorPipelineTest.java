package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.Translator;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.TranslationContext;
import java.time.Instant;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.ir.RouteAction;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.Destination;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.HttpDirectResponse;
import dev.outpost.translator.model.HttpMatchRequest;
import dev.outpost.translator.model.HttpRoute;
import dev.outpost.translator.model.HttpRouteDestination;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.Server;
import dev.outpost.translator.model.ServiceEntry;
import dev.outpost.translator.model.VirtualService;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The whole translator on hand-built model objects (independent of the parser): the Istio egress
 * guide's HTTP case, scoping, and dropped invalid destinations.
 */
class TranslatorPipelineTest {
  private static final TranslationContext NOW =
      TranslationContext.at(Instant.parse("2026-06-01T00:00:00Z"));

  private static final ProxyIdentity GATEWAY =
      ProxyIdentity.of(
          "egress-1", ProxyRole.GATEWAY, "istio-system", "sa", Map.of("istio", "egressgateway"));

  static ObjectMeta meta(String namespace, String name) {
    return new ObjectMeta(
        name, namespace, ImmutableSortedMap.of(), ImmutableSortedMap.of(), "test");
  }

  static ServiceEntry dnsEntry(String namespace, String name, String host, int... ports) {
    ImmutableList.Builder<Port> list = ImmutableList.builder();
    for (int p : ports) {
      list.add(new Port(p, Protocol.HTTP, "http-" + p, Optional.empty()));
    }
    return new ServiceEntry(
        meta(namespace, name),
        ImmutableList.of(host),
        ImmutableList.of(),
        list.build(),
        ServiceEntry.Location.MESH_EXTERNAL,
        ServiceEntry.Resolution.DNS,
        ImmutableList.of(),
        Optional.empty(),
        ImmutableList.of(),
        ImmutableList.of(),
        ServiceEntry.Source.SERVICE_ENTRY);
  }

  static Gateway gateway(String namespace, String name, int port, String... hosts) {
    Server server =
        new Server(
            new Port(port, Protocol.HTTP, "http", Optional.empty()),
            Optional.empty(),
            ImmutableList.copyOf(hosts),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    return new Gateway(
        meta(namespace, name),
        ImmutableSortedMap.of("istio", "egressgateway"),
        ImmutableList.of(server));
  }

  static HttpRoute route(
      ImmutableList<HttpMatchRequest> match, HttpRouteDestination... destinations) {
    return new HttpRoute(
        Optional.empty(),
        match,
        ImmutableList.copyOf(destinations),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        ImmutableList.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  static HttpMatchRequest matchGatewayPort(String gateway, int port) {
    return new HttpMatchRequest(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        ImmutableSortedMap.of(),
        ImmutableSortedMap.of(),
        ImmutableSortedMap.of(),
        Optional.of(port),
        ImmutableSortedMap.of(),
        ImmutableList.of(gateway),
        false,
        Optional.empty());
  }

  static HttpRouteDestination to(String host, Integer port, Integer weight) {
    return new HttpRouteDestination(
        new Destination(host, Optional.empty(), Optional.ofNullable(port)),
        Optional.ofNullable(weight),
        Optional.empty());
  }

  static VirtualService vs(
      String namespace, String name, List<String> hosts, List<String> gateways, HttpRoute... http) {
    return new VirtualService(
        meta(namespace, name),
        ImmutableList.copyOf(hosts),
        ImmutableList.copyOf(gateways),
        ImmutableList.of(),
        ImmutableList.copyOf(http),
        ImmutableList.of(),
        ImmutableList.of());
  }

  static ConfigSnapshot snapshot(
      List<ServiceEntry> ses, List<Gateway> gws, List<VirtualService> vss) {
    return new ConfigSnapshot(
        ImmutableList.copyOf(ses),
        ImmutableList.copyOf(gws),
        ImmutableList.copyOf(vss),
        ImmutableList.of(),
        ImmutableList.of(),
        ImmutableList.of());
  }

  @Test
  void egressGuideHttpCase() {
    ConfigSnapshot snapshot =
        snapshot(
            List.of(
                dnsEntry("default", "cnn", "edition.cnn.com", 80, 443),
                dnsEntry("default", "unused", "unused.com", 80)),
            List.of(gateway("default", "istio-egressgateway", 80, "edition.cnn.com")),
            List.of(
                vs(
                    "default",
                    "direct-cnn",
                    List.of("edition.cnn.com"),
                    List.of("istio-egressgateway", "mesh"),
                    route(
                        ImmutableList.of(matchGatewayPort("mesh", 80)),
                        to("istio-egressgateway.istio-system.svc.cluster.local", 80, 100)),
                    route(
                        ImmutableList.of(matchGatewayPort("istio-egressgateway", 80)),
                        to("edition.cnn.com", 80, 100)))));

    Translation t = new Translator().translate(snapshot, GATEWAY, NOW);

    assertEquals(List.of(), t.diagnostics());
    assertEquals("0.0.0.0_80", t.resources().listeners().get(0).getName());
    var vhosts = t.resources().routes().get(0).getVirtualHostsList();
    assertEquals(1, vhosts.size());
    assertEquals("edition.cnn.com:80", vhosts.get(0).getName());
    assertEquals(
        1, vhosts.get(0).getRoutesCount(), "the mesh-only route does not reach the gateway");
    assertEquals(
        "outbound|80||edition.cnn.com", vhosts.get(0).getRoutes(0).getRoute().getCluster());
    assertEquals(
        List.of("BlackHoleCluster", "outbound|80||edition.cnn.com"),
        t.resources().clusters().stream().map(Cluster::getName).toList(),
        "only referenced clusters (and the black hole) are emitted");
    assertEquals(Cluster.DiscoveryType.STRICT_DNS, t.resources().clusters().get(1).getType());
  }

  @Test
  void invalidDestinationIsDroppedAndReported() {
    ConfigSnapshot snapshot =
        snapshot(
            List.of(dnsEntry("istio-system", "api", "api.example.com", 80, 8080)),
            List.of(gateway("istio-system", "egress", 80, "api.example.com")),
            List.of(
                vs(
                    "istio-system",
                    "api",
                    List.of("api.example.com"),
                    List.of("egress"),
                    // The rule without a match comes last: a catch-all ends the routes.
                    route(ImmutableList.of(), to("api.example.com", null, null)),
                    route(
                        ImmutableList.of(),
                        to("api.example.com", 80, 50),
                        to("nowhere.example.com", 80, 50)))));

    Translation t = new Translator().translate(snapshot, GATEWAY, NOW);

    var routes = t.resources().routes().get(0).getVirtualHosts(0).getRoutesList();
    assertEquals(1, routes.size(), "the rule without a usable destination is dropped");
    assertEquals("outbound|80||api.example.com", routes.get(0).getRoute().getCluster());
    List<String> fields = t.diagnostics().stream().map(Diagnostic::field).toList();
    assertTrue(fields.contains("spec.http[1].route[1].destination.host"), fields.toString());
    assertTrue(fields.contains("spec.http[0].route[0].destination.port"), fields.toString());
    assertTrue(t.hasErrors());
  }

  @Test
  void clientProxiesGetOnlyTheirHttpProxyListenerWhateverTheGatewaysSelect() {
    ConfigSnapshot snapshot =
        snapshot(List.of(), List.of(gateway("istio-system", "egress", 80, "a.com")), List.of());
    ProxyIdentity client =
        ProxyIdentity.of(
            "c", ProxyRole.CLIENT, "istio-system", "sa", Map.of("istio", "egressgateway"));
    Translation t = new Translator().translate(snapshot, client, NOW);
    assertEquals(
        List.of("127.0.0.1_15080"),
        t.resources().listeners().stream().map(l -> l.getName()).toList());
    assertEquals(
        List.of("BlackHoleCluster"),
        t.resources().clusters().stream().map(Cluster::getName).toList());
  }

  static HttpRoute directResponse(int status, String body) {
    return new HttpRoute(
        Optional.empty(),
        ImmutableList.of(),
        ImmutableList.of(),
        Optional.empty(),
        Optional.of(
            new HttpDirectResponse(
                status,
                Optional.of(new HttpDirectResponse.Body(Optional.of(body), Optional.empty())))),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        ImmutableList.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Envoy's default limit for a direct response body is 4 KiB and a larger one makes it reject the
   * whole route config; the route config raises the limit to Istio's 1 MiB, and a body above that
   * is refused by the translator instead.
   */
  @Test
  void directResponseBodyLimit() {
    int max = RouteAction.DirectResponse.MAX_BODY_BYTES;
    ConfigSnapshot snapshot =
        snapshot(
            List.of(),
            List.of(gateway("istio-system", "egress", 80, "a.example.com", "b.example.com")),
            List.of(
                vs(
                    "istio-system",
                    "a",
                    List.of("a.example.com"),
                    List.of("egress"),
                    directResponse(200, "x".repeat(max))),
                vs(
                    "istio-system",
                    "b",
                    List.of("b.example.com"),
                    List.of("egress"),
                    directResponse(200, "x".repeat(max + 1)))));

    Translation t = new Translator().translate(snapshot, GATEWAY, NOW);

    var routeConfig = t.resources().routes().get(0);
    assertEquals(max, routeConfig.getMaxDirectResponseBodySizeBytes().getValue());
    var vhosts = routeConfig.getVirtualHostsList();
    assertEquals("a.example.com:80", vhosts.get(0).getName());
    assertEquals(
        max, vhosts.get(0).getRoutes(0).getDirectResponse().getBody().getInlineString().length());
    assertEquals("b.example.com:80", vhosts.get(1).getName());
    assertEquals(0, vhosts.get(1).getRoutesCount(), "the oversized rule is dropped");
    assertEquals(1, t.diagnostics().size(), t.diagnostics().toString());
    Diagnostic d = t.diagnostics().get(0);
    assertEquals("spec.http[0].directResponse.body", d.field());
    assertTrue(d.message().contains((max + 1) + " bytes"), d.message());
  }
}
