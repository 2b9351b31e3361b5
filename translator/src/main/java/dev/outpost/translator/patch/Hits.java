package dev.outpost.translator.patch;

/**
 * Counts what one patch changed, so that a patch that matched nothing can be reported (Istio is
 * silent about it, which makes a typo in a name or port very hard to find).
 */
final class Hits {
  private int count;

  void hit() {
    count++;
  }

  boolean any() {
    return count > 0;
  }
}
