package dev.outpost.server.xds;

import dev.outpost.translator.api.EnvoyResources;
import dev.outpost.translator.check.CheckResult;
import dev.outpost.translator.check.SnapshotChecker;

/** The check every snapshot passes before it is published (DESIGN.md section 5, rule 1). */
@FunctionalInterface
public interface SnapshotGate {
  CheckResult check(EnvoyResources resources);

  static SnapshotGate standard() {
    SnapshotChecker checker = new SnapshotChecker();
    return checker::check;
  }
}
