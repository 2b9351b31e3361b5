package dev.outpost.translator.parse;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * An upper bound of {@code RE2::ProgramSize()} for a regex, computed from its syntax in one pass,
 * without compiling it; and RE2's parse-time limit on counted repetition.
 *
 * <p>Envoy refuses a regex whose RE2 program has more instructions than the runtime value {@code
 * re2.max_program_size.error_level} (Envoy's source/common/common/regex.cc). RE2 compiles a regex
 * (re2/compile.cc) after simplifying counted repetition into copies ({@code x{2,4}} is {@code
 * xx(x(x)?)?}), then flattens the program (re2/prog.cc, {@code Prog::Flatten}): alternation
 * instructions disappear into lists and each list may link to another with a no-op. The bound
 * here counts, per construct:
 *
 * <ul>
 *   <li>a literal: one instruction per UTF-8 byte, or one for an ASCII letter under {@code (?i)};
 *       other case-folded letters as the class of their case variants
 *   <li>a class, {@code .}, {@code \d}, {@code \pL}: its byte-range instructions (see {@link
 *       Re2CharClasses}); {@code \C}, {@code ^}, {@code $}, {@code \b}, {@code \A}, {@code \z}: 1
 *   <li>a capturing group: 2; an empty expression: 1
 *   <li>every alternation instruction RE2 would emit ({@code |}, {@code ?}, {@code *}, {@code +},
 *       each optional copy of {@code x{n,m}}): 2, for the two list links it can become
 *   <li>{@code x{n,m}}: m copies of x; the program itself: a fail and a match instruction and the
 *       unanchored {@code .*?} prefix, 4
 * </ul>
 *
 * <p>It is exact for plain literals and within about a factor of three for typical patterns
 * ({@code ^/api/v[0-9]+/.*}: 35 here, 15 in RE2), which leaves realistic regexes far below
 * Outpost's limit while never under-counting what Envoy would count.
 *
 * <p>RE2's parser refuses a repeat count over 1000, and (since 2017, {@code RepetitionWalker} in
 * re2/parse.cc) nested counted repeats whose counts multiply past 1000: {@code (a{100}){100}}.
 * RE2/J, which Outpost uses to check syntax, enforces only the first, and expanding {@code
 * (((a{1000}){1000}){1000}){1000}} takes it minutes and gigabytes; this pass finds both in time
 * linear in the regex.
 *
 * <p>The parser is lenient: text RE2 would refuse is priced as something close and left for RE2/J
 * to report. It keeps its own stack, so deep nesting cannot overflow the Java stack.
 */
public final class Re2ProgramSize {
  /** RE2's {@code kMaxRepeat}. */
  public static final int MAX_REPEAT = 1000;

  private static final long CAP = 1L << 50;
  private static final int PROGRAM_OVERHEAD = 4;
  private static final int ALT = 2;

  private Re2ProgramSize() {}

  /** What RE2 would say about a regex's size. */
  public sealed interface Estimate {}

  /** RE2 would compile it to at most {@code instructions} (after flattening). */
  public record Size(long instructions) implements Estimate {}

  /**
   * RE2 refuses it: {@code operator} repeats more than {@link #MAX_REPEAT} times, alone ({@code
   * count} is its own count) or with the counted repeats it is nested in ({@code count} is the
   * product).
   */
  public record RepeatTooLarge(String operator, long count, boolean nested) implements Estimate {}

  public static Estimate of(String regex) {
    return new Walk(regex).run();
  }

  /** A parsed piece: its instruction bound and the largest product of counted repeats in it. */
  private record Piece(long cost, long product) {}

  /** An open group (or the whole regex) being read. */
  private static final class Frame {
    final boolean capture;
    final boolean savedFold;
    final boolean savedDotNl;
    long finished; // cost of the completed alternatives
    int branches;
    long product;
    long concat;
    int items;
    Piece last;

    Frame(boolean capture, boolean savedFold, boolean savedDotNl) {
      this.capture = capture;
      this.savedFold = savedFold;
      this.savedDotNl = savedDotNl;
    }

    void add(Piece piece) {
      concat = add2(concat, piece.cost());
      product = Math.max(product, piece.product());
      items++;
      last = piece;
    }

    /** Replaces the last piece (the operand of a repetition) by its repetition. */
    void replaceLast(Piece repeated) {
      concat = add2(concat - last.cost(), repeated.cost());
      product = Math.max(product, repeated.product());
      last = repeated;
    }

    void endBranch() {
      finished = add2(finished, items == 0 ? 1 : concat); // an empty branch is a no-op
      if (branches > 0) {
        finished = add2(finished, ALT);
      }
      branches++;
      concat = 0;
      items = 0;
      last = null;
    }

    Piece close() {
      endBranch();
      return new Piece(capture ? add2(finished, 2) : finished, product);
    }
  }

  private static final class Walk {
    private final String s;
    private int pos;
    private boolean fold;
    private boolean dotNl;
    private final Deque<Frame> stack = new ArrayDeque<>();

    Walk(String s) {
      this.s = s;
    }

    Estimate run() {
      stack.push(new Frame(false, false, false));
      while (pos < s.length()) {
        Optional<RepeatTooLarge> refused = step();
        if (refused.isPresent()) {
          return refused.get();
        }
      }
      Piece all = stack.pop().close();
      while (!stack.isEmpty()) { // unclosed groups: RE2/J reports them; price what is there
        Frame outer = stack.pop();
        outer.add(all);
        all = outer.close();
      }
      return new Size(add2(all.cost(), PROGRAM_OVERHEAD));
    }

    private Frame top() {
      return stack.peek();
    }

    private Optional<RepeatTooLarge> step() {
      int c = s.codePointAt(pos);
      switch (c) {
        case '(' -> openGroup();
        case ')' -> {
          pos++;
          if (stack.size() > 1) {
            Frame done = stack.pop();
            fold = done.savedFold;
            dotNl = done.savedDotNl;
            top().add(done.close());
          }
        }
        case '|' -> {
          pos++;
          top().endBranch();
        }
        case '*', '+', '?' -> {
          pos++;
          if (pos < s.length() && s.charAt(pos) == '?') {
            pos++; // non-greedy: same program size
          }
          Piece last = top().last;
          if (last != null) {
            // x* and x+ may become (x+)? in RE2 when x can be empty: two alternations.
            long extra = c == '?' ? ALT : 2 * ALT;
            top().replaceLast(new Piece(add2(last.cost(), extra), last.product()));
          }
        }
        case '{' -> {
          return countedRepeat();
        }
        case '[' -> top().add(piece(charClass()));
        case '.' -> {
          pos++;
          top().add(piece(dotNl ? new int[] {0, Re2CharClasses.MAX_RUNE} : notNewline()));
        }
        case '^', '$' -> {
          pos++;
          top().add(new Piece(1, 0));
        }
        case '\\' -> escape();
        default -> {
          pos += Character.charCount(c);
          top().add(literal(c));
        }
      }
      return Optional.empty();
    }

    private void openGroup() {
      pos++;
      boolean capture = true;
      if (s.startsWith("?", pos)) {
        capture = false;
        pos++;
        if (s.startsWith("P<", pos) || (s.startsWith("<", pos) && !s.startsWith("<=", pos)
            && !s.startsWith("<!", pos))) {
          int close = s.indexOf('>', pos);
          pos = close < 0 ? s.length() : close + 1;
          capture = true;
        } else {
          boolean newFold = fold;
          boolean newDotNl = dotNl;
          boolean negate = false;
          while (pos < s.length()) {
            char f = s.charAt(pos);
            if (f == '-') {
              negate = true;
            } else if (f == 'i') {
              newFold = !negate;
            } else if (f == 's') {
              newDotNl = !negate;
            } else if (f != 'm' && f != 'U') {
              break;
            }
            pos++;
          }
          if (s.startsWith(")", pos)) { // (?i): for the rest of the enclosing group
            pos++;
            fold = newFold;
            dotNl = newDotNl;
            return;
          }
          if (s.startsWith(":", pos)) {
            pos++;
          }
          // Anything else ((?=, (?P=, ...) RE2 refuses; read on as a group.
          stack.push(new Frame(false, fold, dotNl));
          fold = newFold;
          dotNl = newDotNl;
          return;
        }
      }
      stack.push(new Frame(capture, fold, dotNl));
    }

    /** {@code {n}}, {@code {n,}} or {@code {n,m}} as RE2 reads them; else a literal brace. */
    private Optional<RepeatTooLarge> countedRepeat() {
      int start = pos;
      int i = pos + 1;
      int digits = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == digits || !validNumber(digits, i)) {
        pos++;
        top().add(literal('{'));
        return Optional.empty();
      }
      long min = number(digits, i);
      long max = min;
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
        int maxDigits = i;
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
        }
        if (i == maxDigits) {
          max = -1;
        } else if (validNumber(maxDigits, i)) {
          max = number(maxDigits, i);
        } else {
          pos++;
          top().add(literal('{'));
          return Optional.empty();
        }
      }
      if (i >= s.length() || s.charAt(i) != '}') {
        pos++;
        top().add(literal('{'));
        return Optional.empty();
      }
      pos = i + 1;
      if (pos < s.length() && s.charAt(pos) == '?') {
        pos++;
      }
      String operator = s.substring(start, i + 1);
      if (min > MAX_REPEAT || max > MAX_REPEAT) {
        return Optional.of(new RepeatTooLarge(operator, Math.max(min, max), false));
      }
      Piece last = top().last;
      if (last == null) {
        return Optional.empty(); // nothing to repeat: RE2/J reports it
      }
      if (max >= 0 && min > max) {
        return Optional.empty(); // {2,1}: RE2/J reports it
      }
      long count = max >= 0 ? max : min;
      long product = count > 0 ? Math.max(last.product(), 1) * count : last.product();
      if (product > MAX_REPEAT) {
        return Optional.of(new RepeatTooLarge(operator, product, true));
      }
      top().replaceLast(new Piece(repeatCost(last.cost(), min, max), product));
      return Optional.empty();
    }

    private static long repeatCost(long x, long min, long max) {
      if (max < 0) { // x{n,}: n copies then a loop (x* and x+ when n is 0 or 1)
        return add2(mul(x, Math.max(min, 1)), 2 * ALT);
      }
      if (max == 0) {
        return 1; // x{0}: the empty match
      }
      return add2(mul(x, max), mul(ALT, max - min)); // xx(x(x)?)? for x{2,4}
    }

    private boolean validNumber(int from, int to) {
      // RE2 reads a number with a leading zero ({01}) as no number at all.
      return !(to - from >= 2 && s.charAt(from) == '0');
    }

    private long number(int from, int to) {
      // Anything longer than 8 digits is over any limit; RE2 calls it too large too.
      return to - from > 8 ? Long.MAX_VALUE / 4 : Long.parseLong(s.substring(from, to));
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private void escape() {
      pos++; // the backslash
      if (pos >= s.length()) {
        return; // trailing backslash: RE2/J reports it
      }
      char e = s.charAt(pos);
      switch (e) {
        case 'Q' -> {
          pos++;
          int end = s.indexOf("\\E", pos);
          int stop = end < 0 ? s.length() : end;
          while (pos < stop) {
            int c = s.codePointAt(pos);
            pos += Character.charCount(c);
            top().add(literal(c));
          }
          pos = end < 0 ? s.length() : end + 2;
        }
        case 'A', 'z', 'b', 'B', 'C' -> {
          pos++;
          top().add(new Piece(1, 0));
        }
        case 'E' -> pos++; // a stray \E: RE2 ignores it
        default -> {
          Optional<int[]> set = classEscape();
          if (set.isPresent()) {
            top().add(piece(set.get()));
          } else {
            top().add(literal(escapedRune()));
          }
        }
      }
    }

    /**
     * At the letter after a backslash: {@code \d \s \w}, their negations and {@code \p}/{@code
     * \P} properties, consumed and folded/negated as RE2 does; empty (nothing consumed) for other
     * escapes. An unknown property name is priced high, since RE2 may know it.
     */
    private Optional<int[]> classEscape() {
      char e = s.charAt(pos);
      Optional<int[]> perl = Re2CharClasses.perl(e);
      if (perl.isPresent()) {
        pos++;
        return Optional.of(finish(perl.get(), Character.isUpperCase(e)));
      }
      if (e != 'p' && e != 'P') {
        return Optional.empty();
      }
      pos++;
      boolean negated = e == 'P';
      String name;
      if (s.startsWith("{", pos)) {
        int close = s.indexOf('}', pos);
        int end = close < 0 ? s.length() : close;
        name = s.substring(pos + 1, end);
        pos = close < 0 ? s.length() : close + 1;
      } else if (pos < s.length()) {
        int c = s.codePointAt(pos);
        name = new String(Character.toChars(c));
        pos += Character.charCount(c);
      } else {
        name = "";
      }
      if (name.startsWith("^")) {
        negated = !negated;
        name = name.substring(1);
      }
      Optional<int[]> ranges = Re2CharClasses.property(name);
      if (ranges.isEmpty()) {
        unknownProperty = true;
        return Optional.of(new int[0]);
      }
      unicodeTables = true;
      return Optional.of(finish(ranges.get(), negated));
    }

    private boolean unknownProperty;

    /**
     * The piece being read depends on Unicode tables (a property, or case folding beyond ASCII),
     * which may be newer in Envoy's RE2 than in this JDK: a few more ranges there.
     */
    private boolean unicodeTables;

    /** The rune of a single-character escape ({@code \n}, {@code \x41}, {@code \101}, {@code \.}). */
    private int escapedRune() {
      char e = s.charAt(pos++);
      switch (e) {
        case 'a':
          return 7;
        case 'f':
          return '\f';
        case 't':
          return '\t';
        case 'n':
          return '\n';
        case 'r':
          return '\r';
        case 'v':
          return 0x0B;
        case 'x':
          return hexEscape();
        default:
          if (e >= '0' && e <= '7') {
            int value = e - '0';
            for (int k = 0; k < 2 && pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '7'; k++) {
              value = value * 8 + (s.charAt(pos++) - '0');
            }
            return value;
          }
          if (Character.isHighSurrogate(e) && pos < s.length()) {
            return Character.toCodePoint(e, s.charAt(pos++));
          }
          return e;
      }
    }

    private int hexEscape() {
      if (s.startsWith("{", pos)) {
        int close = s.indexOf('}', pos);
        int end = close < 0 ? s.length() : close;
        String hex = s.substring(pos + 1, end);
        pos = close < 0 ? s.length() : close + 1;
        return parseHex(hex);
      }
      int end = Math.min(pos + 2, s.length());
      String hex = s.substring(pos, end);
      pos = end;
      return parseHex(hex);
    }

    private static int parseHex(String hex) {
      try {
        long value = hex.isEmpty() || hex.length() > 8 ? -1 : Long.parseLong(hex, 16);
        // Out of range: RE2/J reports it; price it as the longest UTF-8 sequence.
        return value < 0 || value > Re2CharClasses.MAX_RUNE ? Re2CharClasses.MAX_RUNE : (int) value;
      } catch (NumberFormatException e) {
        return Re2CharClasses.MAX_RUNE;
      }
    }

    /** {@code [...]}: its ranges, folded and negated as RE2 does. */
    private int[] charClass() {
      pos++; // [
      boolean negated = false;
      if (s.startsWith("^", pos)) {
        negated = true;
        pos++;
      }
      Re2CharClasses.RangeSet set = new Re2CharClasses.RangeSet();
      boolean first = true;
      while (pos < s.length() && (s.charAt(pos) != ']' || first)) {
        first = false;
        if (s.startsWith("[:", pos)) {
          int close = s.indexOf(":]", pos + 2);
          if (close > 0) {
            String name = s.substring(pos + 2, close);
            boolean negatedPosix = name.startsWith("^");
            Optional<int[]> posix = Re2CharClasses.posix(negatedPosix ? name.substring(1) : name);
            if (posix.isPresent()) {
              pos = close + 2;
              set.addAll(negatedPosix ? Re2CharClasses.negate(posix.get()) : posix.get());
              continue;
            }
          }
        }
        if (s.charAt(pos) == '\\' && pos + 1 < s.length()) {
          pos++;
          Optional<int[]> named = classEscape();
          if (named.isPresent()) {
            set.addAll(named.get());
            continue;
          }
          pos--;
        }
        int lo = classRune();
        int hi = lo;
        if (s.startsWith("-", pos) && pos + 1 < s.length() && s.charAt(pos + 1) != ']') {
          pos++;
          hi = classRune();
        }
        set.add(Math.min(lo, hi), Math.max(lo, hi)); // a reversed range RE2/J reports
      }
      pos = Math.min(pos + 1, s.length()); // ]
      return finish(set.normalized(), negated);
    }

    private int classRune() {
      if (s.charAt(pos) == '\\' && pos + 1 < s.length()) {
        pos++;
        return escapedRune();
      }
      int c = s.codePointAt(pos);
      pos += Character.charCount(c);
      return c;
    }

    /** RE2 folds a class first and negates the folded set. */
    private int[] finish(int[] ranges, boolean negated) {
      if (fold && ranges.length > 0 && ranges[ranges.length - 1] >= 0x80) {
        unicodeTables = true;
      }
      int[] folded = fold ? Re2CharClasses.fold(ranges) : ranges;
      return negated ? Re2CharClasses.negate(folded) : folded;
    }

    private Piece piece(int[] ranges) {
      if (unknownProperty) {
        unknownProperty = false;
        return new Piece(Re2CharClasses.UNKNOWN_PROPERTY_COST, 0);
      }
      long cost = Re2CharClasses.instructions(ranges);
      if (unicodeTables) {
        unicodeTables = false;
        cost += cost / 4 + 4;
      }
      return new Piece(cost, 0);
    }

    private Piece literal(int rune) {
      if (!fold) {
        return new Piece(Re2CharClasses.utf8Length(rune), 0);
      }
      int[] variants = Re2CharClasses.variants(rune);
      if (variants.length == 1 && rune >= 0x80) {
        // No case variant in this JDK's tables; a newer Unicode may give it one.
        return new Piece(2L * Re2CharClasses.utf8Length(rune), 0);
      }
      boolean ascii = true;
      Re2CharClasses.RangeSet set = new Re2CharClasses.RangeSet();
      for (int v : variants) {
        ascii &= v < 0x80;
        set.add(v, v);
      }
      // RE2 matches an ASCII letter in either case with one instruction.
      return new Piece(ascii ? 1 : Re2CharClasses.instructions(set.normalized()), 0);
    }

    private static int[] notNewline() {
      return new int[] {0, '\n' - 1, '\n' + 1, Re2CharClasses.MAX_RUNE};
    }
  }

  private static long add2(long a, long b) {
    return Math.min(CAP, a + b);
  }

  private static long mul(long a, long b) {
    return a == 0 || b == 0 ? 0 : (a > CAP / b ? CAP : Math.min(CAP, a * b));
  }
}
