package dev.outpost.server.admin;

import java.util.Optional;

/**
 * What else {@code /readyz} waits for besides a published config: empty when ready, else a sentence
 * saying what is missing (e.g. the Kubernetes watcher has not listed every resource yet).
 */
@FunctionalInterface
public interface ReadinessCheck {
  ReadinessCheck ALWAYS = () -> Optional.empty();

  Optional<String> notReadyBecause();

  /**
   * Something an operator should know although the server is ready, shown in the body of a 200
   * {@code /readyz}: e.g. the config directory vanished and the last good config is served.
   */
  default Optional<String> detail() {
    return Optional.empty();
  }
}
