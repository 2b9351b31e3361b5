package dev.outpost.server.ca;

import java.time.Instant;

/**
 * Where the mesh CA's signing material lives. A plugged-in CA is only read; the self-signed root
 * is created on first use and read afterwards, so restarts and replicas share it. Kubernetes mode
 * adds a store backed by a Secret.
 */
public interface CaStore {
  /**
   * The CA this store holds, verified at {@code now}; a store that creates its CA creates it first
   * if it holds none.
   */
  SigningCa load(Instant now) throws CaException;

  /** Where the CA lives, for logs and messages (a path, a Secret's name). */
  String location();
}
