package dev.outpost.translator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegexRulesTest {
  private static final String BOMB = "(((a{1000}){1000}){1000}){1000}";

  private static List<String> problems(RegexMatcher matcher) {
    List<String> out = new ArrayList<>();
    RegexRules.check(".safe_regex", matcher, (path, problem) -> out.add(path + ": " + problem));
    return out;
  }

  private static RegexMatcher regex(String regex) {
    return RegexMatcher.newBuilder().setRegex(regex).build();
  }

  @Test
  void acceptsOrdinaryRegexes() {
    assertEquals(List.of(), problems(regex("^/api/v[0-9]+/.*")));
    assertEquals(List.of(), problems(regex("a".repeat(32_764))));
  }

  @Test
  void refusesWhatEnvoyWouldRefuse() {
    List<String> bomb = problems(regex(BOMB));
    assertEquals(1, bomb.size(), bomb.toString());
    assertTrue(bomb.get(0).startsWith(".safe_regex.regex: \"" + BOMB + "\" repeats too much"), bomb.get(0));

    List<String> large = problems(regex("a".repeat(32_765)));
    assertTrue(large.get(0).contains("over the limit of 32768"), large.get(0));
    assertTrue(large.get(0).length() < 600, "echoes the regex");

    List<String> syntax = problems(regex("(?=x)"));
    assertTrue(syntax.get(0).contains("not a valid RE2"), syntax.get(0));
  }

  /** The deprecated per-regex limit, when set, is stricter than the runtime one. */
  @Test
  @SuppressWarnings("deprecation")
  void theDeprecatedMaxProgramSizeIsALimitToo() {
    RegexMatcher.GoogleRE2 hundred =
        RegexMatcher.GoogleRE2.newBuilder().setMaxProgramSize(UInt32Value.of(100)).build();
    RegexMatcher withLimit = regex("a".repeat(200)).toBuilder().setGoogleRe2(hundred).build();
    List<String> out = problems(withLimit);
    assertTrue(out.get(0).contains("over the limit of 100 "), out.toString());
    assertEquals(List.of(), problems(regex("a".repeat(200))));
  }

  @Test
  void theSnapshotCheckerNamesTheRegexField() {
    RouteConfiguration routes =
        RouteConfiguration.newBuilder()
            .setName("http.80")
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName("api")
                    .addDomains("api.example.com")
                    .addRoutes(
                        Route.newBuilder()
                            .setMatch(
                                RouteMatch.newBuilder()
                                    .setPrefix("/")
                                    .addHeaders(
                                        HeaderMatcher.newBuilder()
                                            .setName("x-id")
                                            .setStringMatch(
                                                StringMatcher.newBuilder().setSafeRegex(regex(BOMB)))))
                            .setRoute(RouteAction.newBuilder().setCluster("c"))))
            .build();
    String problem =
        new SnapshotChecker()
            .checkConstraints("RouteConfiguration", "http.80", routes)
            .problems()
            .get(0);
    assertTrue(
        problem.startsWith(
            "RouteConfiguration http.80: .virtual_hosts[0].routes[0].match.headers[0]"
                + ".string_match.safe_regex.regex: "),
        problem);
  }
}
