package dev.outpost.translator.check;

import static dev.outpost.translator.check.SnapshotFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import dev.outpost.translator.api.EnvoyResources;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.PathConfigSource;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotCheckerTest {
  private static final String HCM_PATH = ".filter_chains[0].filters[0].typed_config";
  private final SnapshotChecker checker = new SnapshotChecker();

  private List<String> problems(EnvoyResources resources) {
    return checker.check(resources).problems();
  }

  @Test
  void correctSnapshotPasses() {
    CheckResult result = checker.check(validSnapshot());
    assertTrue(result.ok(), () -> "unexpected problems: " + result.problems());
  }

  @Test
  void correctSnapshotWithTlsClusterAndTcpProxyPasses() {
    EnvoyResources base = validSnapshot();
    EnvoyResources resources =
        withSecrets(
            withClusters(
                withListeners(
                    base,
                    httpListener(hcm().build()),
                    tcpListener(
                        TcpProxy.newBuilder().setStatPrefix("tcp").setCluster(DNS_CLUSTER).build())),
                edsCluster(EDS_CLUSTER),
                dnsCluster(DNS_CLUSTER, "dns.example.com").build(),
                tlsCluster(sds(CLIENT_CERT), sds(CLIENT_CA))),
            certificateSecret(CLIENT_CERT),
            caSecret(CLIENT_CA));
    CheckResult result = checker.check(resources);
    assertTrue(result.ok(), () -> "unexpected problems: " + result.problems());
  }

  @Test
  void topLevelPgvViolationIsReportedWithItsField() {
    EnvoyResources resources =
        withClusters(
            validSnapshot(),
            edsCluster(EDS_CLUSTER),
            dnsCluster(DNS_CLUSTER, "dns.example.com")
                .setConnectTimeout(Duration.newBuilder().setSeconds(-1))
                .build());
    assertEquals(
        List.of("Cluster " + DNS_CLUSTER + ": .connect_timeout: must be greater than 0s"),
        problems(resources));
  }

  @Test
  void clusterWithEmptyNameBreaksPgvAndItsRoute() {
    EnvoyResources resources =
        withClusters(validSnapshot(), edsCluster(EDS_CLUSTER), dnsCluster("", "dns.example.com").build());
    List<String> problems = problems(resources);
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith("Cluster \"\": .name: length must be at least 1")),
        problems::toString);
  }

  @Test
  void pgvViolationInsideAnAnyIsReportedWithThePathThroughTheAny() {
    EnvoyResources resources =
        withListeners(validSnapshot(), httpListener(hcm().setStatPrefix("").build()));
    assertEquals(
        List.of(
            "Listener " + LISTENER + ": " + HCM_PATH
                + ".stat_prefix: length must be at least 1 but got: 0"),
        problems(resources));
  }

  @Test
  void pgvViolationTwoAnysDeepIsFound() {
    HttpConnectionManager hcm =
        hcm()
            .addAccessLog(
                AccessLog.newBuilder()
                    .setName("envoy.access_loggers.file")
                    .setTypedConfig(Any.pack(FileAccessLog.newBuilder().setPath("").build())))
            .build();
    List<String> problems = problems(withListeners(validSnapshot(), httpListener(hcm)));
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(
        problems.get(0).startsWith("Listener " + LISTENER + ": " + HCM_PATH + ".access_log[1].typed_config.path: "),
        problems::toString);
  }

  @Test
  void anysInMapValuesAreOpenedAndValidated() {
    var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDefaultInstance();
    String key = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
    var cluster =
        dnsCluster(DNS_CLUSTER, "dns.example.com").putTypedExtensionProtocolOptions(key, Any.pack(options));
    var route = routeTo(ROUTE_CONFIG, EDS_CLUSTER).toBuilder();
    route
        .getVirtualHostsBuilder(0)
        .putTypedPerFilterConfig("envoy.filters.http.fault", Any.newBuilder().setTypeUrl("example/Unknown").build());
    List<String> problems =
        problems(withRoutes(withClusters(validSnapshot(), edsCluster(EDS_CLUSTER), cluster.build()), route.build()));
    assertEquals(2, problems.size(), problems::toString);
    assertTrue(
        problems.get(0).startsWith(
            "RouteConfiguration " + ROUTE_CONFIG + ": .virtual_hosts[0].typed_per_filter_config"
                + "[\"envoy.filters.http.fault\"]: unknown type URL \"example/Unknown\""),
        problems::toString);
    assertTrue(
        problems.get(1).startsWith(
            "Cluster " + DNS_CLUSTER + ": .typed_extension_protocol_options[\"" + key + "\"]"
                + ".upstream_protocol_options: "),
        problems::toString);
  }

  @Test
  void unknownAnyTypeUrlIsAProblem() {
    HttpConnectionManager hcm =
        hcm()
            .setHttpFilters(
                0,
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(
                        Any.newBuilder().setTypeUrl("type.googleapis.com/example.NotAnEnvoyType")))
            .build();
    assertEquals(
        List.of(
            "Listener " + LISTENER + ": " + HCM_PATH + ".http_filters[0].typed_config: unknown type"
                + " URL \"type.googleapis.com/example.NotAnEnvoyType\": not a message of the Envoy"
                + " API; Envoy rejects extension configs it does not know"),
        problems(withListeners(validSnapshot(), httpListener(hcm))));
  }

  @Test
  void undecodableAnyIsAProblem() {
    HttpConnectionManager hcm =
        hcm()
            .setHttpFilters(
                0,
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(
                        Any.newBuilder()
                            .setTypeUrl("type.googleapis.com/envoy.extensions.filters.http.router.v3.Router")
                            .setValue(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff}))))
            .build();
    List<String> problems = problems(withListeners(validSnapshot(), httpListener(hcm)));
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).contains(".http_filters[0].typed_config: content of type"), problems::toString);
  }

  @Test
  void missingRouteConfigIsAProblem() {
    EnvoyResources resources = withRoutes(validSnapshot(), routeTo("http.8080", EDS_CLUSTER));
    assertEquals(
        List.of(
            "Listener " + LISTENER + ": " + HCM_PATH + ".rds.route_config_name: route config"
                + " \"http.80\" is not in the snapshot; the listener would never become ready"),
        problems(resources));
  }

  @Test
  void clusterMissingForARouteIsAProblem() {
    EnvoyResources resources = withRoutes(validSnapshot(), routeTo(ROUTE_CONFIG, "outbound|80||gone.example.com"));
    assertEquals(
        List.of(
            "RouteConfiguration " + ROUTE_CONFIG + ": .virtual_hosts[0].routes[0].route.cluster:"
                + " cluster \"outbound|80||gone.example.com\" is not in the snapshot"),
        problems(resources));
  }

  @Test
  void clusterMissingForAWeightedRouteIsAProblem() {
    RouteAction weighted =
        RouteAction.newBuilder()
            .setWeightedClusters(
                WeightedCluster.newBuilder()
                    .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(EDS_CLUSTER).setWeight(UInt32(90)))
                    .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("missing").setWeight(UInt32(10))))
            .build();
    var route = routeTo(ROUTE_CONFIG, EDS_CLUSTER).toBuilder();
    route.getVirtualHostsBuilder(0).getRoutesBuilder(0).setRoute(weighted);
    assertEquals(
        List.of(
            "RouteConfiguration " + ROUTE_CONFIG + ": .virtual_hosts[0].routes[0].route"
                + ".weighted_clusters.clusters[1].name: cluster \"missing\" is not in the snapshot"),
        problems(withRoutes(validSnapshot(), route.build())));
  }

  @Test
  void clusterMissingForTcpProxyIsAProblem() {
    TcpProxy single = TcpProxy.newBuilder().setStatPrefix("tcp").setCluster("missing-a").build();
    TcpProxy weighted =
        TcpProxy.newBuilder()
            .setStatPrefix("tcp")
            .setWeightedClusters(
                TcpProxy.WeightedCluster.newBuilder()
                    .addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder().setName(DNS_CLUSTER).setWeight(1))
                    .addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder().setName("missing-b").setWeight(1)))
            .build();
    var singleListener = tcpListener(single);
    var weightedListener =
        tcpListener(weighted).toBuilder()
            .setName("0.0.0.0_9001")
            .setAddress(SnapshotFixtures.address("0.0.0.0", 9001))
            .build();
    assertEquals(
        List.of(
            "Listener 0.0.0.0_9000: " + HCM_PATH + ".cluster: cluster \"missing-a\" is not in the snapshot",
            "Listener 0.0.0.0_9001: " + HCM_PATH + ".weighted_clusters.clusters[1].name: cluster"
                + " \"missing-b\" is not in the snapshot"),
        problems(withListeners(validSnapshot(), singleListener, weightedListener)));
  }

  @Test
  void edsClusterWithoutLoadAssignmentIsAProblem() {
    assertEquals(
        List.of(
            "Cluster " + EDS_CLUSTER + ": .name: no ClusterLoadAssignment named \"" + EDS_CLUSTER
                + "\" in the snapshot; the cluster would stay warming with no endpoints"),
        problems(withEndpoints(validSnapshot())));
  }

  @Test
  void edsServiceNameMustHaveALoadAssignment() {
    var cluster = edsCluster(EDS_CLUSTER).toBuilder();
    cluster.getEdsClusterConfigBuilder().setServiceName("other-service");
    List<String> problems = problems(withClusters(validSnapshot(), cluster.build(), dnsCluster(DNS_CLUSTER, "dns.example.com").build()));
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(
        problems.get(0).startsWith("Cluster " + EDS_CLUSTER + ": .eds_cluster_config.service_name: no ClusterLoadAssignment named \"other-service\""),
        problems::toString);
  }

  @Test
  void missingSdsSecretsAreProblems() {
    EnvoyResources resources =
        withSecrets(
            withClusters(validSnapshot(), edsCluster(EDS_CLUSTER), tlsCluster(sds(CLIENT_CERT), sds(CLIENT_CA))),
            certificateSecret(CLIENT_CERT));
    String tls = ".transport_socket.typed_config.common_tls_context";
    assertEquals(
        List.of(
            "Cluster " + TLS_CLUSTER + ": " + tls + ".combined_validation_context"
                + ".validation_context_sds_secret_config.name: SDS secret \"" + CLIENT_CA
                + "\" is not in the snapshot; Envoy would wait for it forever and never serve this"
                + " listener or cluster"),
        problems(resources));
    assertEquals(
        2,
        problems(withSecrets(resources)).size(),
        "both the certificate and the CA are missing without secrets");
  }

  @Test
  void anSdsReferenceToASecretOfTheWrongKindIsAProblem() {
    // The certificate reference names the CA bundle and the CA reference the certificate.
    EnvoyResources resources =
        withSecrets(
            withClusters(validSnapshot(), edsCluster(EDS_CLUSTER), tlsCluster(sds(CLIENT_CA), sds(CLIENT_CERT))),
            certificateSecret(CLIENT_CERT),
            caSecret(CLIENT_CA));
    String tls = ".transport_socket.typed_config.common_tls_context";
    assertEquals(
        List.of(
            "Cluster " + TLS_CLUSTER + ": " + tls + ".tls_certificate_sds_secret_configs[0].name:"
                + " SDS secret \"" + CLIENT_CA + "\" holds a CA bundle but is referenced for a"
                + " certificate and key; Envoy would reject it there",
            "Cluster " + TLS_CLUSTER + ": " + tls + ".combined_validation_context"
                + ".validation_context_sds_secret_config.name: SDS secret \"" + CLIENT_CERT
                + "\" holds a certificate and key but is referenced for a CA bundle; Envoy would"
                + " reject it there"),
        problems(resources));
  }

  @Test
  void aSecretWithoutContentSaysNothingAboutItsKind() {
    EnvoyResources resources =
        withSecrets(
            withClusters(validSnapshot(), edsCluster(EDS_CLUSTER), tlsCluster(sds(CLIENT_CERT), sds(CLIENT_CA))),
            Secret.newBuilder().setName(CLIENT_CERT).build(),
            Secret.newBuilder().setName(CLIENT_CA).build());
    assertEquals(List.of(), problems(resources));
  }

  @Test
  void sdsReferenceWithoutAdsConfigIsAProblem() {
    SdsSecretConfig staticReference = SdsSecretConfig.newBuilder().setName(CLIENT_CERT).build();
    EnvoyResources resources =
        withSecrets(
            withClusters(validSnapshot(), edsCluster(EDS_CLUSTER), tlsCluster(staticReference, sds(CLIENT_CA))),
            certificateSecret(CLIENT_CERT),
            caSecret(CLIENT_CA));
    List<String> problems = problems(resources);
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).contains(".tls_certificate_sds_secret_configs[0].sds_config: SDS secret"), problems::toString);
  }

  @Test
  void nonAdsConfigSourceIsAProblem() {
    ConfigSource fromFile =
        ConfigSource.newBuilder().setPathConfigSource(PathConfigSource.newBuilder().setPath("/etc/rds.yaml")).build();
    HttpConnectionManager hcm =
        hcm().setRds(Rds.newBuilder().setConfigSource(fromFile).setRouteConfigName(ROUTE_CONFIG)).build();
    assertEquals(
        List.of(
            "Listener " + LISTENER + ": " + HCM_PATH + ".rds.config_source: config source is"
                + " path_config_source, but Outpost serves every resource over ADS: set ads: {}"),
        problems(withListeners(validSnapshot(), httpListener(hcm))));
  }

  @Test
  void duplicateNamesAreProblems() {
    EnvoyResources base = validSnapshot();
    EnvoyResources resources =
        withClusters(
            withListeners(base, httpListener(hcm().build()), httpListener(hcm().build())),
            edsCluster(EDS_CLUSTER),
            edsCluster(EDS_CLUSTER),
            dnsCluster(DNS_CLUSTER, "dns.example.com").build());
    List<String> problems = problems(resources);
    assertEquals(
        List.of(
            "Listener " + LISTENER + ": 2 resources of this type share this name; Envoy keeps only one of them",
            "Cluster " + EDS_CLUSTER + ": 2 resources of this type share this name; Envoy keeps only one of them"),
        problems);
  }

  @Test
  void problemsComeInADeterministicOrder() {
    EnvoyResources broken =
        withEndpoints(
            withRoutes(
                withListeners(validSnapshot(), httpListener(hcm().setStatPrefix("").build())),
                routeTo(ROUTE_CONFIG, "missing")));
    List<String> first = problems(broken);
    assertEquals(first, problems(broken));
    assertEquals(3, first.size(), first::toString);
    assertTrue(first.get(0).startsWith("Listener "), first::toString);
    assertTrue(first.get(1).startsWith("RouteConfiguration "), first::toString);
    assertTrue(first.get(2).startsWith("Cluster "), first::toString);
  }

  @Test
  void problemsInSecretsNameThePathNotTheMaterial() {
    var secret = certificateSecret(CLIENT_CERT).toBuilder();
    secret.getTlsCertificateBuilder().getPrivateKeyBuilder().setInlineString("TOP-SECRET-KEY");
    secret.getTlsCertificateBuilder().getCertificateChainBuilder().setFilename("");
    List<String> problems = problems(withSecrets(validSnapshot(), secret.build()));
    assertEquals(
        List.of(
            "Secret " + CLIENT_CERT + ": .tls_certificate.certificate_chain.filename: length must be"
                + " at least 1 but got: 0"),
        problems);
  }

  @Test
  @SuppressWarnings("deprecation") // the skipped field is a deprecated one; that is the point
  void pgvMessageSkipIsHonoured() {
    // KeyValueAppend.entry is marked (validate.rules).message.skip: Envoy does not validate it.
    var skipped =
        io.envoyproxy.envoy.config.core.v3.KeyValueAppend.newBuilder()
            .setEntry(io.envoyproxy.envoy.config.core.v3.KeyValue.newBuilder().setKey(""))
            .setRecord(io.envoyproxy.envoy.config.core.v3.KeyValuePair.newBuilder().setKey("k"))
            .build();
    List<String> seen = new java.util.ArrayList<>();
    MessageWalker.walk(
        skipped,
        new MessageWalker.Visitor() {
          @Override
          public void message(String path, com.google.protobuf.Message message, boolean pgvApplies) {
            seen.add(path + "=" + pgvApplies);
          }

          @Override
          public void problem(String path, String problem) {
            seen.add(path + ": " + problem);
          }
        });
    assertEquals(List.of("=true", ".entry=false", ".record=true"), seen);
  }

  private static com.google.protobuf.UInt32Value UInt32(int value) {
    return com.google.protobuf.UInt32Value.of(value);
  }
}
