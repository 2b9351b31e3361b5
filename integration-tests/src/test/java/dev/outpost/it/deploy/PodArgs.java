package dev.outpost.it.deploy;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's command-line arguments as the kubelet passes them: {@code $(VAR)} expanded from the
 * container's downward-API environment, for the pod that the Deployment would create (its name is
 * not known, so {@code metadata.name} becomes {@code POD}).
 */
final class PodArgs {
  static final String POD_NAME = "POD";
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private final List<String> args;

  private PodArgs(List<String> args) {
    this.args = List.copyOf(args);
  }

  static PodArgs of(Deployment deployment, Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), value(deployment, var));
    }
    return new PodArgs(container.getArgs().stream().map(arg -> expand(arg, env)).toList());
  }

  private static String value(Deployment deployment, EnvVar var) {
    if (var.getValue() != null) {
      return var.getValue();
    }
    assertNotNull(var.getValueFrom(), "env " + var.getName() + " has neither value nor valueFrom");
    assertNotNull(var.getValueFrom().getFieldRef(), "env " + var.getName() + ": only downward-API fieldRefs are expected");
    String field = var.getValueFrom().getFieldRef().getFieldPath();
    return switch (field) {
      case "metadata.name" -> POD_NAME;
      case "metadata.namespace" -> deployment.getMetadata().getNamespace();
      default -> throw new AssertionError("env " + var.getName() + ": unexpected fieldRef " + field);
    };
  }

  private static String expand(String arg, Map<String, String> env) {
    Matcher m = REFERENCE.matcher(arg);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null) {
        // The kubelet would pass "$(VAR)" through literally: certainly a mistake here.
        fail("argument \"" + arg + "\" refers to $(" + m.group(1) + "), which the container's env does not define");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  List<String> list() {
    return args;
  }

  /** {@code --name=value} or {@code --name value}. */
  Optional<String> flag(String name) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith(name + "=")) {
        return Optional.of(arg.substring(name.length() + 1));
      }
      if (arg.equals(name) && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        return Optional.of(args.get(i + 1));
      }
    }
    return Optional.empty();
  }

  boolean has(String name) {
    return args.contains(name) || args.stream().anyMatch(a -> a.startsWith(name + "="));
  }

  String required(String name) {
    return flag(name).orElseThrow(() -> new AssertionError("missing " + name + " in " + args));
  }
}
