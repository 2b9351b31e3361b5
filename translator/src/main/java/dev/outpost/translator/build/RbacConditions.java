package dev.outpost.translator.build;

import dev.outpost.translator.ir.RbacMatch;
import dev.outpost.translator.ir.StringMatch;
import java.util.Optional;

/**
 * One value of an AuthorizationPolicy field → one RBAC condition, with Istio's reading of {@code *}:
 * alone it means "any (non-empty) value", leading it is a suffix match, trailing a prefix match.
 * Values were checked by the parser (no {@code *} in the middle, CIDRs and ports well formed).
 */
final class RbacConditions {
  private static final String SPIFFE = "spiffe://";

  private RbacConditions() {}

  /** {@code cluster.local/ns/a/sa/b} → the peer certificate's URI SAN {@code spiffe://...}. */
  static RbacMatch principal(String value) {
    return new RbacMatch.PeerIdentity(withPrefix(value, SPIFFE));
  }

  /**
   * A namespace → any SPIFFE identity of that namespace; {@code *} inside a namespace pattern
   * stands for any characters, as in Istio.
   */
  static RbacMatch namespace(String value) {
    return new RbacMatch.PeerIdentity(
        StringMatch.regex(".*/ns/" + quote(value).replace("\\*", ".*") + "/.*"));
  }

  /** A host against {@code :authority}, any case, with or without a port after it (as Istio). */
  static RbacMatch host(String value) {
    if (value.equals("*")) {
      return new RbacMatch.Header(":authority", Optional.empty());
    }
    String pattern;
    if (value.startsWith("*")) {
      pattern = ".*" + quote(value.substring(1));
    } else if (value.endsWith("*")) {
      pattern = quote(value.substring(0, value.length() - 1)) + ".*";
    } else {
      pattern = quote(value);
    }
    return new RbacMatch.Header(
        ":authority", Optional.of(StringMatch.regex("(?i)" + pattern + "(:[0-9]+)?")));
  }

  static RbacMatch path(String value) {
    return new RbacMatch.Path(withPrefix(value, ""));
  }

  static RbacMatch method(String value) {
    return header(":method", value);
  }

  /** A request header's value; {@code *} alone means the header is present. */
  static RbacMatch header(String name, String value) {
    if (value.equals("*")) {
      return new RbacMatch.Header(name, Optional.empty());
    }
    return new RbacMatch.Header(name, Optional.of(withPrefix(value, "")));
  }

  static RbacMatch serverName(String value) {
    return new RbacMatch.ServerName(withPrefix(value, ""));
  }

  static RbacMatch.Cidr cidr(String value) {
    int slash = value.indexOf('/');
    if (slash >= 0) {
      return new RbacMatch.Cidr(
          value.substring(0, slash), Integer.parseInt(value.substring(slash + 1)));
    }
    return new RbacMatch.Cidr(value, value.contains(":") ? 128 : 32);
  }

  /**
   * Istio's {@code StringMatcherWithPrefix}: {@code *} is any non-empty value; a leading {@code *}
   * a suffix (a regex when a fixed prefix must come first); a trailing one a prefix.
   */
  static StringMatch withPrefix(String value, String prefix) {
    if (value.equals("*")) {
      return StringMatch.regex(".+");
    }
    if (value.startsWith("*")) {
      String suffix = value.substring(1);
      return prefix.isEmpty()
          ? StringMatch.suffix(suffix)
          : StringMatch.regex(quote(prefix) + ".*" + quote(suffix));
    }
    if (value.endsWith("*")) {
      return StringMatch.prefix(prefix + value.substring(0, value.length() - 1));
    }
    return StringMatch.exact(prefix + value);
  }

  /** Escapes RE2's metacharacters, so that a literal stays literal inside a regex. */
  static String quote(String literal) {
    StringBuilder out = new StringBuilder(literal.length() + 8);
    for (char c : literal.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
