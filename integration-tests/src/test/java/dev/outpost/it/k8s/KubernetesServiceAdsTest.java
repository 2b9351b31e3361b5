package dev.outpost.it.k8s;

import static dev.outpost.it.k8s.MockIstio.apply;
import static dev.outpost.it.k8s.MockIstio.delete;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outpost.it.ads.SotwClient;
import dev.outpost.server.k8s.KubernetesServing;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In-cluster destinations end to end: a Service, its EndpointSlice and the pods behind it in
 * fabric8's mock API server (CRUD mode) → the real watcher, translator and ADS server → a gRPC
 * client for the gateway pod, which sees the Service's cluster and its endpoints follow the slice.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesServiceAdsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
  private static final String CLUSTER = "outbound|3128||forward-proxy.corp.svc.cluster.local";
  private static final String V2_CLUSTER = "outbound|3128|v2|forward-proxy.corp.svc.cluster.local";

  KubernetesMockServer server;
  KubernetesClient client;

  private KubernetesServing outpost;

  @BeforeEach
  void cluster() {
    MockIstio.serve(server);
    apply(client, MockIstio.gatewayPod("egress-1", "istio-system", "istio-egressgateway"));
  }

  @AfterEach
  void stop() {
    if (outpost != null) {
      outpost.close();
    }
  }

  @Test
  void aServicesClusterAndEndpointsFollowItsEndpointSlice() throws Exception {
    apply(client, GATEWAY);
    apply(client, VIRTUAL_SERVICE);
    apply(client, SUBSETS);
    apply(client, SERVICE);
    apply(client, pod("forward-proxy-a", "v1"));
    apply(client, pod("forward-proxy-b", "v2"));
    apply(client, slice(true));
    startOutpost();

    try (SotwClient envoy = new SotwClient(outpost.server().xdsPort(), gatewayNode())) {
      envoy.request(CDS, List.of());
      DiscoveryResponse clusters = await(envoy, CDS, List.of(), r -> clusterNames(r).contains(CLUSTER));
      assertEquals(List.of("BlackHoleCluster", V2_CLUSTER, CLUSTER), clusterNames(clusters));

      envoy.request(EDS, List.of(CLUSTER, V2_CLUSTER));
      DiscoveryResponse endpoints = await(envoy, EDS, List.of(CLUSTER, V2_CLUSTER), r -> r.getResourcesCount() == 2);
      assertEquals(List.of("10.244.1.3:13128", "10.244.1.7:13128"), addresses(endpoints, CLUSTER));
      assertEquals(List.of("10.244.1.7:13128"), addresses(endpoints, V2_CLUSTER), "subset v2 is the pod labelled version: v2");

      // The v2 pod stops being ready: the slice says so, and both clusters lose it.
      apply(client, slice(false));
      endpoints = await(envoy, EDS, List.of(CLUSTER, V2_CLUSTER), r -> addresses(r, CLUSTER).size() == 1);
      assertEquals(List.of("10.244.1.3:13128"), addresses(endpoints, CLUSTER));
      assertEquals(List.of(), addresses(endpoints, V2_CLUSTER));

      // The Service goes: nothing declares the host any more, so its clusters go.
      delete(client, SERVICE);
      clusters = await(envoy, CDS, List.of(), r -> !clusterNames(r).contains(CLUSTER));
      assertEquals(List.of("BlackHoleCluster"), clusterNames(clusters));
    }
  }

  private void startOutpost() throws Exception {
    outpost = MockIstio.startOutpost(client);
  }

  private static Node gatewayNode() {
    Struct metadata =
        Struct.newBuilder().putFields("ROLE", Value.newBuilder().setStringValue("gateway").build()).build();
    return Node.newBuilder().setId("egress-1.istio-system").setMetadata(metadata).build();
  }

  /** Responses of the type, each ACKed, until one satisfies {@code done}. */
  private static DiscoveryResponse await(
      SotwClient envoy, String typeUrl, List<String> names, Predicate<DiscoveryResponse> done) throws Exception {
    DiscoveryResponse last = null;
    for (int i = 0; i < 6; i++) {
      last = envoy.await(typeUrl);
      envoy.ack(last, names);
      if (done.test(last)) {
        return last;
      }
    }
    throw new AssertionError("no " + typeUrl + " response as expected; last: " + last);
  }

  private static List<String> clusterNames(DiscoveryResponse response) {
    List<String> names = new ArrayList<>();
    for (var any : response.getResourcesList()) {
      try {
        names.add(any.unpack(Cluster.class).getName());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return names.stream().sorted().toList();
  }

  private static List<String> addresses(DiscoveryResponse response, String cluster) {
    List<String> out = new ArrayList<>();
    for (var any : response.getResourcesList()) {
      try {
        ClusterLoadAssignment cla = any.unpack(ClusterLoadAssignment.class);
        if (!cla.getClusterName().equals(cluster)) {
          continue;
        }
        cla.getEndpointsList()
            .forEach(
                locality ->
                    locality.getLbEndpointsList()
                        .forEach(
                            lb -> {
                              var address = lb.getEndpoint().getAddress().getSocketAddress();
                              out.add(address.getAddress() + ":" + address.getPortValue());
                            }));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return out.stream().sorted().toList();
  }

  // --- resources -----------------------------------------------------------------------------

  private static final String GATEWAY =
      """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: egress, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["*"]
      """;

  private static final String VIRTUAL_SERVICE =
      """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: to-forward-proxy, namespace: istio-system}
      spec:
        hosts: [proxy.corp.example.com]
        gateways: [egress]
        http:
        - match: [{uri: {prefix: /v2}}]
          route:
          - destination: {host: forward-proxy.corp.svc.cluster.local, subset: v2, port: {number: 3128}}
        - route:
          - destination: {host: forward-proxy.corp.svc.cluster.local, port: {number: 3128}}
      """;

  private static final String SUBSETS =
      """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: forward-proxy, namespace: istio-system}
      spec:
        host: forward-proxy.corp.svc.cluster.local
        subsets: [{name: v2, labels: {version: v2}}]
      """;

  private static final String SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: forward-proxy, namespace: corp}
      spec:
        selector: {app: forward-proxy}
        ports: [{name: http-proxy, port: 3128, targetPort: proxy}]
      """;

  private static String pod(String name, String version) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: corp, labels: {app: forward-proxy, version: %s}}
        spec:
          serviceAccountName: forward-proxy
          containers: [{name: proxy, image: squid}]
        """
        .formatted(name, version);
  }

  private static String slice(boolean bReady) {
    return """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: forward-proxy-x1
          namespace: corp
          labels: {kubernetes.io/service-name: forward-proxy}
        addressType: IPv4
        ports: [{name: http-proxy, port: 13128}]
        endpoints:
        - addresses: [10.244.1.3]
          targetRef: {kind: Pod, name: forward-proxy-a, namespace: corp}
        - addresses: [10.244.1.7]
          conditions: {ready: %s}
          targetRef: {kind: Pod, name: forward-proxy-b, namespace: corp}
        """
        .formatted(bReady);
  }
}
