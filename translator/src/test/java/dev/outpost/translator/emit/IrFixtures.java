package dev.outpost.translator.emit;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.Endpoint;
import dev.outpost.translator.ir.HeaderOperations;
import dev.outpost.translator.ir.LoadBalancer;
import dev.outpost.translator.ir.Route;
import dev.outpost.translator.ir.RouteAction;
import dev.outpost.translator.ir.RouteMatch;
import dev.outpost.translator.ir.UpstreamCluster;
import dev.outpost.translator.ir.WeightedDestination;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** Small IR values for emitter tests. */
final class IrFixtures {
  private IrFixtures() {}

  static RouteAction.Forward forwardTo(String... clusters) {
    ImmutableList.Builder<WeightedDestination> destinations = ImmutableList.builder();
    for (String cluster : clusters) {
      destinations.add(new WeightedDestination(cluster, 100 / clusters.length));
    }
    return new RouteAction.Forward(
        destinations.build(),
        Optional.empty(),
        Duration.ZERO,
        Optional.empty(),
        ImmutableList.of());
  }

  static Route route(String name, RouteMatch match, RouteAction action) {
    return new Route(
        name, match, action, HeaderOperations.NONE, HeaderOperations.NONE, Optional.empty());
  }

  static UpstreamCluster cluster(
      String name, UpstreamCluster.Discovery discovery, Endpoint... endpoints) {
    return new UpstreamCluster(
        name,
        discovery,
        UpstreamCluster.UpstreamProtocol.HTTP1,
        ImmutableList.copyOf(endpoints),
        LoadBalancer.ROUND_ROBIN,
        UpstreamCluster.DEFAULT_CONNECT_TIMEOUT,
        Optional.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty());
  }
}
