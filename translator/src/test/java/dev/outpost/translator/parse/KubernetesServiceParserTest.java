package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static dev.outpost.translator.parse.Inputs.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.KubeEndpointSlice;
import dev.outpost.translator.model.KubeEndpointSlice.SliceEndpoint;
import dev.outpost.translator.model.KubeService;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Services, EndpointSlices and Pods: the Kubernetes registry kinds. */
class KubernetesServiceParserTest {

  @Test
  void readsAServiceAsTheApiServerServesIt() {
    ConfigSnapshot s =
        assemble(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: apps, uid: 1, resourceVersion: "7"}
            spec:
              clusterIP: 10.96.0.10
              clusterIPs: [10.96.0.10, "fd00::10"]
              internalTrafficPolicy: Cluster
              ipFamilies: [IPv4, IPv6]
              sessionAffinity: None
              selector: {app: web}
              ports:
              - {name: http, port: 80, targetPort: 8080, protocol: TCP}
              - {name: metrics, port: 9090, targetPort: metrics, appProtocol: http}
            status: {loadBalancer: {}}
            """);
    assertNoDiagnostics(s);
    KubeService web = s.services().get(0);
    assertEquals(KubeService.Type.CLUSTER_IP, web.type());
    assertEquals(ImmutableList.of("10.96.0.10", "fd00::10"), web.clusterIps());
    assertEquals(
        ImmutableList.of(
            new KubeService.ServicePort("http", 80, "TCP", Optional.empty(), Optional.of(8080)),
            new KubeService.ServicePort(
                "metrics", 9090, "TCP", Optional.of("http"), Optional.empty())),
        web.ports(),
        "a named targetPort is left to the EndpointSlices");
  }

  @Test
  void headlessServiceHasNoClusterIp() {
    ConfigSnapshot s =
        assemble(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: db, namespace: apps}
            spec: {clusterIP: None, ports: [{port: 5432}]}
            """);
    assertNoDiagnostics(s);
    assertEquals(ImmutableList.of(), s.services().get(0).clusterIps());
  }

  @Test
  void multiPortServiceNeedsPortNames() {
    ConfigSnapshot s =
        assemble(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: apps}
            spec:
              ports: [{port: 80}, {name: https, port: 443}]
            """);
    assertRejected(s, "spec.ports[0].name", "more than one port");
  }

  @Test
  void externalNameServiceNeedsAName() {
    ConfigSnapshot s =
        assemble(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: legacy, namespace: apps}
            spec: {type: ExternalName, ports: [{port: 80}]}
            """);
    assertRejected(s, "spec.externalName", "required for type ExternalName");
  }

  @Test
  void unknownServiceTypeIsRejected() {
    ConfigSnapshot s =
        assemble(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: apps}
            spec: {type: Internal, ports: [{port: 80}]}
            """);
    assertRejected(s, "spec.type", "ClusterIP, NodePort, LoadBalancer, ExternalName");
  }

  @Test
  void readsAnEndpointSlice() {
    ConfigSnapshot s =
        assemble(
            """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-x1
              namespace: apps
              labels: {kubernetes.io/service-name: web, endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io}
            addressType: IPv4
            ports: [{name: http, port: 8080, protocol: TCP}, {name: all}]
            endpoints:
            - addresses: [10.244.0.5]
              conditions: {ready: true, serving: true, terminating: false}
              nodeName: node-1
              targetRef: {kind: Pod, name: web-0, namespace: apps, uid: u}
              zone: z1
            - addresses: [10.244.0.6]
              conditions: {ready: false}
            """);
    assertNoDiagnostics(s);
    KubeEndpointSlice slice = s.endpointSlices().get(0);
    assertEquals(Optional.of("web"), slice.serviceName());
    assertEquals(
        ImmutableList.of(new KubeEndpointSlice.SlicePort("http", 8080)),
        slice.ports(),
        "a port without a number (all ports) routes nothing");
    assertEquals(
        ImmutableList.of(
            new SliceEndpoint(
                ImmutableList.of("10.244.0.5"), true, Optional.of("web-0"), Optional.of("z1")),
            new SliceEndpoint(
                ImmutableList.of("10.244.0.6"), false, Optional.empty(), Optional.empty())),
        slice.endpoints());
  }

  @Test
  void endpointSliceAddressMustBeAnIp() {
    ConfigSnapshot s =
        assemble(
            """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-x1, namespace: apps, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            endpoints: [{addresses: [web-0.local]}]
            """);
    assertRejected(s, "endpoints[0].addresses[0]", "is not an IP address");
  }

  @Test
  void oldEndpointSliceVersionGetsAHint() {
    ConfigSnapshot s =
        assemble(
            """
            apiVersion: discovery.k8s.io/v1beta1
            kind: EndpointSlice
            metadata: {name: web-x1, namespace: apps}
            addressType: IPv4
            """);
    assertDiagnostic(s, Severity.WARNING, "document 1", "use apiVersion discovery.k8s.io/v1");
  }

  @Test
  void podServiceAccountDefaults() {
    ConfigSnapshot s =
        assemble(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-0, namespace: apps, labels: {app: web}}
            spec: {containers: [{name: web, image: web}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, namespace: apps}
            spec: {serviceAccountName: web}
            """);
    assertNoDiagnostics(s);
    assertEquals("default", s.pods().get(0).serviceAccount());
    assertEquals("web", s.pods().get(1).serviceAccount());
  }
}
