package dev.outpost.it.hostile;

import com.google.common.base.Throwables;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What every case must show, whatever its input (issue 16, "How to prove it"): nothing escaped and
 * no stack trace was printed, {@code translate} exited 0 or 2, nothing Envoy would reject, the
 * good config still served to both proxies, a diagnostic naming the file or resource (and field),
 * and no diagnostic that echoes huge input. All failures of a case are reported together.
 */
final class CaseAssertions {
  /** Longer than any diagnostic needs: one that is longer quotes the input it is about. */
  static final int MAX_DIAGNOSTIC_LENGTH = 2_000;

  private static final Pattern STACK_TRACE =
      Pattern.compile("(?m)^\\s+at [\\w$.<>/]+\\(.*\\)\\s*$|^Caused by: |Exception in thread |OutOfMemoryError|StackOverflowError");

  /**
   * The mock API server's Vert.x reports its event loop blocked, with a stack trace, when the
   * machine is busy: the test's server, not Outpost.
   */
  private static final Pattern VERTX_BLOCKED_THREAD =
      Pattern.compile("(?m)^.*BlockedThreadChecker.*\\R(?:io\\.vertx\\.core\\.VertxException: Thread blocked\\R)?(?:\\s+at .*\\R?)*");

  private CaseAssertions() {}

  static void assertSafe(HostileCase hostile, List<RoleOutcome> outcomes) {
    List<String> failures = new ArrayList<>();
    for (RoleOutcome o : outcomes) {
      String who = o.role().name().toLowerCase(java.util.Locale.ROOT) + ": ";
      o.thrown().ifPresent(t -> failures.add(who + "threw " + shortTrace(t)));
      if (o.thrown().isPresent()) {
        continue;
      }
      o.exitCode().filter(code -> code != 0 && code != 2).ifPresent(code -> failures.add(who + "exit code " + code));
      String output = VERTX_BLOCKED_THREAD.matcher(o.output()).replaceAll("");
      var trace = STACK_TRACE.matcher(output);
      if (trace.find()) {
        failures.add(who + "printed a stack trace or fatal error: " + excerpt(output, trace.start()));
      }
      o.checkProblems().forEach(p -> failures.add(who + "the snapshot check refuses the config: " + cut(p)));
      if (!o.listeners().contains(o.role().listener)) {
        failures.add(who + "good listener " + o.role().listener + " missing; listeners: " + o.listeners());
      }
      String vh = o.role().routeConfig + "/" + GoodConfig.VIRTUAL_HOST;
      if (!o.virtualHosts().contains(vh)) {
        failures.add(who + "good route " + vh + " missing; routes: " + cut(o.virtualHosts().toString()));
      }
      if (!o.clusters().contains(GoodConfig.CLUSTER)) {
        failures.add(who + "good cluster " + GoodConfig.CLUSTER + " missing; clusters: " + cut(o.clusters().toString()));
      }
      for (String d : o.diagnostics()) {
        if (d.length() > MAX_DIAGNOSTIC_LENGTH) {
          failures.add(who + "a diagnostic of " + d.length() + " characters echoes the input: " + cut(d));
          break;
        }
      }
    }
    if (!hostile.expected().isEmpty() && outcomes.stream().allMatch(o -> o.thrown().isEmpty())) {
      boolean named =
          outcomes.stream()
              .flatMap(o -> o.diagnostics().stream())
              .anyMatch(d -> hostile.expected().stream().allMatch(d::contains));
      if (!named) {
        failures.add(
            "no diagnostic contains all of " + hostile.expected() + "; diagnostics: "
                + cut(String.join(" | ", outcomes.get(0).diagnostics())));
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(hostile.displayName() + ":\n  " + String.join("\n  ", failures));
    }
  }

  private static String shortTrace(Throwable t) {
    String trace = Throwables.getStackTraceAsString(t);
    return cut(trace.lines().limit(12).reduce((a, b) -> a + "\n      " + b).orElse(t.toString()));
  }

  private static String excerpt(String text, int at) {
    int start = Math.max(0, text.lastIndexOf('\n', Math.max(0, at - 1)) - 300);
    return cut(text.substring(start, Math.min(text.length(), at + 600)));
  }

  static String cut(String s) {
    return s.length() <= 1_500 ? s : s.substring(0, 1_500) + "... (" + s.length() + " chars)";
  }
}
