package dev.outpost.translator.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.outpost.translator.Translator;
import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.api.MeshSecrets;
import dev.outpost.translator.api.ProxyIdentity;
import dev.outpost.translator.api.ProxyRole;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.api.Translation;
import dev.outpost.translator.api.TranslationContext;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.check.SnapshotChecker;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.Context;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.WorkloadSelector;
import dev.outpost.translator.parse.SnapshotAssembler;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * EnvoyFilter model records built in Java (the parser is written separately), and the resources
 * they patch: a small gateway config translated by the real {@link Translator}.
 */
final class PatchFixtures {
  static final String HCM = "envoy.filters.network.http_connection_manager";
  static final String ROUTER = "envoy.filters.http.router";
  static final String FAULT = "envoy.filters.http.fault";
  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

  static final ProxyIdentity GATEWAY =
      ProxyIdentity.of(
          "egress-1",
          ProxyRole.GATEWAY,
          "istio-system",
          "istio-egressgateway",
          Map.of("istio", "egressgateway", "app", "istio-egressgateway"));

  static final ProxyIdentity CLIENT =
      ProxyIdentity.of("sleep-1", ProxyRole.CLIENT, "apps", "sleep", Map.of("app", "sleep"));

  static final TranslationContext CONTEXT =
      TranslationContext.at(Instant.parse("2026-06-01T00:00:00Z"));

  /**
   * A gateway with four ports: 80 plaintext HTTP (api and other, route config {@code http.80}),
   * 443 TLS termination from files ({@code https.443.https-api.egress.istio-system}), 8443 SNI
   * passthrough (pass.example.com) and 9000 TCP (db.example.com).
   */
  static final String GATEWAY_CONFIG =
      """
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: external, namespace: istio-system}
      spec:
        hosts: [api.example.com, other.example.com]
        ports:
        - {number: 80, name: http, protocol: HTTP}
        resolution: DNS
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: pass, namespace: istio-system}
      spec:
        hosts: [pass.example.com]
        ports:
        - {number: 443, name: tls, protocol: TLS}
        resolution: DNS
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: db, namespace: istio-system}
      spec:
        hosts: [db.example.com]
        ports:
        - {number: 9000, name: tcp, protocol: TCP}
        resolution: DNS
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: api, namespace: istio-system}
      spec:
        host: api.example.com
        subsets:
        - name: v1
          labels: {version: v1}
      ---
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: egress, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [api.example.com, other.example.com]
        - port: {number: 443, name: https-api, protocol: HTTPS}
          hosts: [api.example.com]
          tls:
            mode: SIMPLE
            serverCertificate: /etc/istio/egress-certs/tls.crt
            privateKey: /etc/istio/egress-certs/tls.key
        - port: {number: 8443, name: tls, protocol: TLS}
          hosts: [pass.example.com]
          tls: {mode: PASSTHROUGH}
        - port: {number: 9000, name: tcp, protocol: TCP}
          hosts: [db.example.com]
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: api, namespace: istio-system}
      spec:
        hosts: [api.example.com]
        gateways: [egress]
        http:
        - name: api-v1
          match: [{uri: {prefix: /v1}}]
          route:
          - destination: {host: api.example.com, subset: v1, port: {number: 80}}
        - name: api-default
          route:
          - destination: {host: api.example.com, port: {number: 80}}
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: other, namespace: istio-system}
      spec:
        hosts: [other.example.com]
        gateways: [egress]
        http:
        - route:
          - destination: {host: other.example.com, port: {number: 80}}
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: pass, namespace: istio-system}
      spec:
        hosts: [pass.example.com]
        gateways: [egress]
        tls:
        - match: [{port: 8443, sniHosts: [pass.example.com]}]
          route:
          - destination: {host: pass.example.com, port: {number: 443}}
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: db, namespace: istio-system}
      spec:
        hosts: [db.example.com]
        gateways: [egress]
        tcp:
        - match: [{port: 9000}]
          route:
          - destination: {host: db.example.com, port: {number: 9000}}
      """;

  private static ConfigSnapshot gatewaySnapshot;
  private static EnvoyResources gatewayResources;

  private PatchFixtures() {}

  static synchronized ConfigSnapshot gatewaySnapshot() {
    if (gatewaySnapshot == null) {
      ConfigSnapshot snapshot =
          new SnapshotAssembler()
              .assemble(List.of(new SourceFile("gateway.yaml", GATEWAY_CONFIG)), ConfigSnapshot.EMPTY);
      assertEquals(List.of(), snapshot.diagnostics(), "fixture parse diagnostics");
      gatewaySnapshot = snapshot;
    }
    return gatewaySnapshot;
  }

  /** The fixture translated for {@link #GATEWAY}, without EnvoyFilters; it passes the checker. */
  static synchronized EnvoyResources gatewayResources() {
    if (gatewayResources == null) {
      Translation translation = new Translator().translate(gatewaySnapshot(), GATEWAY, CONTEXT);
      assertEquals(List.of(), translation.diagnostics(), "fixture translation diagnostics");
      assertChecks(translation.resources());
      gatewayResources = translation.resources();
    }
    return gatewayResources;
  }

  /** The fixture with these EnvoyFilters added. */
  static ConfigSnapshot withFilters(ConfigSnapshot s, EnvoyFilter... filters) {
    return new ConfigSnapshot(
        s.serviceEntries(),
        s.gateways(),
        s.virtualServices(),
        s.destinationRules(),
        s.secrets(),
        s.services(),
        s.endpointSlices(),
        s.pods(),
        s.sidecars(),
        s.meshConfigs(),
        s.authorizationPolicies(),
        ImmutableList.copyOf(filters),
        s.diagnostics());
  }

  static EnvoyFilterPatcher.Result patch(EnvoyFilter... filters) {
    return new EnvoyFilterPatcher()
        .apply(gatewayResources(), ImmutableList.copyOf(filters), GATEWAY);
  }

  static void assertChecks(EnvoyResources resources) {
    CheckResult check = new SnapshotChecker().check(resources, MeshSecrets.NAMES);
    assertTrue(check.ok(), () -> "checker problems:\n" + String.join("\n", check.problems()));
  }

  // ---- EnvoyFilter model builders ----

  static FilterBuilder filter(String namespace, String name) {
    return new FilterBuilder(namespace, name);
  }

  static final class FilterBuilder {
    private final String namespace;
    private final String name;
    private Optional<WorkloadSelector> selector = Optional.empty();
    private int priority;
    private final List<PatchBuilder> patches = new ArrayList<>();

    private FilterBuilder(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }

    FilterBuilder selector(String... keyValues) {
      ImmutableSortedMap.Builder<String, String> labels = ImmutableSortedMap.naturalOrder();
      for (int i = 0; i < keyValues.length; i += 2) {
        labels.put(keyValues[i], keyValues[i + 1]);
      }
      selector = Optional.of(new WorkloadSelector(labels.build()));
      return this;
    }

    FilterBuilder priority(int value) {
      priority = value;
      return this;
    }

    FilterBuilder patch(PatchBuilder patch) {
      patches.add(patch);
      return this;
    }

    EnvoyFilter build() {
      ImmutableList.Builder<EnvoyFilter.Patch> built = ImmutableList.builder();
      for (int i = 0; i < patches.size(); i++) {
        built.add(patches.get(i).build(i));
      }
      return new EnvoyFilter(
          new ObjectMeta(name, namespace, ImmutableSortedMap.of(), ImmutableSortedMap.of(), "test"),
          selector,
          priority,
          built.build());
    }
  }

  static PatchBuilder patch(ApplyTo applyTo, Operation operation) {
    return new PatchBuilder(applyTo, operation);
  }

  static final class PatchBuilder {
    private final ApplyTo applyTo;
    private final Operation operation;
    private Context context = Context.ANY;
    private Optional<EnvoyFilter.ListenerMatch> listener = Optional.empty();
    private Optional<EnvoyFilter.RouteConfigurationMatch> routeConfiguration = Optional.empty();
    private Optional<EnvoyFilter.ClusterMatch> cluster = Optional.empty();
    private Optional<String> value = Optional.empty();

    private PatchBuilder(ApplyTo applyTo, Operation operation) {
      this.applyTo = applyTo;
      this.operation = operation;
    }

    PatchBuilder context(Context c) {
      context = c;
      return this;
    }

    PatchBuilder listener(ListenerMatchBuilder m) {
      listener = Optional.of(m.build());
      return this;
    }

    PatchBuilder routeConfiguration(RouteMatchBuilder m) {
      routeConfiguration = Optional.of(m.build());
      return this;
    }

    PatchBuilder cluster(ClusterMatchBuilder m) {
      cluster = Optional.of(m.build());
      return this;
    }

    /** The value as JSON text. */
    PatchBuilder json(String json) {
      value = Optional.of(json);
      return this;
    }

    /** The value as YAML, converted to JSON as the parser does. */
    PatchBuilder yaml(String yaml) {
      return json(yamlToJson(yaml));
    }

    EnvoyFilter.Patch build(int index) {
      return new EnvoyFilter.Patch(
          index, applyTo, context, listener, routeConfiguration, cluster, operation, value);
    }
  }

  static String yamlToJson(String yaml) {
    try {
      return new ObjectMapper().writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(yaml));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static ListenerMatchBuilder listener() {
    return new ListenerMatchBuilder();
  }

  static final class ListenerMatchBuilder {
    private OptionalInt port = OptionalInt.empty();
    private Optional<String> name = Optional.empty();
    private boolean chain;
    private Optional<String> chainName = Optional.empty();
    private Optional<String> sni = Optional.empty();
    private Optional<String> transport = Optional.empty();
    private Optional<String> filter = Optional.empty();
    private Optional<String> subFilter = Optional.empty();

    ListenerMatchBuilder port(int p) {
      port = OptionalInt.of(p);
      return this;
    }

    ListenerMatchBuilder name(String n) {
      name = Optional.of(n);
      return this;
    }

    ListenerMatchBuilder chainName(String n) {
      chain = true;
      chainName = Optional.of(n);
      return this;
    }

    ListenerMatchBuilder sni(String s) {
      chain = true;
      sni = Optional.of(s);
      return this;
    }

    ListenerMatchBuilder transportProtocol(String t) {
      chain = true;
      transport = Optional.of(t);
      return this;
    }

    ListenerMatchBuilder filter(String f) {
      chain = true;
      filter = Optional.of(f);
      return this;
    }

    ListenerMatchBuilder subFilter(String f) {
      subFilter = Optional.of(f);
      return this;
    }

    EnvoyFilter.ListenerMatch build() {
      Optional<EnvoyFilter.FilterChainMatch> chainMatch =
          chain
              ? Optional.of(
                  new EnvoyFilter.FilterChainMatch(
                      chainName,
                      sni,
                      transport,
                      filter.map(f -> new EnvoyFilter.FilterMatch(f, subFilter))))
              : Optional.empty();
      return new EnvoyFilter.ListenerMatch(port, name, chainMatch);
    }
  }

  static RouteMatchBuilder routeConfiguration() {
    return new RouteMatchBuilder();
  }

  static final class RouteMatchBuilder {
    private OptionalInt port = OptionalInt.empty();
    private Optional<String> portName = Optional.empty();
    private Optional<String> gateway = Optional.empty();
    private Optional<String> name = Optional.empty();
    private boolean vhost;
    private Optional<String> vhostName = Optional.empty();
    private Optional<String> routeName = Optional.empty();

    RouteMatchBuilder port(int p) {
      port = OptionalInt.of(p);
      return this;
    }

    RouteMatchBuilder portName(String n) {
      portName = Optional.of(n);
      return this;
    }

    RouteMatchBuilder gateway(String g) {
      gateway = Optional.of(g);
      return this;
    }

    RouteMatchBuilder name(String n) {
      name = Optional.of(n);
      return this;
    }

    RouteMatchBuilder vhost(String n) {
      vhost = true;
      vhostName = Optional.of(n);
      return this;
    }

    RouteMatchBuilder anyVhost() {
      vhost = true;
      return this;
    }

    RouteMatchBuilder route(String n) {
      vhost = true;
      routeName = Optional.of(n);
      return this;
    }

    EnvoyFilter.RouteConfigurationMatch build() {
      return new EnvoyFilter.RouteConfigurationMatch(
          port,
          portName,
          gateway,
          name,
          vhost ? Optional.of(new EnvoyFilter.VirtualHostMatch(vhostName, routeName)) : Optional.empty());
    }
  }

  static ClusterMatchBuilder cluster() {
    return new ClusterMatchBuilder();
  }

  static final class ClusterMatchBuilder {
    private OptionalInt port = OptionalInt.empty();
    private Optional<String> service = Optional.empty();
    private Optional<String> subset = Optional.empty();
    private Optional<String> name = Optional.empty();

    ClusterMatchBuilder port(int p) {
      port = OptionalInt.of(p);
      return this;
    }

    ClusterMatchBuilder service(String s) {
      service = Optional.of(s);
      return this;
    }

    ClusterMatchBuilder subset(String s) {
      subset = Optional.of(s);
      return this;
    }

    ClusterMatchBuilder name(String n) {
      name = Optional.of(n);
      return this;
    }

    EnvoyFilter.ClusterMatch build() {
      return new EnvoyFilter.ClusterMatch(port, service, subset, name);
    }
  }

  // ---- reading the results ----

  static Listener listenerNamed(EnvoyResources resources, String name) {
    return resources.listeners().stream()
        .filter(l -> l.getName().equals(name))
        .findFirst()
        .orElseGet(() -> fail("no listener " + name + " in " + names(resources)));
  }

  static RouteConfiguration routeNamed(EnvoyResources resources, String name) {
    return resources.routes().stream()
        .filter(r -> r.getName().equals(name))
        .findFirst()
        .orElseGet(() -> fail("no route config " + name));
  }

  static VirtualHost vhostNamed(RouteConfiguration routes, String name) {
    return routes.getVirtualHostsList().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseGet(() -> fail("no virtual host " + name + " in " + routes.getName()));
  }

  static Optional<Cluster> clusterNamed(EnvoyResources resources, String name) {
    return resources.clusters().stream().filter(c -> c.getName().equals(name)).findFirst();
  }

  static List<String> names(EnvoyResources resources) {
    return resources.listeners().stream().map(Listener::getName).toList();
  }

  static List<String> filterNames(FilterChain chain) {
    return chain.getFiltersList().stream().map(Filter::getName).toList();
  }

  static HttpConnectionManager hcm(FilterChain chain) {
    Filter filter =
        chain.getFiltersList().stream()
            .filter(f -> f.getName().equals(HCM))
            .findFirst()
            .orElseGet(() -> fail("no connection manager in " + filterNames(chain)));
    try {
      return filter.getTypedConfig().unpack(HttpConnectionManager.class);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  static List<String> httpFilterNames(FilterChain chain) {
    return hcm(chain).getHttpFiltersList().stream().map(HttpFilter::getName).toList();
  }

  static String lines(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
  }

  static Diagnostic assertDiagnostic(
      List<Diagnostic> diagnostics, Severity severity, String subject, String field, String text) {
    for (Diagnostic d : diagnostics) {
      if (d.severity() == severity
          && d.subject().equals(subject)
          && d.field().equals(field)
          && d.message().contains(text)) {
        return d;
      }
    }
    return fail(
        "no " + severity + " " + subject + " " + field + " containing \"" + text + "\" in:\n"
            + lines(diagnostics));
  }

  static void assertNoDiagnostics(List<Diagnostic> diagnostics) {
    assertEquals("", lines(diagnostics), "expected no diagnostics");
  }
}
