package dev.outpost.translator.check;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.outpost.translator.parse.RegexLimits;
import dev.outpost.translator.parse.RegexValidator;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.util.function.BiConsumer;

/**
 * Every RE2 regex in a resource as Envoy compiles it: valid RE2 syntax, and an RE2 program no
 * larger than Envoy accepts (runtime {@code re2.max_program_size.error_level}, {@link
 * RegexLimits#MAX_PROGRAM_SIZE} in the bootstrap Outpost generates; Envoy refuses the whole
 * resource otherwise). Outpost checks the regexes of its input when it reads them; this catches the
 * ones an EnvoyFilter patch brings in, so the patch gate drops that filter.
 *
 * <p>Envoy's regex fields are {@code envoy.type.matcher.v3.RegexMatcher} (route, header, query
 * parameter, string and CORS origin matches, and the pattern of a regex rewrite) and the xDS
 * matcher API's {@code xds.type.matcher.v3.RegexMatcher}; both have the regex in a field named
 * {@code regex}.
 */
final class RegexRules {
  private static final String XDS_REGEX_MATCHER = "xds.type.matcher.v3.RegexMatcher";

  private RegexRules() {}

  /** Checks {@code message} itself (the walker visits every nested message). */
  static void check(String path, Message message, BiConsumer<String, String> problems) {
    if (message instanceof RegexMatcher matcher) {
      check(path, matcher.getRegex(), limit(matcher), problems);
    } else if (message.getDescriptorForType().getFullName().equals(XDS_REGEX_MATCHER)) {
      FieldDescriptor regex = message.getDescriptorForType().findFieldByName("regex");
      if (regex != null && regex.getType() == FieldDescriptor.Type.STRING) {
        check(path, (String) message.getField(regex), RegexLimits.MAX_PROGRAM_SIZE, problems);
      }
    }
  }

  private static void check(
      String path, String regex, long limit, BiConsumer<String, String> problems) {
    if (regex.isEmpty()) {
      return; // PGV's min_len rule reports it
    }
    RegexValidator.check(regex, limit).ifPresent(problem -> problems.accept(path + ".regex", problem));
  }

  /**
   * The deprecated {@code google_re2.max_program_size}, when set, is a limit of its own; Envoy's
   * documentation says the runtime limit still applies as well.
   */
  @SuppressWarnings("deprecation")
  private static long limit(RegexMatcher matcher) {
    if (matcher.hasGoogleRe2() && matcher.getGoogleRe2().hasMaxProgramSize()) {
      return Math.min(matcher.getGoogleRe2().getMaxProgramSize().getValue(), RegexLimits.MAX_PROGRAM_SIZE);
    }
    return RegexLimits.MAX_PROGRAM_SIZE;
  }
}
