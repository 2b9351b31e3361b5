/**
 * Kubernetes source for Outpost: fabric8 informers that turn the cluster's Istio resources and
 * Secrets into {@code ConfigSnapshot}s through the translator's own parser, and pods into proxy
 * identities. Entry point: {@link dev.outpost.k8s.KubernetesWatcher}; see this module's README.
 */
package dev.outpost.k8s;
