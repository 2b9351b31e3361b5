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
}
