package dev.outpost.translator.check;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * What the snapshot checker found. Each problem names the resource type, the resource name and
 * what is wrong, e.g. {@code Listener 0_0_0_0_80: .filter_chains[0]...: value must be ...}.
 */
public record CheckResult(ImmutableList<String> problems) {
  public static final CheckResult OK = new CheckResult(ImmutableList.of());

  public CheckResult {
    Objects.requireNonNull(problems, "problems");
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
