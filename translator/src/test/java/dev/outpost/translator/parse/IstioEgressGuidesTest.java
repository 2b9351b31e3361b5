package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.outpost.translator.api.SourceFile;
import dev.outpost.translator.model.ConfigSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Manifests as the Istio egress guides write them read cleanly: users apply them unchanged. */
class IstioEgressGuidesTest {

  @Test
  void guideManifestsReadWithoutDiagnostics() throws IOException {
    String text;
    try (InputStream in = getClass().getResourceAsStream("istio-egress-guides.yaml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ConfigSnapshot s = Inputs.assemble(ConfigSnapshot.EMPTY, new SourceFile("guides.yaml", text));
    assertNoDiagnostics(s);
    assertEquals(1, s.serviceEntries().size());
    assertEquals(2, s.gateways().size());
    assertEquals(2, s.virtualServices().size());
    assertEquals(3, s.destinationRules().size());
    assertEquals(1, s.secrets().size());
  }
}
