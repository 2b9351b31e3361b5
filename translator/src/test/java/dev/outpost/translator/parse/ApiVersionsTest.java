package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertDiagnostic;
import static dev.outpost.translator.parse.Inputs.assertNoDiagnostics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.ConfigSnapshot;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Istio kind reads the same in each version Istio serves it in (networking kinds v1alpha3,
 * v1beta1, v1; AuthorizationPolicy v1beta1, v1; EnvoyFilter v1alpha3 only), from YAML and JSON.
 */
class ApiVersionsTest {
  /** kind|apiVersions (the first is the one all others must equal)|spec */
  private static final String SPECS =
      """
      ServiceEntry|networking.istio.io/v1,v1beta1,v1alpha3|{"hosts": ["a.example.com"], "ports": [{"number": 80, "name": "http", "protocol": "HTTP"}], "resolution": "DNS"}
      Gateway|networking.istio.io/v1,v1beta1,v1alpha3|{"selector": {"istio": "egressgateway"}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["a.example.com"]}]}
      VirtualService|networking.istio.io/v1,v1beta1,v1alpha3|{"hosts": ["a.example.com"], "gateways": ["egress"], "http": [{"route": [{"destination": {"host": "a.example.com"}}]}]}
      DestinationRule|networking.istio.io/v1,v1beta1,v1alpha3|{"host": "a.example.com", "subsets": [{"name": "v1", "labels": {"version": "v1"}}]}
      Sidecar|networking.istio.io/v1,v1beta1,v1alpha3|{"workloadSelector": {"labels": {"app": "web"}}, "egress": [{"port": {"number": 8080, "protocol": "HTTP", "name": "http"}, "hosts": ["*/a.example.com"]}], "outboundTrafficPolicy": {"mode": "REGISTRY_ONLY"}}
      AuthorizationPolicy|security.istio.io/v1,v1beta1|{"selector": {"matchLabels": {"istio": "egressgateway"}}, "action": "DENY", "rules": [{"to": [{"operation": {"hosts": ["a.example.com"], "ports": ["443"]}}]}]}
      EnvoyFilter|networking.istio.io/v1alpha3|{"workloadSelector": {"labels": {"istio": "egressgateway"}}, "configPatches": [{"applyTo": "CLUSTER", "match": {"cluster": {"service": "a.example.com"}}, "patch": {"operation": "MERGE", "value": {"connect_timeout": "5s"}}}]}
      """;

  static Stream<Arguments> kindsAndVersions() {
    return SPECS
        .lines()
        .flatMap(
            line -> {
              String[] parts = line.split("\\|", 3);
              String group = parts[1].substring(0, parts[1].indexOf('/'));
              List<String> versions =
                  List.of(parts[1].substring(parts[1].indexOf('/') + 1).split(","));
              return versions.stream()
                  .map(
                      v ->
                          Arguments.of(
                              parts[0], group + "/" + v, group + "/" + versions.get(0), parts[2]));
            });
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("kindsAndVersions")
  void readsKindInEveryVersionFromYamlAndJson(
      String kind, String apiVersion, String newest, String spec) {
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
    assertEquals(fromJson, assemble(json.replace(apiVersion, newest)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "EnvoyFilter|networking.istio.io/v1|use apiVersion networking.istio.io/v1alpha3 (the only"
            + " version Istio serves EnvoyFilter in)",
        "EnvoyFilter|networking.istio.io/v1beta1|use apiVersion networking.istio.io/v1alpha3",
        "AuthorizationPolicy|networking.istio.io/v1|use apiVersion security.istio.io/v1 (or"
            + " v1beta1)",
        "AuthorizationPolicy|security.istio.io/v1alpha1|use apiVersion security.istio.io/v1",
        "Sidecar|security.istio.io/v1|use apiVersion networking.istio.io/v1 (or v1beta1, v1alpha3)"
      })
  void aVersionIstioDoesNotServeIsIgnoredWithTheOneToUse(
      String kind, String apiVersion, String hint) {
    ConfigSnapshot s =
        assemble(
            "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: x}\nspec: {}\n");
    assertEquals(0, count(s, kind));
    Diagnostic d = assertDiagnostic(s, Severity.WARNING, "document 1", hint);
    assertTrue(d.message().startsWith("kind " + kind + " (apiVersion " + apiVersion + ")"), d.message());
  }

  private static int count(ConfigSnapshot s, String kind) {
    return switch (kind) {
      case "ServiceEntry" -> s.serviceEntries().size();
      case "Gateway" -> s.gateways().size();
      case "VirtualService" -> s.virtualServices().size();
      case "DestinationRule" -> s.destinationRules().size();
      case "Sidecar" -> s.sidecars().size();
      case "AuthorizationPolicy" -> s.authorizationPolicies().size();
      case "EnvoyFilter" -> s.envoyFilters().size();
      default -> throw new IllegalArgumentException(kind);
    };
  }
}
