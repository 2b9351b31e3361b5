package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.base.Splitter;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;

/** The control plane as deploy/base installs it, and the values its manifests must agree on. */
record ControlPlane(Deployment deployment, Container container, PodArgs args, Service service) {
  static final String DIR = "base";
  static final String NAME = "outpost";

  static ControlPlane of(DeployManifests manifests) {
    Deployment deployment = manifests.one(DIR, Deployment.class, NAME);
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertEquals(1, containers.size(), "the control plane pod has one container");
    Container container = containers.get(0);
    return new ControlPlane(deployment, container, PodArgs.of(deployment, container), manifests.one(DIR, Service.class, NAME));
  }

  String namespace() {
    return deployment.getMetadata().getNamespace();
  }

  String serviceAccountName() {
    return deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
  }

  String serviceAccountNamespace() {
    return namespace();
  }

  String systemNamespace() {
    return args.required("--system-namespace");
  }

  String leaseName() {
    return args.required("--leader-election-lease");
  }

  String caSecretName() {
    return args.required("--ca-secret");
  }

  List<String> secretNamespaces() {
    return Splitter.on(',').trimResults().omitEmptyStrings().splitToList(args.required("--secret-namespaces"));
  }

  int xdsPort() {
    return Integer.parseInt(args.required("--xds-port"));
  }

  int adminPort() {
    return Integer.parseInt(args.required("--admin-port"));
  }
}
