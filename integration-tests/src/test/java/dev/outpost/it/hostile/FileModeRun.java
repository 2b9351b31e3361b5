package dev.outpost.it.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.outpost.server.cli.OutpostCli;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * File mode: {@code outpost translate --config-dir DIR} in this JVM, through the real command
 * line (ConfigDirReader, SnapshotAssembler, Translator, SnapshotChecker, the config dump), once
 * as the gateway and once as a client proxy.
 */
final class FileModeRun {
  /** Config dumps are small here; diagnostics may be many, but a flood is cut. */
  private static final int OUTPUT_LIMIT = 8 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private FileModeRun() {}

  static RoleOutcome translate(Path dir, GoodConfig.Role role) {
    BoundedWriter out = new BoundedWriter(OUTPUT_LIMIT);
    BoundedWriter err = new BoundedWriter(OUTPUT_LIMIT);
    List<String> args = new ArrayList<>(List.of("translate", "--config-dir", dir.toString()));
    args.addAll(role.translateArgs());
    int exit;
    String console;
    try (ConsoleCapture capture = new ConsoleCapture()) {
      try {
        CommandLine cli = OutpostCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        exit = cli.execute(args.toArray(String[]::new));
      } catch (Throwable t) { // an Error (OutOfMemoryError, StackOverflowError) is a finding too
        return RoleOutcome.failed(role, t, err + capture.text());
      }
      console = capture.text();
    }
    String stderr = err.toString() + (err.truncated() ? "\n[stderr cut]" : "");
    ImmutableList.Builder<String> diagnostics = ImmutableList.builder();
    ImmutableList.Builder<String> problems = ImmutableList.builder();
    for (String line : stderr.split("\n", -1)) {
      if (line.startsWith("ERROR snapshot check: ")) {
        problems.add(line);
      } else if (!line.isEmpty()) {
        diagnostics.add(line);
      }
    }
    ImmutableSet.Builder<String> listeners = ImmutableSet.builder();
    ImmutableSet.Builder<String> virtualHosts = ImmutableSet.builder();
    ImmutableSet.Builder<String> clusters = ImmutableSet.builder();
    try {
      JsonNode dump = JSON.readTree(out.toString());
      for (JsonNode config : dump.path("configs")) {
        for (JsonNode l : config.path("dynamic_listeners")) {
          listeners.add(l.path("name").asText());
        }
        for (JsonNode r : config.path("dynamic_route_configs")) {
          JsonNode routeConfig = r.path("route_config");
          for (JsonNode vh : routeConfig.path("virtual_hosts")) {
            virtualHosts.add(routeConfig.path("name").asText() + "/" + vh.path("name").asText());
          }
        }
        for (JsonNode c : config.path("dynamic_active_clusters")) {
          clusters.add(c.path("cluster").path("name").asText());
        }
      }
    } catch (Exception e) {
      return new RoleOutcome(
          role, Optional.of(exit), diagnostics.build(), ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of(),
          problems.build(), stderr + console, Optional.of(new AssertionError("the config dump is not JSON: " + e, e)));
    }
    return new RoleOutcome(
        role, Optional.of(exit), diagnostics.build(), listeners.build(), virtualHosts.build(), clusters.build(),
        problems.build(), stderr + console, Optional.empty());
  }
}
