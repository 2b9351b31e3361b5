package dev.outpost.server.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.api.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BundledExampleTest {
  @Test
  void jarCarriesEveryFileOfTheExampleDirectory() throws Exception {
    Path example = Path.of("..", "deploy", "examples", "http-egress");
    try (Stream<Path> files = Files.list(example)) {
      assertEquals(
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList(),
          BundledExample.FILES,
          "BundledExample.FILES must list deploy/examples/http-egress");
    }
    for (SourceFile file : BundledExample.files()) {
      assertTrue(file.text().contains("apiVersion: networking.istio.io/v1"), file.name());
    }
  }
}
