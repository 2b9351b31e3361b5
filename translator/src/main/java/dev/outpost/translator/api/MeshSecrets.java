package dev.outpost.translator.api;

import com.google.common.collect.ImmutableSet;

/**
 * SDS names of a proxy's own mesh identity, as in Istio. The translator only references them
 * (ISTIO_MUTUAL); the server's mesh CA supplies their content per proxy identity, so they are
 * never part of a translation's own secrets.
 */
public final class MeshSecrets {
  /** The proxy's SPIFFE certificate and private key. */
  public static final String CERTIFICATE = "default";

  /** The mesh CA's trust bundle, to verify peers' mesh certificates. */
  public static final String TRUST_BUNDLE = "ROOTCA";

  public static final ImmutableSet<String> NAMES = ImmutableSet.of(CERTIFICATE, TRUST_BUNDLE);

  private MeshSecrets() {}
}
