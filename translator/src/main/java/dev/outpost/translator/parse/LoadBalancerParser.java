package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.model.LoadBalancerSettings;
import dev.outpost.translator.model.LoadBalancerSettings.ConsistentHash;
import dev.outpost.translator.model.LoadBalancerSettings.LocalityLbSetting;
import java.time.Duration;
import java.util.Optional;

/** Reads {@code trafficPolicy.loadBalancer}. */
final class LoadBalancerParser {
  /** Envoy's limit for a Maglev table (it must also be prime). */
  private static final long MAGLEV_MAX_TABLE_SIZE = 5_000_011L;

  private LoadBalancerParser() {}

  static LoadBalancerSettings parse(FieldReader r) {
    Optional<LoadBalancerSettings.Simple> simple =
        r.enumValue("simple", LoadBalancerSettings.Simple.class);
    if (simple.filter(s -> s == LoadBalancerSettings.Simple.LEAST_CONN).isPresent()) {
      r.warning("simple", "LEAST_CONN is deprecated; use LEAST_REQUEST (same behaviour)");
    }
    Optional<ConsistentHash> hash =
        r.object("consistentHash").map(LoadBalancerParser::consistentHash);
    Optional<LocalityLbSetting> locality =
        r.object("localityLbSetting").map(LoadBalancerParser::locality);
    Optional<Duration> warmup = r.duration("warmupDurationSecs", DurationRule.AT_LEAST_1MS);
    r.notSupportedYet("localityLbSetting", "warmupDurationSecs", "warmup");
    r.finish();
    if (r.has("simple") && r.has("consistentHash")) {
      r.error("consistentHash", "cannot be combined with simple; keep one");
    }
    return new LoadBalancerSettings(simple, hash, locality, warmup);
  }

  private static ConsistentHash consistentHash(FieldReader c) {
    Optional<String> header = c.string("httpHeaderName");
    header
        .filter(h -> !Names.isHeaderName(h))
        .ifPresent(h -> c.error("httpHeaderName", "\"" + h + "\" is not a valid header name"));
    Optional<LoadBalancerSettings.HttpCookie> cookie =
        c.object("httpCookie").map(LoadBalancerParser::cookie);
    boolean sourceIp = c.bool("useSourceIp").orElse(false);
    Optional<String> query = c.string("httpQueryParameterName");
    Optional<LoadBalancerSettings.RingHash> ringHash =
        c.object("ringHash")
            .map(
                rh -> {
                  Optional<Long> size = rh.longValue("minimumRingSize");
                  rh.finish();
                  return new LoadBalancerSettings.RingHash(size);
                });
    Optional<LoadBalancerSettings.Maglev> maglev =
        c.object("maglev").map(LoadBalancerParser::maglev);
    Optional<Long> minimumRingSize = c.longValue("minimumRingSize");
    c.finish();
    int keys =
        (header.isPresent() ? 1 : 0)
            + (cookie.isPresent() ? 1 : 0)
            + (c.has("useSourceIp") ? 1 : 0)
            + (query.isPresent() ? 1 : 0);
    if (keys != 1) {
      c.findings()
          .error(
              c.path(),
              "set exactly one hash key: httpHeaderName, httpCookie, useSourceIp or"
                  + " httpQueryParameterName");
    }
    if (c.has("useSourceIp") && !sourceIp) {
      c.error("useSourceIp", "false gives no hash key; set it to true or choose another key");
    }
    if (ringHash.isPresent() && maglev.isPresent()) {
      c.error("maglev", "cannot be combined with ringHash; keep one");
    }
    if (minimumRingSize.isPresent()) {
      if (ringHash.isPresent() || maglev.isPresent()) {
        c.error(
            "minimumRingSize",
            "cannot be combined with ringHash or maglev; use ringHash.minimumRingSize");
      } else {
        c.warning(
            "minimumRingSize",
            "is deprecated; use ringHash: {minimumRingSize: " + minimumRingSize.get() + "}");
      }
    }
    return new ConsistentHash(header, cookie, sourceIp, query, ringHash, maglev, minimumRingSize);
  }

  private static LoadBalancerSettings.HttpCookie cookie(FieldReader c) {
    String name = c.requiredString("name");
    Optional<String> path = c.string("path");
    Optional<Duration> ttl = c.duration("ttl", DurationRule.NON_NEGATIVE);
    c.notSupportedYet("attributes");
    c.finish();
    return new LoadBalancerSettings.HttpCookie(name, path, ttl);
  }

  private static LoadBalancerSettings.Maglev maglev(FieldReader m) {
    Optional<Long> size = m.longValue("tableSize");
    m.finish();
    if (size.isEmpty()) {
      m.error("tableSize", "is required, e.g. 65537 (a prime number)");
    } else if (size.get() <= 0 || size.get() >= MAGLEV_MAX_TABLE_SIZE || !isPrime(size.get())) {
      m.error(
          "tableSize",
          size.get() + " must be a prime number below " + MAGLEV_MAX_TABLE_SIZE + ", e.g. 65537");
    }
    return new LoadBalancerSettings.Maglev(size);
  }

  static boolean isPrime(long x) {
    if (x < 2) {
      return false;
    }
    if (x < 4) {
      return true;
    }
    if (x % 2 == 0) {
      return false;
    }
    for (long f = 3; f * f <= x; f += 2) {
      if (x % f == 0) {
        return false;
      }
    }
    return true;
  }

  private static LocalityLbSetting locality(FieldReader l) {
    ImmutableList.Builder<LocalityLbSetting.Distribute> distribute = ImmutableList.builder();
    for (FieldReader d : l.objects("distribute")) {
      String from = d.string("from").orElse("");
      ImmutableSortedMap.Builder<String, Integer> to = ImmutableSortedMap.naturalOrder();
      for (FieldReader.Element e : d.entries("to")) {
        if (e.node().isIntegralNumber() && e.node().canConvertToInt() && e.node().intValue() >= 0) {
          to.put(e.key(), e.node().intValue());
        } else {
          d.findings().error(e.path(), "must be a weight (0 or more)");
        }
      }
      d.finish();
      distribute.add(new LocalityLbSetting.Distribute(from, to.build()));
    }
    ImmutableList.Builder<LocalityLbSetting.Failover> failover = ImmutableList.builder();
    for (FieldReader f : l.objects("failover")) {
      failover.add(
          new LocalityLbSetting.Failover(f.string("from").orElse(""), f.string("to").orElse("")));
      f.finish();
    }
    ImmutableList<String> priority = l.strings("failoverPriority");
    Optional<Boolean> enabled = l.bool("enabled");
    l.finish();
    return new LocalityLbSetting(distribute.build(), failover.build(), priority, enabled);
  }
}
