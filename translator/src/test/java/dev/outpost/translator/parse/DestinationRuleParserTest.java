package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static dev.outpost.translator.parse.Inputs.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ClientTlsSettings;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.ConnectionPoolSettings;
import dev.outpost.translator.model.DestinationRule;
import dev.outpost.translator.model.LoadBalancerSettings;
import dev.outpost.translator.model.OutlierDetection;
import dev.outpost.translator.model.TrafficPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationRuleParserTest {

  private static String dr(String spec) {
    return """
    apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata: {name: api, namespace: egress}
    spec:
      host: api.example.com
    """
        + spec.indent(2);
  }

  private static TrafficPolicy policy(ConfigSnapshot s) {
    assertEquals(1, s.destinationRules().size(), Inputs.lines(s).toString());
    return s.destinationRules().get(0).trafficPolicy().orElseThrow();
  }

  @Test
  void readsFullTrafficPolicy() {
    ConfigSnapshot s =
        assemble(
            dr(
                """
                trafficPolicy:
                  loadBalancer: {simple: LEAST_REQUEST}
                  connectionPool:
                    tcp:
                      maxConnections: 100
                      connectTimeout: 250ms
                      tcpKeepalive: {probes: 3, time: 10s, interval: 5s}
                      maxConnectionDuration: 1h
                      idleTimeout: 30m
                    http:
                      http1MaxPendingRequests: 10
                      http2MaxRequests: 1000
                      maxRequestsPerConnection: 1
                      maxRetries: 3
                      idleTimeout: 60s
                      h2UpgradePolicy: DO_NOT_UPGRADE
                      useClientProtocol: true
                      maxConcurrentStreams: 50
                  outlierDetection:
                    consecutive5xxErrors: 5
                    consecutiveGatewayErrors: 2
                    consecutiveLocalOriginFailures: 4
                    splitExternalLocalOriginErrors: true
                    interval: 10s
                    baseEjectionTime: 30s
                    maxEjectionPercent: 50
                    minHealthPercent: 20
                  tls:
                    mode: MUTUAL
                    credentialName: client-cert
                    subjectAltNames: [api.example.com]
                    sni: api.example.com
                    insecureSkipVerify: false
                  portLevelSettings:
                  - port: {number: 443}
                    loadBalancer: {consistentHash: {httpCookie: {name: session, path: /, ttl: 0s}, ringHash: {minimumRingSize: 1024}}}
                subsets:
                - name: v1
                  labels: {version: v1}
                  trafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, maglev: {tableSize: 65537}}}}
                - name: v2
                  labels: {version: v2}
                exportTo: ["."]
                """));
    assertNoDiagnostics(s);
    DestinationRule rule = s.destinationRules().get(0);
    assertEquals("api.example.com", rule.host());
    TrafficPolicy p = rule.trafficPolicy().orElseThrow();
    assertEquals(
        Optional.of(LoadBalancerSettings.Simple.LEAST_REQUEST),
        p.loadBalancer().orElseThrow().simple());
    ConnectionPoolSettings.Tcp tcp = p.connectionPool().orElseThrow().tcp().orElseThrow();
    assertEquals(
        new ConnectionPoolSettings.Tcp(
            Optional.of(100),
            Optional.of(Duration.ofMillis(250)),
            Optional.of(
                new ConnectionPoolSettings.TcpKeepalive(
                    Optional.of(3),
                    Optional.of(Duration.ofSeconds(10)),
                    Optional.of(Duration.ofSeconds(5)))),
            Optional.of(Duration.ofHours(1)),
            Optional.of(Duration.ofMinutes(30))),
        tcp);
    assertEquals(
        new ConnectionPoolSettings.Http(
            Optional.of(10),
            Optional.of(1000),
            Optional.of(1),
            Optional.of(3),
            Optional.of(Duration.ofSeconds(60)),
            Optional.of(ConnectionPoolSettings.H2UpgradePolicy.DO_NOT_UPGRADE),
            Optional.of(true),
            Optional.of(50)),
        p.connectionPool().orElseThrow().http().orElseThrow());
    assertEquals(
        new OutlierDetection(
            Optional.empty(),
            Optional.of(5),
            Optional.of(2),
            Optional.of(4),
            Optional.of(true),
            Optional.of(Duration.ofSeconds(10)),
            Optional.of(Duration.ofSeconds(30)),
            Optional.of(50),
            Optional.of(20)),
        p.outlierDetection().orElseThrow());
    assertEquals(
        new ClientTlsSettings(
            ClientTlsSettings.Mode.MUTUAL,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("client-cert"),
            ImmutableList.of("api.example.com"),
            Optional.of("api.example.com"),
            Optional.of(false)),
        p.tls().orElseThrow());
    TrafficPolicy.PortTrafficPolicy port = p.portLevelSettings().get(0);
    assertEquals(443, port.port());
    LoadBalancerSettings.ConsistentHash hash =
        port.loadBalancer().orElseThrow().consistentHash().orElseThrow();
    assertEquals(
        new LoadBalancerSettings.HttpCookie(
            "session", Optional.of("/"), Optional.of(Duration.ZERO)),
        hash.httpCookie().orElseThrow());
    assertEquals(Optional.of(1024L), hash.ringHash().orElseThrow().minimumRingSize());
    assertEquals(2, rule.subsets().size());
    assertEquals(Map.of("version", "v1"), rule.subsets().get(0).labels());
    LoadBalancerSettings.ConsistentHash subsetHash =
        rule.subsets()
            .get(0)
            .trafficPolicy()
            .orElseThrow()
            .loadBalancer()
            .orElseThrow()
            .consistentHash()
            .orElseThrow();
    assertEquals(true, subsetHash.useSourceIp());
    assertEquals(Optional.of(65537L), subsetHash.maglev().orElseThrow().tableSize());
    assertEquals(ImmutableList.of("."), rule.exportTo());
  }

  @Test
  void requiresHost() {
    assertRejected(
        assemble(dr("").replace("  host: api.example.com\n", "  subsets: []\n")),
        "spec.host",
        "is required");
  }

  @Test
  void rejectsInvalidHost() {
    assertRejected(
        assemble(dr("").replace("api.example.com", "api..example.com")),
        "spec.host",
        "not a valid host");
  }

  @Test
  void hostMayBeAWildcardOrStar() {
    assertNoDiagnostics(assemble(dr("").replace("api.example.com", "\"*.example.com\"")));
    assertNoDiagnostics(assemble(dr("").replace("api.example.com", "\"*\"")));
  }

  @Test
  void subsetNamesMustBeUniqueAndValid() {
    ConfigSnapshot s =
        assemble(dr("subsets: [{name: v1}, {name: v1}, {name: V_2}, {labels: {a: b}}]\n"));
    assertRejected(s, "spec.subsets[1].name", "defined twice");
    assertDiagnostic(s, Severity.ERROR, "spec.subsets[2].name", "not a valid subset name");
    assertDiagnostic(s, Severity.ERROR, "spec.subsets[3].name", "is required");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"\"-bad\": v1", "\"a/b/c\": v1", "version: \"v 1\"", "\"Bad_Prefix/x\": y"})
  void subsetLabelsMustBeKubernetesLabels(String label) {
    assertRejected(
        assemble(dr("subsets: [{name: v1, labels: {" + label + "}}]\n")),
        "spec.subsets[0].labels."
            + label.replaceAll("\"", "").substring(0, label.replaceAll("\"", "").indexOf(':')),
        "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"maxEjectionPercent: 101", "minHealthPercent: -1"})
  void percentagesMustBe0To100(String field) {
    assertRejected(
        assemble(dr("trafficPolicy: {outlierDetection: {" + field + "}}\n")),
        "spec.trafficPolicy.outlierDetection." + field.substring(0, field.indexOf(':')),
        "0-100");
  }

  @Test
  void rejectsBadDurationsAndNegativeLimits() {
    assertRejected(
        assemble(dr("trafficPolicy: {connectionPool: {tcp: {connectTimeout: 0s}}}\n")),
        "spec.trafficPolicy.connectionPool.tcp.connectTimeout",
        "at least 1ms");
    assertRejected(
        assemble(dr("trafficPolicy: {connectionPool: {http: {maxRetries: -1}}}\n")),
        "spec.trafficPolicy.connectionPool.http.maxRetries",
        "negative");
    assertRejected(
        assemble(dr("trafficPolicy: {outlierDetection: {interval: ten}}\n")),
        "spec.trafficPolicy.outlierDetection.interval",
        "not a duration");
  }

  @Test
  void connectionPoolNeedsContent() {
    assertRejected(
        assemble(dr("trafficPolicy: {connectionPool: {}}\n")),
        "spec.trafficPolicy.connectionPool",
        "tcp and/or http");
  }

  @Test
  void rejectsInvalidLoadBalancerSettings() {
    assertRejected(
        assemble(dr("trafficPolicy: {loadBalancer: {simple: FASTEST}}\n")),
        "spec.trafficPolicy.loadBalancer.simple",
        "use one of");
    assertRejected(
        assemble(
            dr(
                "trafficPolicy: {loadBalancer: {simple: RANDOM, consistentHash: {useSourceIp:"
                    + " true}}}\n")),
        "spec.trafficPolicy.loadBalancer.consistentHash",
        "cannot be combined");
    assertRejected(
        assemble(
            dr(
                "trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x, useSourceIp:"
                    + " true}}}\n")),
        "spec.trafficPolicy.loadBalancer.consistentHash",
        "exactly one hash key");
    assertRejected(
        assemble(
            dr(
                "trafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, maglev:"
                    + " {tableSize: 1000}}}}\n")),
        "spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize",
        "prime");
    assertRejected(
        assemble(dr("trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {ttl: 1s}}}}\n")),
        "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name",
        "is required");
  }

  @Test
  void deprecatedFieldsWarn() {
    ConfigSnapshot s =
        assemble(
            dr(
                """
                trafficPolicy:
                  loadBalancer: {simple: LEAST_CONN}
                  outlierDetection: {consecutiveErrors: 5}
                """));
    assertDiagnostic(s, Severity.WARNING, "spec.trafficPolicy.loadBalancer.simple", "deprecated");
    assertDiagnostic(
        s, Severity.WARNING, "spec.trafficPolicy.outlierDetection.consecutiveErrors", "deprecated");
    assertEquals(1, s.destinationRules().size());
  }

  @Test
  void localOriginFailuresNeedSplit() {
    assertRejected(
        assemble(dr("trafficPolicy: {outlierDetection: {consecutiveLocalOriginFailures: 3}}\n")),
        "spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures",
        "splitExternalLocalOriginErrors");
  }

  @Test
  void clientTlsRules() {
    assertRejected(
        assemble(dr("trafficPolicy: {tls: {mode: ISTIO_MUTUAL, credentialName: x}}\n")),
        "spec.trafficPolicy.tls.mode",
        "mesh certificates");
    // Kept, so that the translator can fail closed for its clusters instead of leaving them in
    // plaintext; UpstreamTlsPolicyTest covers the error.
    assertEquals(
        ClientTlsSettings.Mode.MUTUAL,
        policy(assemble(dr("trafficPolicy: {tls: {mode: MUTUAL}}\n"))).tls().orElseThrow().mode());
    assertRejected(
        assemble(dr("trafficPolicy: {tls: {mode: SIMPLE, credentialName: Bad_Name}}\n")),
        "spec.trafficPolicy.tls.credentialName",
        "not a valid Secret name");
    assertEquals(
        ClientTlsSettings.Mode.SIMPLE,
        policy(assemble(dr("trafficPolicy: {tls: {mode: SIMPLE, sni: api.example.com}}\n")))
            .tls()
            .orElseThrow()
            .mode());
  }

  @Test
  void portLevelSettingsNeedAPortOnce() {
    assertRejected(
        assemble(dr("trafficPolicy: {portLevelSettings: [{loadBalancer: {simple: RANDOM}}]}\n")),
        "spec.trafficPolicy.portLevelSettings[0].port",
        "is required");
    assertRejected(
        assemble(
            dr(
                "trafficPolicy: {portLevelSettings: [{port: {number: 80}}, {port: {number:"
                    + " 80}}]}\n")),
        "spec.trafficPolicy.portLevelSettings[1].port",
        "twice");
  }

  @Test
  void unsupportedFieldsWarn() {
    ConfigSnapshot s =
        assemble(
            dr(
                """
                workloadSelector: {matchLabels: {app: a}}
                trafficPolicy:
                  tunnel: {protocol: CONNECT, targetHost: proxy.example.com, targetPort: 3128}
                  loadBalancer:
                    simple: ROUND_ROBIN
                    localityLbSetting: {enabled: true, failover: [{from: us-east, to: us-west}]}
                    warmupDurationSecs: 30s
                """));
    assertDiagnostic(
        s, Severity.WARNING, "spec.workloadSelector", "is not supported yet and is ignored");
    assertDiagnostic(
        s, Severity.WARNING, "spec.trafficPolicy.tunnel", "is not supported yet and is ignored");
    assertDiagnostic(
        s,
        Severity.WARNING,
        "spec.trafficPolicy.loadBalancer.localityLbSetting",
        "is not supported yet and is ignored");
    assertDiagnostic(
        s,
        Severity.WARNING,
        "spec.trafficPolicy.loadBalancer.warmupDurationSecs",
        "is not supported yet and is ignored");
    TrafficPolicy p = policy(s);
    assertEquals(3128, p.tunnel().orElseThrow().targetPort());
    assertEquals(
        Optional.of(Duration.ofSeconds(30)), p.loadBalancer().orElseThrow().warmupDurationSecs());
    assertEquals(
        "us-west",
        p.loadBalancer().orElseThrow().localityLbSetting().orElseThrow().failover().get(0).to());
  }

  @Test
  void tunnelAndProxyProtocolAreExclusive() {
    assertRejected(
        assemble(
            dr(
                "trafficPolicy: {tunnel: {targetHost: p.example.com, targetPort: 3128},"
                    + " proxyProtocol: {version: V2}}\n")),
        "spec.trafficPolicy.tunnel",
        "cannot be combined");
  }
}
