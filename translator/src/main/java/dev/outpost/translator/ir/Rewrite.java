package dev.outpost.translator.ir;

import java.util.Objects;
import java.util.Optional;

/**
 * Request rewrites before forwarding.
 *
 * @param pathPrefix replaces the matched path prefix (Istio {@code rewrite.uri})
 * @param pathRegex rewrites the path with a regex substitution (Istio {@code
 *     rewrite.uriRegexRewrite})
 * @param authority replaces the Host/:authority header (Istio {@code rewrite.authority})
 */
public record Rewrite(
    Optional<String> pathPrefix, Optional<RegexRewrite> pathRegex, Optional<String> authority) {
  public Rewrite {
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    Objects.requireNonNull(pathRegex, "pathRegex");
    Objects.requireNonNull(authority, "authority");
  }

  /** An RE2 pattern and its substitution ({@code \1} style group references). */
  public record RegexRewrite(String pattern, String substitution) {
    public RegexRewrite {
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(substitution, "substitution");
    }
  }
}
