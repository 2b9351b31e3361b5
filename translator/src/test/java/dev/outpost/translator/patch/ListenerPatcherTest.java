package dev.outpost.translator.patch;

import static dev.outpost.translator.patch.PatchFixtures.FAULT;
import static dev.outpost.translator.patch.PatchFixtures.HCM;
import static dev.outpost.translator.patch.PatchFixtures.ROUTER;
import static dev.outpost.translator.patch.PatchFixtures.TCP_PROXY;
import static dev.outpost.translator.patch.PatchFixtures.assertChecks;
import static dev.outpost.translator.patch.PatchFixtures.assertDiagnostic;
import static dev.outpost.translator.patch.PatchFixtures.assertNoDiagnostics;
import static dev.outpost.translator.patch.PatchFixtures.filter;
import static dev.outpost.translator.patch.PatchFixtures.filterNames;
import static dev.outpost.translator.patch.PatchFixtures.gatewayResources;
import static dev.outpost.translator.patch.PatchFixtures.hcm;
import static dev.outpost.translator.patch.PatchFixtures.httpFilterNames;
import static dev.outpost.translator.patch.PatchFixtures.listener;
import static dev.outpost.translator.patch.PatchFixtures.listenerNamed;
import static dev.outpost.translator.patch.PatchFixtures.names;
import static dev.outpost.translator.patch.PatchFixtures.patch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LISTENER, FILTER_CHAIN, NETWORK_FILTER and HTTP_FILTER patches on the fixture gateway. */
class ListenerPatcherTest {
  private static final String SUBJECT = "EnvoyFilter istio-system/ef";

  private static EnvoyFilterPatcher.Result apply(PatchFixtures.PatchBuilder... patches) {
    PatchFixtures.FilterBuilder filter = filter("istio-system", "ef");
    for (PatchFixtures.PatchBuilder p : patches) {
      filter.patch(p);
    }
    return PatchFixtures.patch(filter.build());
  }

  /**
   * The listener patcher alone, without the facade's checker gate: for positions the gate would
   * (rightly) refuse, such as a filter after a terminal one.
   */
  private static EnvoyResources direct(PatchFixtures.PatchBuilder builder) throws Exception {
    EnvoyFilter.Patch spec = builder.build(0);
    ParsedPatch parsed =
        new ParsedPatch(
            spec,
            spec.valueJson().isEmpty()
                ? java.util.Optional.empty()
                : java.util.Optional.of(PatchValues.parse(spec.valueJson().get(), spec.applyTo())));
    EnvoyResources in = gatewayResources();
    return new EnvoyResources(
        new ListenerPatcher().apply(in.listeners(), parsed, new Hits()),
        in.routes(),
        in.clusters(),
        in.endpoints(),
        in.secrets());
  }

  private static FilterChain chainOf(EnvoyResources resources, String listener) {
    return listenerNamed(resources, listener).getFilterChains(0);
  }

  private static final String BUFFER_LIMIT = "{\"per_connection_buffer_limit_bytes\": 65536}";

  // ---- LISTENER ----

  @Test
  void listenerMergeByPortNumber() {
    var result =
        apply(patch(ApplyTo.LISTENER, Operation.MERGE).listener(listener().port(80)).json(BUFFER_LIMIT));

    assertNoDiagnostics(result.diagnostics());
    assertEquals(
        65536,
        listenerNamed(result.resources(), "0.0.0.0_80").getPerConnectionBufferLimitBytes().getValue());
    assertFalse(listenerNamed(result.resources(), "0.0.0.0_443").hasPerConnectionBufferLimitBytes());
    assertChecks(result.resources());
  }

  @Test
  void listenerMergeByName() {
    var result =
        apply(
            patch(ApplyTo.LISTENER, Operation.MERGE)
                .listener(listener().name("0.0.0.0_443"))
                .json(BUFFER_LIMIT));

    assertTrue(listenerNamed(result.resources(), "0.0.0.0_443").hasPerConnectionBufferLimitBytes());
    assertFalse(listenerNamed(result.resources(), "0.0.0.0_80").hasPerConnectionBufferLimitBytes());
  }

  @Test
  void listenerMatchFieldsThatMatchNothingChangeNothingAndSaySo() {
    for (PatchFixtures.ListenerMatchBuilder miss :
        List.of(listener().port(81), listener().name("0.0.0.0:80"), listener().port(80).name("0.0.0.0_443"))) {
      var result = apply(patch(ApplyTo.LISTENER, Operation.MERGE).listener(miss).json(BUFFER_LIMIT));

      assertEquals(gatewayResources(), result.resources());
      assertDiagnostic(
          result.diagnostics(), Severity.WARNING, SUBJECT, "spec.configPatches[0]",
          "LISTENER MERGE matched nothing in the config of a gateway proxy of namespace istio-system");
    }
  }

  @Test
  void listenerAddAppendsANewListener() {
    var result =
        apply(
            patch(ApplyTo.LISTENER, Operation.ADD)
                .yaml(
                    """
                    name: extra_7000
                    address: {socket_address: {address: 0.0.0.0, port_value: 7000}}
                    filter_chains:
                    - filters:
                      - name: envoy.filters.network.tcp_proxy
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                          stat_prefix: extra
                          cluster: BlackHoleCluster
                    """));

    assertNoDiagnostics(result.diagnostics());
    assertEquals(
        List.of("0.0.0.0_443", "0.0.0.0_80", "0.0.0.0_8443", "0.0.0.0_9000", "extra_7000"),
        names(result.resources()));
    assertChecks(result.resources());
  }

  @Test
  void listenerRemove() {
    var result = apply(patch(ApplyTo.LISTENER, Operation.REMOVE).listener(listener().port(9000)));

    assertEquals(List.of("0.0.0.0_443", "0.0.0.0_80", "0.0.0.0_8443"), names(result.resources()));
  }

  @Test
  void listenerOperationsIstioDoesNotHaveAreWarnings() {
    var result =
        apply(
            patch(ApplyTo.LISTENER, Operation.INSERT_BEFORE)
                .listener(listener().port(80))
                .json(BUFFER_LIMIT));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.WARNING, SUBJECT, "spec.configPatches[0]",
        "operation INSERT_BEFORE does nothing on applyTo LISTENER (Istio ignores it too); LISTENER"
            + " takes ADD, MERGE, REMOVE");
  }

  // ---- FILTER_CHAIN ----

  @Test
  void filterChainMergeBySni() {
    var result =
        apply(
            patch(ApplyTo.FILTER_CHAIN, Operation.MERGE)
                .listener(listener().sni("pass.example.com"))
                .json("{\"name\": \"passthrough\"}"));

    assertNoDiagnostics(result.diagnostics());
    assertEquals("passthrough", chainOf(result.resources(), "0.0.0.0_8443").getName());
    assertEquals("", chainOf(result.resources(), "0.0.0.0_443").getName());

    var miss =
        apply(
            patch(ApplyTo.FILTER_CHAIN, Operation.MERGE)
                .listener(listener().sni("other.example.com"))
                .json("{\"name\": \"x\"}"));
    assertEquals(gatewayResources(), miss.resources());
  }

  @Test
  void filterChainTransportProtocolTlsIsTerminatingOrSniChainsRawBufferTheOthers() {
    var tls =
        apply(
            patch(ApplyTo.FILTER_CHAIN, Operation.MERGE)
                .listener(listener().transportProtocol("tls"))
                .json("{\"name\": \"tls\"}"));
    var raw =
        apply(
            patch(ApplyTo.FILTER_CHAIN, Operation.MERGE)
                .listener(listener().transportProtocol("raw_buffer"))
                .json("{\"name\": \"raw\"}"));

    assertEquals("tls", chainOf(tls.resources(), "0.0.0.0_443").getName());
    assertEquals("tls", chainOf(tls.resources(), "0.0.0.0_8443").getName());
    assertEquals("", chainOf(tls.resources(), "0.0.0.0_80").getName());
    assertEquals("raw", chainOf(raw.resources(), "0.0.0.0_80").getName());
    assertEquals("raw", chainOf(raw.resources(), "0.0.0.0_9000").getName());
    assertEquals("", chainOf(raw.resources(), "0.0.0.0_443").getName());
  }

  @Test
  void filterChainByNameAndRemoveSeeEarlierPatchesOfTheSameFilter() {
    var result =
        apply(
            patch(ApplyTo.FILTER_CHAIN, Operation.MERGE)
                .listener(listener().port(8443))
                .json("{\"name\": \"doomed\"}"),
            patch(ApplyTo.FILTER_CHAIN, Operation.ADD)
                .listener(listener().port(8443))
                .yaml(
                    """
                    name: fallback
                    filters:
                    - name: envoy.filters.network.tcp_proxy
                      typed_config:
                        "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                        stat_prefix: fallback
                        cluster: BlackHoleCluster
                    """),
            patch(ApplyTo.FILTER_CHAIN, Operation.REMOVE).listener(listener().chainName("doomed")));

    assertNoDiagnostics(result.diagnostics());
    Listener passthrough = listenerNamed(result.resources(), "0.0.0.0_8443");
    assertEquals(1, passthrough.getFilterChainsCount());
    assertEquals("fallback", passthrough.getFilterChains(0).getName());
    assertChecks(result.resources());
  }

  @Test
  void filterChainMergeMergesTheTlsContextOfTheSameTransportSocket() throws Exception {
    var result =
        apply(
            patch(ApplyTo.FILTER_CHAIN, Operation.MERGE)
                .listener(listener().port(443))
                .yaml(
                    """
                    transport_socket:
                      name: envoy.transport_sockets.tls
                      typed_config:
                        "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                        common_tls_context:
                          alpn_protocols: [h2]
                    """));

    assertNoDiagnostics(result.diagnostics());
    DownstreamTlsContext tls =
        chainOf(result.resources(), "0.0.0.0_443")
            .getTransportSocket()
            .getTypedConfig()
            .unpack(DownstreamTlsContext.class);
    assertTrue(tls.getCommonTlsContext().getAlpnProtocolsList().contains("h2"));
    // The certificate from the Gateway is still there.
    assertEquals(1, tls.getCommonTlsContext().getTlsCertificatesCount());
    assertChecks(result.resources());
  }

  // ---- NETWORK_FILTER ----

  private static final String TCP_LOG_FILTER =
      """
      name: envoy.filters.network.connection_limit
      typed_config:
        "@type": type.googleapis.com/envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit
        stat_prefix: limit
        max_connections: 100
      """;

  @Test
  void networkFilterInsertBeforeAndAfterTheNamedFilterOrFirstAndLastWithoutOne() throws Exception {
    var before =
        apply(
            patch(ApplyTo.NETWORK_FILTER, Operation.INSERT_BEFORE)
                .listener(listener().port(9000).filter(TCP_PROXY))
                .yaml(TCP_LOG_FILTER));
    var first =
        apply(
            patch(ApplyTo.NETWORK_FILTER, Operation.INSERT_BEFORE)
                .listener(listener().port(9000))
                .yaml(TCP_LOG_FILTER));
    var insertFirst =
        apply(
            patch(ApplyTo.NETWORK_FILTER, Operation.INSERT_FIRST)
                .listener(listener().port(9000).filter(TCP_PROXY))
                .yaml(TCP_LOG_FILTER));
    EnvoyResources after =
        direct(
            patch(ApplyTo.NETWORK_FILTER, Operation.INSERT_AFTER)
                .listener(listener().port(9000).filter(TCP_PROXY))
                .yaml(TCP_LOG_FILTER));
    EnvoyResources add =
        direct(
            patch(ApplyTo.NETWORK_FILTER, Operation.ADD)
                .listener(listener().port(9000))
                .yaml(TCP_LOG_FILTER));

    String limit = "envoy.filters.network.connection_limit";
    assertEquals(List.of(limit, TCP_PROXY), filterNames(chainOf(before.resources(), "0.0.0.0_9000")));
    assertEquals(List.of(limit, TCP_PROXY), filterNames(chainOf(first.resources(), "0.0.0.0_9000")));
    assertEquals(List.of(limit, TCP_PROXY), filterNames(chainOf(insertFirst.resources(), "0.0.0.0_9000")));
    assertEquals(List.of(TCP_PROXY, limit), filterNames(chainOf(after, "0.0.0.0_9000")));
    assertEquals(List.of(TCP_PROXY, limit), filterNames(chainOf(add, "0.0.0.0_9000")));
    assertEquals(List.of(TCP_PROXY), filterNames(chainOf(add, "0.0.0.0_8443")));
    assertChecks(before.resources());
  }

  @Test
  void aNetworkFilterAfterTcpProxyIsRejectedByTheGate() {
    var result =
        apply(
            patch(ApplyTo.NETWORK_FILTER, Operation.ADD)
                .listener(listener().port(9000))
                .yaml(TCP_LOG_FILTER));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.ERROR, SUBJECT, "spec.configPatches[0]",
        "Listener 0.0.0.0_9000: .filter_chains[0].filters[0]: terminal filter " + TCP_PROXY
            + " must be the last network filter of its chain");
  }

  @Test
  void networkFilterInsertNextToAFilterTheChainDoesNotHaveMatchesNothing() {
    var result =
        apply(
            patch(ApplyTo.NETWORK_FILTER, Operation.INSERT_BEFORE)
                .listener(listener().port(9000).filter(HCM))
                .yaml(TCP_LOG_FILTER));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.WARNING, SUBJECT, "spec.configPatches[0]",
        "NETWORK_FILTER INSERT_BEFORE matched nothing in the config of a gateway proxy of namespace istio-system"
            + " (listener.portNumber 9000, filter.name " + HCM + ")");
  }

  @Test
  void networkFilterReplaceRemoveAndMerge() throws Exception {
    var replaced =
        apply(
            patch(ApplyTo.NETWORK_FILTER, Operation.REPLACE)
                .listener(listener().port(9000).filter(TCP_PROXY))
                .yaml(
                    """
                    name: envoy.filters.network.tcp_proxy
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                      stat_prefix: replaced
                      cluster: BlackHoleCluster
                    """));
    TcpProxy tcp =
        chainOf(replaced.resources(), "0.0.0.0_9000").getFilters(0).getTypedConfig().unpack(TcpProxy.class);
    assertEquals("replaced", tcp.getStatPrefix());
    assertEquals("BlackHoleCluster", tcp.getCluster());
    assertEquals(0, tcp.getAccessLogCount(), "REPLACE keeps nothing of the old filter");

    var merged =
        apply(
            patch(ApplyTo.NETWORK_FILTER, Operation.MERGE)
                .listener(listener().port(9000).filter(TCP_PROXY))
                .yaml(
                    """
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                      idle_timeout: 30s
                    """));
    TcpProxy mergedTcp =
        chainOf(merged.resources(), "0.0.0.0_9000").getFilters(0).getTypedConfig().unpack(TcpProxy.class);
    assertEquals(30, mergedTcp.getIdleTimeout().getSeconds());
    assertEquals("outbound|9000||db.example.com", mergedTcp.getCluster());
    assertChecks(merged.resources());

    var removed =
        apply(
            patch(ApplyTo.NETWORK_FILTER, Operation.REMOVE)
                .listener(listener().port(80).filter(HCM)));
    assertEquals(List.of(), filterNames(chainOf(removed.resources(), "0.0.0.0_80")));
  }

  @Test
  void networkFilterRemoveWithoutAFilterNameDoesNothing() {
    var result = apply(patch(ApplyTo.NETWORK_FILTER, Operation.REMOVE).listener(listener().port(80)));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.WARNING, SUBJECT, "spec.configPatches[0]",
        "REMOVE of a NETWORK_FILTER needs match.listener.filterChain.filter.name");
  }

  @Test
  void mergeOfAnotherTypeIntoAFilterIsAnErrorAndTheFilterIsNotApplied() {
    var result =
        apply(
            patch(ApplyTo.LISTENER, Operation.MERGE).listener(listener().port(80)).json(BUFFER_LIMIT),
            patch(ApplyTo.NETWORK_FILTER, Operation.MERGE)
                .listener(listener().port(9000).filter(TCP_PROXY))
                .yaml(
                    """
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                      stat_prefix: x
                    """));

    assertEquals(gatewayResources(), result.resources(), "no patch of the filter applies");
    assertDiagnostic(
        result.diagnostics(), Severity.ERROR, SUBJECT, "spec.configPatches[1].patch.value.typed_config",
        "MERGE needs a config of the type it merges into, envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy");
  }

  // ---- HTTP_FILTER ----

  private static final String CORS =
      """
      name: envoy.filters.http.cors
      typed_config:
        "@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors
      """;

  @Test
  void httpFilterListOperationsRelativeToTheSubFilter() {
    String cors = "envoy.filters.http.cors";
    var cases =
        List.of(
            List.of(Operation.INSERT_BEFORE, ROUTER, List.of(FAULT, cors, ROUTER)),
            List.of(Operation.INSERT_AFTER, FAULT, List.of(FAULT, cors, ROUTER)),
            List.of(Operation.INSERT_FIRST, ROUTER, List.of(cors, FAULT, ROUTER)),
            List.of(Operation.INSERT_BEFORE, "", List.of(cors, FAULT, ROUTER)));
    for (List<?> c : cases) {
      PatchFixtures.ListenerMatchBuilder match = listener().port(80).filter(HCM);
      if (!c.get(1).equals("")) {
        match.subFilter((String) c.get(1));
      }
      var result =
          apply(patch(ApplyTo.HTTP_FILTER, (Operation) c.get(0)).listener(match).yaml(CORS));

      assertNoDiagnostics(result.diagnostics());
      assertEquals(c.get(2), httpFilterNames(chainOf(result.resources(), "0.0.0.0_80")), c.toString());
      assertEquals(List.of(FAULT, ROUTER), httpFilterNames(chainOf(result.resources(), "0.0.0.0_443")));
      assertChecks(result.resources());
    }
  }

  @Test
  void httpFilterAddAndInsertAfterWithoutSubFilterGoLast() throws Exception {
    for (Operation op : List.of(Operation.ADD, Operation.INSERT_AFTER)) {
      EnvoyResources result =
          direct(patch(ApplyTo.HTTP_FILTER, op).listener(listener().port(80).filter(HCM)).yaml(CORS));
      assertEquals(
          List.of(FAULT, ROUTER, "envoy.filters.http.cors"),
          httpFilterNames(chainOf(result, "0.0.0.0_80")));
    }
  }

  @Test
  void anHttpFilterAfterTheRouterIsRejectedByTheGate() {
    var result =
        apply(patch(ApplyTo.HTTP_FILTER, Operation.ADD).listener(listener().port(80).filter(HCM)).yaml(CORS));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.ERROR, SUBJECT, "spec.configPatches[0]",
        "Listener 0.0.0.0_80: .filter_chains[0].filters[0].typed_config.http_filters[1]: terminal"
            + " filter " + ROUTER + " must be the last HTTP filter");
  }

  @Test
  void httpFilterReplaceRemoveAndMerge() {
    var replaced =
        apply(
            patch(ApplyTo.HTTP_FILTER, Operation.REPLACE)
                .listener(listener().port(80).filter(HCM).subFilter(FAULT))
                .yaml(CORS));
    assertEquals(
        List.of("envoy.filters.http.cors", ROUTER),
        httpFilterNames(chainOf(replaced.resources(), "0.0.0.0_80")));

    var removed =
        apply(
            patch(ApplyTo.HTTP_FILTER, Operation.REMOVE)
                .listener(listener().filter(HCM).subFilter(FAULT)));
    assertEquals(List.of(ROUTER), httpFilterNames(chainOf(removed.resources(), "0.0.0.0_80")));
    assertEquals(List.of(ROUTER), httpFilterNames(chainOf(removed.resources(), "0.0.0.0_443")));
    assertChecks(removed.resources());

    var merged =
        apply(
            patch(ApplyTo.HTTP_FILTER, Operation.MERGE)
                .listener(listener().port(80).filter(HCM).subFilter(ROUTER))
                .yaml(
                    """
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
                      suppress_envoy_headers: true
                    """));
    var router = hcm(chainOf(merged.resources(), "0.0.0.0_80")).getHttpFilters(1);
    assertEquals(ROUTER, router.getName());
    assertTrue(unpackRouter(router).getSuppressEnvoyHeaders());
    assertNoDiagnostics(merged.diagnostics());
  }

  private static io.envoyproxy.envoy.extensions.filters.http.router.v3.Router unpackRouter(
      io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter f) {
    try {
      return f.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theLegacyConnectionManagerNameMatchesToo() {
    var result =
        apply(
            patch(ApplyTo.HTTP_FILTER, Operation.INSERT_BEFORE)
                .listener(listener().port(80).filter("envoy.http_connection_manager").subFilter("envoy.router"))
                .yaml(CORS));

    assertNoDiagnostics(result.diagnostics());
    assertEquals(
        List.of(FAULT, "envoy.filters.http.cors", ROUTER),
        httpFilterNames(chainOf(result.resources(), "0.0.0.0_80")));
  }

  @Test
  void httpFiltersAreOnlyInConnectionManagers() {
    var result =
        apply(
            patch(ApplyTo.HTTP_FILTER, Operation.INSERT_FIRST)
                .listener(listener().port(9000))
                .yaml(CORS));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.WARNING, SUBJECT, "spec.configPatches[0]",
        "HTTP_FILTER INSERT_FIRST matched nothing");
  }

  @Test
  void aSubFilterThatIsNotThereMatchesNothing() {
    var result =
        apply(
            patch(ApplyTo.HTTP_FILTER, Operation.INSERT_BEFORE)
                .listener(listener().filter(HCM).subFilter("envoy.filters.http.lua"))
                .yaml(CORS));

    assertEquals(gatewayResources(), result.resources());
    assertDiagnostic(
        result.diagnostics(), Severity.WARNING, SUBJECT, "spec.configPatches[0]",
        "filter.subFilter.name \"envoy.filters.http.lua\"");
  }
}
