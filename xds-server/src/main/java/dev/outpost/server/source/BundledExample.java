package dev.outpost.server.source;

import com.google.common.collect.ImmutableList;
import dev.outpost.server.metrics.Metrics;
import dev.outpost.server.xds.SnapshotPublisher;
import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.model.ConfigSnapshot;
import dev.outpost.translator.parse.SnapshotAssembler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The config {@code outpost serve} runs without {@code --config-dir}: the Istio egress guide's
 * plaintext HTTP case, from {@code deploy/examples/http-egress}, packaged into the jar.
 */
public final class BundledExample {
  /** Resource folder inside the jar (see the resources section of xds-server/pom.xml). */
  static final String RESOURCE_DIR = "outpost/examples/http-egress/";

  public static final List<String> FILES =
      List.of("destinationrule.yaml", "gateway.yaml", "serviceentry.yaml", "virtualservice.yaml");

  private BundledExample() {}

  public static ImmutableList<SourceFile> files() throws IOException {
    ImmutableList.Builder<SourceFile> files = ImmutableList.builder();
    for (String name : FILES) {
      try (InputStream in = BundledExample.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
        if (in == null) {
          throw new IOException("bundled example file " + RESOURCE_DIR + name + " is missing from the jar");
        }
        files.add(new SourceFile("examples/http-egress/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return files.build();
  }

  public static void publish(SnapshotPublisher publisher, Metrics metrics) throws IOException {
    ConfigSnapshot snapshot = new SnapshotAssembler().assemble(files(), ConfigSnapshot.EMPTY);
    metrics.configReloaded();
    publisher.updateConfig(snapshot);
  }
}
