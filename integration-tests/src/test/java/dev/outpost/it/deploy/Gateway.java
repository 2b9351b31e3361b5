package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;

/** The egress gateway as deploy/base installs it. */
record Gateway(Deployment deployment, Container envoy, PodArgs args, Service service, ConfigMap bootstrap) {
  static final String DIR = "base";
  static final String NAME = "istio-egressgateway";
  static final String BOOTSTRAP = "istio-egressgateway-bootstrap";
  static final String BOOTSTRAP_KEY = "envoy.yaml";

  static Gateway of(DeployManifests manifests) {
    Deployment deployment = manifests.one(DIR, Deployment.class, NAME);
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertEquals(1, containers.size(), "the gateway pod has one container: Envoy, no agent");
    Container envoy = containers.get(0);
    return new Gateway(
        deployment,
        envoy,
        PodArgs.of(deployment, envoy),
        manifests.one(DIR, Service.class, NAME),
        manifests.one(DIR, ConfigMap.class, BOOTSTRAP));
  }

  String namespace() {
    return deployment.getMetadata().getNamespace();
  }
}
