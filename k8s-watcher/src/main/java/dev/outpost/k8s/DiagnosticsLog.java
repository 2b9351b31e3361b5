package dev.outpost.k8s;

import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.model.OutboundTrafficMode;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the diagnostics of each rebuild that were not there in the previous one, with a summary
 * line when the set changed, so that a standing warning is logged once and not on every change
 * anywhere in the cluster.
 */
final class DiagnosticsLog {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWatcher.class);

  private Set<Diagnostic> previous; // null before the first rebuild, which is always summarized

  void log(ConfigSnapshot snapshot) {
    Set<Diagnostic> now = new HashSet<>(snapshot.diagnostics());
    if (now.equals(previous)) {
      return;
    }
    long errors = snapshot.diagnostics().stream().filter(Diagnostic::isError).count();
    LOG.info(
        "config from the cluster: {} ServiceEntries, {} Gateways, {} VirtualServices, {}"
            + " DestinationRules, {} Sidecars, {} AuthorizationPolicies, {} EnvoyFilters, {} Secrets,"
            + " mesh outboundTrafficPolicy {}; {} errors, {} warnings",
        snapshot.serviceEntries().size(),
        snapshot.gateways().size(),
        snapshot.virtualServices().size(),
        snapshot.destinationRules().size(),
        snapshot.sidecars().size(),
        snapshot.authorizationPolicies().size(),
        snapshot.envoyFilters().size(),
        snapshot.secrets().size(),
        snapshot.meshConfigs().stream()
            .map(m -> m.outboundTrafficMode().toString())
            .findFirst()
            .orElse(OutboundTrafficMode.REGISTRY_ONLY + " (no mesh config)"),
        errors,
        snapshot.diagnostics().size() - errors);
    for (Diagnostic diagnostic : snapshot.diagnostics()) {
      if (previous != null && previous.contains(diagnostic)) {
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
