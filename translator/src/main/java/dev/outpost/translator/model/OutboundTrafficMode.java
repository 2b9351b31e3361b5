package dev.outpost.translator.model;

/**
 * What a client proxy does with a request for a host no ServiceEntry or Service declares
 * ({@code outboundTrafficPolicy.mode} of the mesh config, or of a Sidecar).
 */
public enum OutboundTrafficMode {
  /** Refused at the client proxy with 502: only declared hosts leave (Outpost's default). */
  REGISTRY_ONLY,
  /** Passed through to the host the application asked for. */
  ALLOW_ANY
}
