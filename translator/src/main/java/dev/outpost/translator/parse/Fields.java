package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.model.Destination;
import dev.outpost.translator.model.Headers;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.WorkloadSelector;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Readers for field shapes that several kinds share: hosts, ports, exportTo, percentages... */
final class Fields {
  private Fields() {}

  /** A list of hosts ({@code *.example.com}; {@code *} alone only if {@code allowStar}). */
  static ImmutableList<String> hosts(FieldReader r, String field, boolean allowStar) {
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (FieldReader.Element e : r.elements(field)) {
      r.asString(e.node(), e.path())
          .ifPresent(
              h ->
                  HostValidator.checkWildcardHost(h, allowStar)
                      .ifPresentOrElse(msg -> r.findings().error(e.path(), msg), () -> out.add(h)));
    }
    return out.build();
  }

  /** A map of Kubernetes labels (selectors, subset and endpoint labels), syntax-checked. */
  static ImmutableSortedMap<String, String> labels(FieldReader r, String field) {
    ImmutableSortedMap<String, String> labels = r.stringMap(field);
    labels.forEach(
        (k, v) -> {
          String at = r.path(field) + "." + k;
          Names.checkLabelKey(k).ifPresent(msg -> r.findings().error(at, msg));
          if (!Names.isLabelValue(v)) {
            r.findings()
                .error(
                    at,
                    "\""
                        + v
                        + "\" is not a valid label value: up to 63 letters, digits, '-', '_' or"
                        + " '.'");
          }
        });
    return labels;
  }

  /** A list of IP addresses or CIDR blocks. */
  static ImmutableList<String> ipsOrCidrs(FieldReader r, String field) {
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (FieldReader.Element e : r.elements(field)) {
      r.asString(e.node(), e.path())
          .ifPresent(
              a ->
                  AddressValidator.checkIpOrCidr(a)
                      .ifPresentOrElse(msg -> r.findings().error(e.path(), msg), () -> out.add(a)));
    }
    return out.build();
  }

  /**
   * {@code exportTo}: {@code .} (own namespace), {@code *} (all), {@code ~} (none, ServiceEntry
   * only) or namespace names; no duplicates, and {@code *} or {@code ~} alone.
   */
  static ImmutableList<String> exportTo(FieldReader r, boolean allowNone) {
    ImmutableList<String> values = r.strings("exportTo");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      String at = r.path("exportTo") + "[" + i + "]";
      boolean special = v.equals(".") || v.equals("*") || (allowNone && v.equals("~"));
      if (!special && !Names.isDns1123Label(v)) {
        r.findings()
            .error(
                at,
                "\""
                    + v
                    + "\" must be \".\", \"*\""
                    + (allowNone ? ", \"~\"" : "")
                    + " or a namespace name");
      } else if (!seen.add(v)) {
        r.findings().error(at, "\"" + v + "\" is listed twice");
      }
    }
    if (values.size() > 1 && (seen.contains("*") || seen.contains("~"))) {
      r.error("exportTo", "\"*\" and \"~\" must be the only entry when used");
    }
    return values;
  }

  /** A workload selector whose labels are in {@code labelsField} ("labels" or "matchLabels"). */
  static Optional<WorkloadSelector> workloadSelector(FieldReader r, String labelsField) {
    return workloadSelector(r, "workloadSelector", labelsField);
  }

  /**
   * A workload selector in {@code field} (AuthorizationPolicy calls it {@code selector}), labels in
   * {@code labelsField}.
   */
  static Optional<WorkloadSelector> workloadSelector(
      FieldReader r, String field, String labelsField) {
    return r.object(field)
        .map(
            s -> {
              WorkloadSelector ws = new WorkloadSelector(labels(s, labelsField));
              ws.matchLabels()
                  .forEach(
                      (k, v) -> {
                        if (k.contains("*") || v.contains("*")) {
                          s.error(
                              labelsField + "." + k, "wildcards are not supported in selectors");
                        }
                      });
              s.finish();
              return ws;
            });
  }

  /** An Istio {@code Percent} ({@code {value: 12.5}}), 0-100. */
  static Optional<Double> percent(FieldReader r, String field) {
    return r.object(field)
        .flatMap(
            p -> {
              Optional<Double> v = p.number("value");
              p.finish();
              if (v.isPresent() && (v.get() < 0 || v.get() > 100)) {
                p.error("value", v.get() + " is not a percentage; it must be 0-100");
                return Optional.empty();
              }
              return Optional.of(v.orElse(0.0));
            });
  }

  /**
   * A ServiceEntry or Gateway port: number, protocol, name, targetPort. Empty (with errors) when
   * number or protocol is missing or invalid.
   */
  static Optional<Port> port(FieldReader p, boolean nameRequired) {
    Optional<Integer> number = p.port("number");
    if (!p.has("number")) {
      p.error("number", "is required");
    }
    Optional<Protocol> protocol = protocol(p);
    String name = p.string("name").orElse("");
    if (name.isEmpty() && nameRequired) {
      p.error("name", "is required: give the port a name such as \"http\"");
    }
    Optional<Integer> targetPort = p.port("targetPort");
    p.finish();
    if (number.isEmpty() || protocol.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Port(number.get(), protocol.get(), name, targetPort));
  }

  private static Optional<Protocol> protocol(FieldReader p) {
    if (!p.has("protocol")) {
      p.error("protocol", "is required, e.g. HTTP, HTTPS, TLS or TCP");
      return Optional.empty();
    }
    Optional<String> text = p.string("protocol");
    Optional<Protocol> protocol = text.flatMap(Protocol::parse);
    if (text.isPresent() && protocol.isEmpty()) {
      p.error(
          "protocol",
          "\""
              + text.get()
              + "\" is not a protocol Istio knows; use one of HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2,"
              + " HTTP_PROXY, MONGO, REDIS, MYSQL, TCP, TLS, UDP");
    }
    return protocol;
  }

  /** Gateway references: {@code mesh}, {@code name}, {@code namespace/name} or a gateway FQDN. */
  static ImmutableList<String> gatewayNames(FieldReader r, String field) {
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (FieldReader.Element e : r.elements(field)) {
      r.asString(e.node(), e.path())
          .ifPresent(
              g -> {
                if (isGatewayName(g)) {
                  out.add(g);
                } else {
                  r.findings()
                      .error(
                          e.path(),
                          "\""
                              + g
                              + "\" is not a gateway reference; use \"name\", \"namespace/name\" or"
                              + " \"mesh\"");
                }
              });
    }
    return out.build();
  }

  private static boolean isGatewayName(String g) {
    int slash = g.indexOf('/');
    if (slash >= 0) {
      return Names.isDns1123Label(g.substring(0, slash))
          && Names.isDns1123Label(g.substring(slash + 1));
    }
    return Names.isDns1123Subdomain(g);
  }

  /** An Istio {@code Destination}: host (required, no wildcard), subset, port.number. */
  static Optional<Destination> destination(FieldReader r, String field) {
    if (!r.has(field)) {
      r.error(field, "is required");
      return Optional.empty();
    }
    return r.object(field)
        .flatMap(
            d -> {
              String host = d.requiredString("host");
              boolean ok = !host.isEmpty();
              Optional<String> bad =
                  host.isEmpty() ? Optional.empty() : HostValidator.checkConcreteHost(host);
              if (bad.isPresent()) {
                d.error("host", bad.get());
                ok = false;
              }
              Optional<String> subset = d.string("subset");
              if (subset.isPresent() && !Names.isDns1123Label(subset.get())) {
                d.error(
                    "subset",
                    "\"" + subset.get() + "\" is not a valid subset name (a DNS-1123 label)");
                ok = false;
              }
              Optional<Integer> port = d.object("port").flatMap(p -> portNumber(p));
              d.finish();
              return ok ? Optional.of(new Destination(host, subset, port)) : Optional.empty();
            });
  }

  /** A {@code PortSelector} ({@code {number: 443}}). */
  static Optional<Integer> portNumber(FieldReader p) {
    Optional<Integer> n = p.port("number");
    p.finish();
    return n;
  }

  /** {@code headers}: request/response set/add/remove. */
  static Optional<Headers> headers(FieldReader r, String field) {
    return r.object(field)
        .map(
            h -> {
              Headers.HeaderOperations request = headerOperations(h, "request");
              Headers.HeaderOperations response = headerOperations(h, "response");
              h.finish();
              return new Headers(request, response);
            });
  }

  private static Headers.HeaderOperations headerOperations(FieldReader r, String field) {
    return r.object(field)
        .map(
            o -> {
              var set = o.stringMap("set");
              var add = o.stringMap("add");
              var remove = o.strings("remove");
              set.keySet().forEach(k -> checkHeaderName(o, "set." + k, k));
              add.keySet().forEach(k -> checkHeaderName(o, "add." + k, k));
              for (int i = 0; i < remove.size(); i++) {
                checkHeaderName(o, "remove[" + i + "]", remove.get(i));
              }
              checkHeaderValues(o, "set", set);
              checkHeaderValues(o, "add", add);
              o.finish();
              return new Headers.HeaderOperations(set, add, remove);
            })
        .orElse(Headers.HeaderOperations.EMPTY);
  }

  private static void checkHeaderName(FieldReader r, String field, String name) {
    if (!Names.isHeaderName(name)) {
      r.error(field, "\"" + name + "\" is not a valid header name (letters, digits, '-' and '_')");
    }
  }

  private static void checkHeaderValues(FieldReader r, String field, Map<String, String> values) {
    values.forEach(
        (k, v) -> {
          for (char c : v.toCharArray()) {
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
              r.error(field + "." + k, "header value contains a control character");
              return;
            }
          }
        });
  }
}
