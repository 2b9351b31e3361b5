package dev.outpost.it.hostile;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The heavy cases of the corpus (huge inputs, the costliest regexes), after the light ones
 * (Surefire runs this package alphabetically): until their fixes are merged each one uses its
 * whole timeout or fills the heap, and if one still brought the JVM down, the light cases'
 * results are already reported.
 */
@Tag(HostileCorpusTest.TAG)
class HostileHeavyCorpusTest {
  @TestFactory
  Stream<DynamicTest> heavyCorpus() throws Exception {
    HostileCorpusTest.warmUp();
    return HostileCorpusTest.cases(true);
  }
}
