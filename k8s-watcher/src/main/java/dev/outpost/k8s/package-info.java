/**
 * Kubernetes source for Outpost: fabric8 informers that turn the cluster's Istio resources,
 * Secrets and pods into {@code ConfigSnapshot}s. Arrives with the Kubernetes issue; until then
 * Outpost reads configuration from a directory (see xds-server's file source).
 */
package dev.outpost.k8s;
