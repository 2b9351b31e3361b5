package dev.outpost.translator.parse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Character sets as RE2 compiles them, for {@link Re2ProgramSize}: sets of code point ranges, the
 * named classes of RE2's syntax, case folding, and how many byte-range instructions RE2 emits for
 * a set in UTF-8.
 *
 * <p>The instruction count follows {@code Compiler::AddRuneRangeUTF8} in RE2's compile.cc: a
 * range is split where the UTF-8 length changes and where leading bytes differ, and every piece
 * becomes one instruction per byte; the alternation that joins the pieces is elided when RE2
 * flattens the program. RE2 shares identical continuation-byte suffixes between pieces; this
 * count does not, so it is never below RE2's.
 *
 * <p>Unicode properties and case folding come from the JDK's Unicode tables, which may be of
 * another Unicode version than the RE2 build in Envoy. Folding here joins a code point with its
 * JDK upper, lower and title case forms (transitively), a superset of Unicode's simple case
 * folding that RE2 uses, so a folded set is never smaller than RE2's.
 */
final class Re2CharClasses {
  static final int MAX_RUNE = 0x10FFFF;

  /** What an unknown {@code \p{...}} name is priced at: more than the largest Unicode category. */
  static final long UNKNOWN_PROPERTY_COST = 20_000;

  private static final Map<String, int[]> PROPERTIES = new ConcurrentHashMap<>();

  private Re2CharClasses() {}

  /** A set of code points under construction: unsorted, possibly overlapping [lo, hi] pairs. */
  static final class RangeSet {
    private int[] bounds = new int[8];
    private int size;

    void add(int lo, int hi) {
      if (lo > hi) {
        return;
      }
      if (size + 2 > bounds.length) {
        bounds = Arrays.copyOf(bounds, bounds.length * 2);
      }
      bounds[size++] = lo;
      bounds[size++] = hi;
    }

    void addAll(int[] ranges) {
      for (int i = 0; i < ranges.length; i += 2) {
        add(ranges[i], ranges[i + 1]);
      }
    }

    /** Sorted, disjoint, non-adjacent ranges as lo, hi pairs. */
    int[] normalized() {
      int n = size / 2;
      long[] packed = new long[n];
      for (int i = 0; i < n; i++) {
        packed[i] = ((long) bounds[2 * i] << 32) | (bounds[2 * i + 1] & 0xFFFFFFFFL);
      }
      Arrays.sort(packed);
      int[] out = new int[size];
      int len = 0;
      for (long p : packed) {
        int lo = (int) (p >>> 32);
        int hi = (int) p;
        if (len > 0 && lo <= out[len - 1] + 1) {
          out[len - 1] = Math.max(out[len - 1], hi);
        } else {
          out[len++] = lo;
          out[len++] = hi;
        }
      }
      return Arrays.copyOf(out, len);
    }
  }

  /** The code points not in {@code ranges} (normalized). */
  static int[] negate(int[] ranges) {
    int[] out = new int[ranges.length + 2];
    int len = 0;
    int next = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      if (ranges[i] > next) {
        out[len++] = next;
        out[len++] = ranges[i] - 1;
      }
      next = ranges[i + 1] + 1;
    }
    if (next <= MAX_RUNE) {
      out[len++] = next;
      out[len++] = MAX_RUNE;
    }
    return Arrays.copyOf(out, len);
  }

  /** {@code ranges} (normalized) with every case variant of its members added. */
  static int[] fold(int[] ranges) {
    Folding folding = Folding.TABLE;
    RangeSet out = new RangeSet();
    out.addAll(ranges);
    for (int i = 0; i < ranges.length; i += 2) {
      int from = folding.firstAtLeast(ranges[i]);
      for (int k = from; k < folding.foldable.length && folding.foldable[k] <= ranges[i + 1]; k++) {
        for (int variant : folding.orbits[k]) {
          out.add(variant, variant);
        }
      }
    }
    return out.normalized();
  }

  /** The case variants of {@code rune}, itself included; just {@code rune} when it has none. */
  static int[] variants(int rune) {
    Folding folding = Folding.TABLE;
    int k = folding.firstAtLeast(rune);
    if (k < folding.foldable.length && folding.foldable[k] == rune) {
      return folding.orbits[k];
    }
    return new int[] {rune};
  }

  /** Byte-range instructions RE2 emits for the set (normalized), without suffix sharing. */
  static long instructions(int[] ranges) {
    long total = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      total += rangeInstructions(ranges[i], ranges[i + 1]);
    }
    return total;
  }

  /** {@code Compiler::AddRuneRangeUTF8}, counting the ByteRange instructions it allocates. */
  static long rangeInstructions(int lo, int hi) {
    if (lo > hi) {
      return 0;
    }
    if (lo == 0x80 && hi == MAX_RUNE) {
      return 12; // the prog_80_10ffff table
    }
    for (int len = 1; len < 4; len++) {
      int max = maxRune(len);
      if (lo <= max && max < hi) {
        return rangeInstructions(lo, max) + rangeInstructions(max + 1, hi);
      }
    }
    if (hi < 0x80) {
      return 1;
    }
    for (int i = 1; i < 4; i++) {
      int m = (1 << (6 * i)) - 1;
      if ((lo & ~m) != (hi & ~m)) {
        if ((lo & m) != 0) {
          return rangeInstructions(lo, lo | m) + rangeInstructions((lo | m) + 1, hi);
        }
        if ((hi & m) != m) {
          return rangeInstructions(lo, (hi & ~m) - 1) + rangeInstructions(hi & ~m, hi);
        }
      }
    }
    return utf8Length(lo);
  }

  static int utf8Length(int rune) {
    if (rune < 0x80) {
      return 1;
    }
    if (rune < 0x800) {
      return 2;
    }
    return rune < 0x10000 ? 3 : 4;
  }

  private static int maxRune(int len) {
    int bits = len == 1 ? 7 : 8 - (len + 1) + 6 * (len - 1);
    return (1 << bits) - 1;
  }

  /** RE2's Perl classes {@code \d \s \w} (ASCII only, as in RE2), by their letter. */
  static Optional<int[]> perl(char letter) {
    return switch (Character.toLowerCase(letter)) {
      case 'd' -> Optional.of(new int[] {'0', '9'});
      case 's' -> Optional.of(new int[] {'\t', '\n', '\f', '\r', ' ', ' '});
      case 'w' -> Optional.of(new int[] {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'});
      default -> Optional.empty();
    };
  }

  /** RE2's POSIX classes ({@code [:alpha:]}), ASCII only; empty for an unknown name. */
  static Optional<int[]> posix(String name) {
    int[] ranges =
        switch (name) {
          case "alnum" -> new int[] {'0', '9', 'A', 'Z', 'a', 'z'};
          case "alpha" -> new int[] {'A', 'Z', 'a', 'z'};
          case "ascii" -> new int[] {0, 0x7F};
          case "blank" -> new int[] {'\t', '\t', ' ', ' '};
          case "cntrl" -> new int[] {0, 0x1F, 0x7F, 0x7F};
          case "digit" -> new int[] {'0', '9'};
          case "graph", "print" -> new int[] {'!', '~'};
          case "lower" -> new int[] {'a', 'z'};
          case "punct" -> new int[] {'!', '/', ':', '@', '[', '`', '{', '~'};
          case "space" -> new int[] {'\t', '\r', ' ', ' '};
          case "upper" -> new int[] {'A', 'Z'};
          case "word" -> new int[] {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
          case "xdigit" -> new int[] {'0', '9', 'A', 'F', 'a', 'f'};
          default -> null;
        };
    return Optional.ofNullable(ranges);
  }

  /**
   * A Unicode property of RE2's {@code \p{...}}: {@code Any}, a general category ({@code L},
   * {@code Lu}, ...) or a script ({@code Greek}); empty when the JDK knows no such name. Computed
   * once per name (a scan of all code points) and kept: the names are a fixed, small set.
   */
  static Optional<int[]> property(String name) {
    if (name.equals("Any")) {
      return Optional.of(new int[] {0, MAX_RUNE});
    }
    Optional<Predicate> test = propertyTest(name);
    return test.map(t -> PROPERTIES.computeIfAbsent(name, n -> scan(t)));
  }

  private interface Predicate {
    boolean test(int codePoint);
  }

  private static Optional<Predicate> propertyTest(String name) {
    long categories = generalCategories(name);
    if (categories != 0) {
      return Optional.of(cp -> (categories >>> Character.getType(cp) & 1) != 0);
    }
    try {
      Character.UnicodeScript script = Character.UnicodeScript.forName(name);
      return Optional.of(cp -> Character.UnicodeScript.of(cp) == script);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static int[] scan(Predicate test) {
    RangeSet set = new RangeSet();
    int start = -1;
    for (int cp = 0; cp <= MAX_RUNE + 1; cp++) {
      boolean in = cp <= MAX_RUNE && test.test(cp);
      if (in && start < 0) {
        start = cp;
      } else if (!in && start >= 0) {
        set.add(start, cp - 1);
        start = -1;
      }
    }
    return set.normalized();
  }

  private static final String[][] CATEGORIES = {
    {"Lu", "UPPERCASE_LETTER"}, {"Ll", "LOWERCASE_LETTER"}, {"Lt", "TITLECASE_LETTER"},
    {"Lm", "MODIFIER_LETTER"}, {"Lo", "OTHER_LETTER"}, {"Mn", "NON_SPACING_MARK"},
    {"Me", "ENCLOSING_MARK"}, {"Mc", "COMBINING_SPACING_MARK"}, {"Nd", "DECIMAL_DIGIT_NUMBER"},
    {"Nl", "LETTER_NUMBER"}, {"No", "OTHER_NUMBER"}, {"Zs", "SPACE_SEPARATOR"},
    {"Zl", "LINE_SEPARATOR"}, {"Zp", "PARAGRAPH_SEPARATOR"}, {"Cc", "CONTROL"},
    {"Cf", "FORMAT"}, {"Co", "PRIVATE_USE"}, {"Cs", "SURROGATE"}, {"Pd", "DASH_PUNCTUATION"},
    {"Ps", "START_PUNCTUATION"}, {"Pe", "END_PUNCTUATION"}, {"Pc", "CONNECTOR_PUNCTUATION"},
    {"Po", "OTHER_PUNCTUATION"}, {"Sm", "MATH_SYMBOL"}, {"Sc", "CURRENCY_SYMBOL"},
    {"Sk", "MODIFIER_SYMBOL"}, {"So", "OTHER_SYMBOL"}, {"Pi", "INITIAL_QUOTE_PUNCTUATION"},
    {"Pf", "FINAL_QUOTE_PUNCTUATION"}, {"Cn", "UNASSIGNED"},
  };

  /** JDK category codes, as bits, for a one- or two-letter name ({@code L} is every L*). */
  private static long generalCategories(String name) {
    long bits = 0;
    if (name.isEmpty() || name.length() > 2) {
      return bits;
    }
    for (String[] c : CATEGORIES) {
      if (c[0].equals(name) || (name.length() == 1 && c[0].charAt(0) == name.charAt(0))) {
        try {
          bits |= 1L << Character.class.getField(c[1]).getByte(null);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("JDK lacks Character." + c[1], e);
        }
      }
    }
    return bits;
  }

  /** Case-fold orbits of every code point that has one, built once from the JDK's case maps. */
  private static final class Folding {
    static final Folding TABLE = new Folding();

    final int[] foldable; // sorted
    final int[][] orbits; // orbits[k]: every member of foldable[k]'s orbit, sorted

    private Folding() {
      // Only code points that some case map changes take part: a few thousand of 1.1 million.
      Map<Integer, Integer> parent = new HashMap<>();
      for (int cp = 0; cp <= MAX_RUNE; cp++) {
        int lower = Character.toLowerCase(cp);
        int upper = Character.toUpperCase(cp);
        int title = Character.toTitleCase(cp);
        if (lower != cp || upper != cp || title != cp) {
          union(parent, cp, lower);
          union(parent, cp, upper);
          union(parent, cp, title);
        }
      }
      Map<Integer, List<Integer>> byRoot = new HashMap<>();
      for (int cp : parent.keySet()) {
        byRoot.computeIfAbsent(find(parent, cp), r -> new ArrayList<>(4)).add(cp);
      }
      Map<Integer, int[]> orbitOf = new HashMap<>();
      for (List<Integer> members : byRoot.values()) {
        int[] orbit = members.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        if (orbit.length > 1) {
          for (int member : orbit) {
            orbitOf.put(member, orbit);
          }
        }
      }
      foldable = orbitOf.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
      orbits = new int[foldable.length][];
      for (int i = 0; i < foldable.length; i++) {
        orbits[i] = orbitOf.get(foldable[i]);
      }
    }

    private static int find(Map<Integer, Integer> parent, int cp) {
      int root = cp;
      while (parent.getOrDefault(root, root) != root) {
        root = parent.get(root);
      }
      return root;
    }

    private static void union(Map<Integer, Integer> parent, int a, int b) {
      if (b < 0 || b > MAX_RUNE) {
        return;
      }
      parent.putIfAbsent(a, a);
      parent.putIfAbsent(b, b);
      int ra = find(parent, a);
      int rb = find(parent, b);
      if (ra != rb) {
        parent.put(Math.max(ra, rb), Math.min(ra, rb));
      }
    }

    /** Index of the first foldable code point >= {@code rune}. */
    int firstAtLeast(int rune) {
      int i = Arrays.binarySearch(foldable, rune);
      return i >= 0 ? i : -i - 1;
    }
  }
}
