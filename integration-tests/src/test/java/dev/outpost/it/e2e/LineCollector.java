package dev.outpost.it.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Collects the lines a child process prints, on a daemon thread, so tests can read them. */
final class LineCollector {
  private final List<String> lines = new ArrayList<>();
  private final String echoPrefix;

  LineCollector(String echoPrefix) {
    this.echoPrefix = echoPrefix;
  }

  void drain(InputStream stream) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  add(line);
                }
              } catch (IOException e) {
                add("[stream closed: " + e.getMessage() + "]");
              }
            },
            "drain-" + echoPrefix);
    thread.setDaemon(true);
    thread.start();
  }

  synchronized void add(String line) {
    lines.add(line);
    // Echo so that a failing test's report shows what the process said.
    System.out.println(echoPrefix + line);
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
