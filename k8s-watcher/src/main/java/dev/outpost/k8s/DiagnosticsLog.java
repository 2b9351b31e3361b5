package dev.outpost.k8s;

import dev.outpost.translator.diag.Diagnostic;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the diagnostics of each rebuild that were not there in the previous one, so that a standing
 * warning is logged once and not on every change anywhere in the cluster.
 */
final class DiagnosticsLog {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWatcher.class);

  private Set<Diagnostic> previous = Set.of();

  void log(List<Diagnostic> diagnostics) {
    Set<Diagnostic> now = new HashSet<>(diagnostics);
    for (Diagnostic diagnostic : diagnostics) {
      if (previous.contains(diagnostic)) {
        continue;
      }
      if (diagnostic.isError()) {
        LOG.error("{}", diagnostic);
      } else {
        LOG.warn("{}", diagnostic);
      }
    }
    previous = now;
  }
}
