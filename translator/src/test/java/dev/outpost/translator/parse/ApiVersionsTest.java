package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.outpost.translator.model.ConfigSnapshot;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Istio kind reads the same in v1alpha3, v1beta1 and v1, from YAML and from JSON. */
class ApiVersionsTest {
  private static final String SPECS =
      """
      ServiceEntry|{"hosts": ["a.example.com"], "ports": [{"number": 80, "name": "http", "protocol": "HTTP"}], "resolution": "DNS"}
      Gateway|{"selector": {"istio": "egressgateway"}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["a.example.com"]}]}
      VirtualService|{"hosts": ["a.example.com"], "gateways": ["egress"], "http": [{"route": [{"destination": {"host": "a.example.com"}}]}]}
      DestinationRule|{"host": "a.example.com", "subsets": [{"name": "v1", "labels": {"version": "v1"}}]}
      Sidecar|{"workloadSelector": {"labels": {"app": "web"}}, "egress": [{"port": {"number": 8080, "protocol": "HTTP", "name": "http"}, "hosts": ["*/a.example.com"]}], "outboundTrafficPolicy": {"mode": "REGISTRY_ONLY"}}
      """;

  static Stream<Arguments> kindsAndVersions() {
    return SPECS
        .lines()
        .flatMap(
            line ->
                Stream.of("v1alpha3", "v1beta1", "v1")
                    .map(
                        v ->
                            Arguments.of(
                                line.substring(0, line.indexOf('|')),
                                "networking.istio.io/" + v,
                                line.substring(line.indexOf('|') + 1))));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("kindsAndVersions")
  void readsKindInEveryVersionFromYamlAndJson(String kind, String apiVersion, String spec) {
    String json =
        "{\"apiVersion\": \""
            + apiVersion
            + "\", \"kind\": \""
            + kind
            + "\", \"metadata\": {\"name\": \"x\", \"namespace\": \"ns\"},"
            + " \"spec\": "
            + spec
            + "}";
    String yaml =
        "apiVersion: "
            + apiVersion
            + "\nkind: "
            + kind
            + "\nmetadata:\n  name: x\n  namespace: ns\nspec: "
            + spec
            + "\n";
    ConfigSnapshot fromJson = assemble(json);
    ConfigSnapshot fromYaml = assemble(yaml);
    assertNoDiagnostics(fromJson);
    assertNoDiagnostics(fromYaml);
    assertEquals(1, count(fromJson, kind));
    assertEquals(fromJson, fromYaml, "same model from either syntax");
    // The apiVersion does not show in the model: all versions give the same object.
    assertEquals(fromJson, assemble(json.replace(apiVersion, "networking.istio.io/v1")));
  }

  private static int count(ConfigSnapshot s, String kind) {
    return switch (kind) {
      case "ServiceEntry" -> s.serviceEntries().size();
      case "Gateway" -> s.gateways().size();
      case "VirtualService" -> s.virtualServices().size();
      case "DestinationRule" -> s.destinationRules().size();
      case "Sidecar" -> s.sidecars().size();
      default -> throw new IllegalArgumentException(kind);
    };
  }
}
