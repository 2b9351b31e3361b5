package dev.outpost.translator.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.model.ConnectionPoolSettings;
import dev.outpost.translator.model.DestinationRule;
import dev.outpost.translator.model.LoadBalancerSettings;
import dev.outpost.translator.model.Subset;
import dev.outpost.translator.model.TrafficPolicy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EffectivePolicyTest {

  private static LoadBalancerSettings lb(LoadBalancerSettings.Simple simple) {
    return new LoadBalancerSettings(
        Optional.of(simple), Optional.empty(), Optional.empty(), Optional.empty());
  }

  private static ConnectionPoolSettings pool(int maxConnections) {
    return new ConnectionPoolSettings(
        Optional.of(
            new ConnectionPoolSettings.Tcp(
                Optional.of(maxConnections),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty())),
        Optional.empty());
  }

  private static TrafficPolicy policy(
      Optional<LoadBalancerSettings> lb,
      Optional<ConnectionPoolSettings> pool,
      ImmutableList<TrafficPolicy.PortTrafficPolicy> ports) {
    return new TrafficPolicy(
        lb, pool, Optional.empty(), Optional.empty(), ports, Optional.empty(), Optional.empty());
  }

  private static DestinationRule rule(TrafficPolicy top, Subset... subsets) {
    return new DestinationRule(
        TranslatorPipelineTest.meta("istio-system", "dr"),
        "a.example.com",
        Optional.of(top),
        ImmutableList.copyOf(subsets),
        ImmutableList.of(),
        Optional.empty());
  }

  @Test
  void portLevelSettingsReplaceTheWholeTopLevelPolicy() {
    DestinationRule dr =
        rule(
            policy(
                Optional.of(lb(LoadBalancerSettings.Simple.ROUND_ROBIN)),
                Optional.of(pool(10)),
                ImmutableList.of(
                    new TrafficPolicy.PortTrafficPolicy(
                        8080,
                        Optional.of(lb(LoadBalancerSettings.Simple.RANDOM)),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()))));

    EffectivePolicy port80 = EffectivePolicy.of(Optional.of(dr), 80, "");
    EffectivePolicy port8080 = EffectivePolicy.of(Optional.of(dr), 8080, "");

    assertEquals("spec.trafficPolicy.connectionPool", port80.connectionPool().get().field());
    assertEquals(
        LoadBalancerSettings.Simple.RANDOM, port8080.loadBalancer().get().value().simple().get());
    assertEquals(
        "spec.trafficPolicy.portLevelSettings[0].loadBalancer",
        port8080.loadBalancer().get().field());
    assertTrue(port8080.connectionPool().isEmpty(), "no inheritance from the top level");
  }

  @Test
  void subsetOverridesFieldByField() {
    Subset canary =
        new Subset(
            "canary",
            ImmutableSortedMap.of("track", "canary"),
            Optional.of(policy(Optional.empty(), Optional.of(pool(1)), ImmutableList.of())));
    DestinationRule dr =
        rule(
            policy(
                Optional.of(lb(LoadBalancerSettings.Simple.RANDOM)),
                Optional.of(pool(10)),
                ImmutableList.of()),
            canary);

    EffectivePolicy effective = EffectivePolicy.of(Optional.of(dr), 80, "canary");

    assertEquals(
        LoadBalancerSettings.Simple.RANDOM, effective.loadBalancer().get().value().simple().get());
    assertEquals(1, effective.connectionPool().get().value().tcp().get().maxConnections().get());
    assertEquals(
        "spec.subsets[0].trafficPolicy.connectionPool", effective.connectionPool().get().field());
  }

  @Test
  void noRuleNoPolicy() {
    assertEquals(EffectivePolicy.NONE, EffectivePolicy.of(Optional.empty(), 80, ""));
  }

  @Test
  void ruleLookupPrefersProxyNamespaceThenHostNamespaceThenRoot() {
    DestinationRule inRoot = named("istio-system", "root", "*.example.com");
    DestinationRule inHostNs = named("team-a", "team", "a.example.com");
    DestinationRule inProxyNs = named("egress", "local", "*.example.com");
    DestinationRule elsewhere = named("team-z", "z", "b.example.com");

    DestinationRuleIndex all =
        new DestinationRuleIndex(
            ImmutableList.of(inRoot, inHostNs, inProxyNs, elsewhere), "egress");
    assertEquals(Optional.of(inProxyNs), all.find("a.example.com", "team-a"));

    DestinationRuleIndex noLocal =
        new DestinationRuleIndex(ImmutableList.of(inRoot, inHostNs, elsewhere), "egress");
    assertEquals(Optional.of(inHostNs), noLocal.find("a.example.com", "team-a"));
    assertEquals(
        Optional.of(inRoot), noLocal.find("b.example.com", "team-a"), "team-z never applies");
    assertEquals(Optional.empty(), noLocal.find("b.other.org", "team-a"));
  }

  private static DestinationRule named(String namespace, String name, String host) {
    return new DestinationRule(
        TranslatorPipelineTest.meta(namespace, name),
        host,
        Optional.empty(),
        ImmutableList.of(),
        ImmutableList.of(),
        Optional.empty());
  }
}
