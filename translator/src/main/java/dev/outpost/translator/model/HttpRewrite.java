package dev.outpost.translator.model;

import java.util.Optional;

/**
 * {@code http[].rewrite}: rewrites the path and/or authority before forwarding.
 *
 * @param uri replaces the part of the path matched by a prefix match (or the whole path)
 * @param uriRegexRewrite RE2 regex rewrite of the path (exclusive with {@code uri})
 */
public record HttpRewrite(
    Optional<String> uri, Optional<String> authority, Optional<RegexRewrite> uriRegexRewrite) {

  /** {@code rewrite.uriRegexRewrite}: {@code match} is an RE2 regex, {@code rewrite} may use \1. */
  public record RegexRewrite(String match, String rewrite) {}
}
