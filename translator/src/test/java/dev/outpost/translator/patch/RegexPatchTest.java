package dev.outpost.translator.patch;

import static dev.outpost.translator.patch.PatchFixtures.assertChecks;
import static dev.outpost.translator.patch.PatchFixtures.assertDiagnostic;
import static dev.outpost.translator.patch.PatchFixtures.filter;
import static dev.outpost.translator.patch.PatchFixtures.patch;
import static dev.outpost.translator.patch.PatchFixtures.routeConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.outpost.translator.diag.Severity;
import dev.outpost.translator.model.EnvoyFilter;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import dev.outpost.translator.model.EnvoyFilter.Operation;
import org.junit.jupiter.api.Test;

/** A regex brought in by an EnvoyFilter meets the same limits as one in a VirtualService. */
class RegexPatchTest {

  private static EnvoyFilter routeRegex(String name, String regex) {
    return filter("istio-system", name)
        .patch(
            patch(ApplyTo.HTTP_ROUTE, Operation.MERGE)
                .routeConfiguration(
                    routeConfiguration().port(80).vhost("api.example.com:80").route("api-v1"))
                .json("{\"match\": {\"safe_regex\": {\"regex\": \"" + regex + "\"}}}"))
        .build();
  }

  @Test
  void theGateDropsAFilterWhoseRegexEnvoyWouldRefuse() {
    EnvoyFilter bomb = routeRegex("bomb", "(((a{1000}){1000}){1000}){1000}");
    EnvoyFilter tooLarge = routeRegex("too-large", ".{0,1000}".repeat(40));
    EnvoyFilter fine = routeRegex("fine", "/v1/[a-z]+");

    var result = PatchFixtures.patch(bomb, tooLarge, fine);

    assertChecks(result.resources());
    assertEquals(
        "/v1/[a-z]+",
        PatchFixtures.routeNamed(result.resources(), "http.80").getVirtualHostsList().stream()
            .flatMap(v -> v.getRoutesList().stream())
            .filter(r -> r.getName().equals("api-v1"))
            .findFirst()
            .orElseThrow()
            .getMatch()
            .getSafeRegex()
            .getRegex(),
        "the fine filter still applies");
    var dropped =
        assertDiagnostic(
            result.diagnostics(), Severity.ERROR, "EnvoyFilter istio-system/bomb",
            "spec.configPatches[0]", "safe_regex.regex: \"(((a{1000}){1000}){1000}){1000}\" repeats too much");
    assertTrue(dropped.message().contains("so the EnvoyFilter was not applied"), dropped.message());
    var large =
        assertDiagnostic(
            result.diagnostics(), Severity.ERROR, "EnvoyFilter istio-system/too-large",
            "spec.configPatches[0]", "over the limit of 32768");
    assertTrue(large.message().contains("…\" (360 characters)"), large.message());
  }
}
