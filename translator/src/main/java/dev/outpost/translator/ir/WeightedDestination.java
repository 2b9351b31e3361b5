package dev.outpost.translator.ir;

import java.util.Objects;

/** A cluster a route forwards to and its share of the traffic. */
public record WeightedDestination(String cluster, int weight) {
  public WeightedDestination {
    Objects.requireNonNull(cluster, "cluster");
    if (weight < 0) {
      throw new IllegalArgumentException("negative weight " + weight);
    }
  }
}
