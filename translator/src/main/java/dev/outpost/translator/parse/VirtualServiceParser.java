package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.model.HttpRoute;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.TcpRoute;
import dev.outpost.translator.model.TlsRoute;
import dev.outpost.translator.model.VirtualService;

/** Reads and validates a VirtualService spec; HTTP and L4 rules have their own parsers. */
final class VirtualServiceParser {
  private VirtualServiceParser() {}

  static VirtualService parse(ObjectMeta meta, FieldReader spec) {
    ImmutableList<String> gateways = Fields.gatewayNames(spec, "gateways");
    boolean meshOnlyExcluded = !gateways.isEmpty() && !gateways.contains("mesh");
    if (spec.isMissingOrEmpty("hosts")) {
      spec.error("hosts", "is required: list the hosts these routes apply to");
    }
    // Istio allows "*" only on VirtualServices bound to gateways (not to the mesh).
    ImmutableList<String> hosts = Fields.hosts(spec, "hosts", meshOnlyExcluded);
    ImmutableList<String> exportTo = Fields.exportTo(spec, false);
    ImmutableList.Builder<HttpRoute> http = ImmutableList.builder();
    for (FieldReader r : spec.objects("http")) {
      http.add(HttpRouteParser.parse(r));
    }
    ImmutableList.Builder<TlsRoute> tls = ImmutableList.builder();
    for (FieldReader r : spec.objects("tls")) {
      tls.add(L4RouteParser.tls(r, hosts));
    }
    ImmutableList.Builder<TcpRoute> tcp = ImmutableList.builder();
    for (FieldReader r : spec.objects("tcp")) {
      tcp.add(L4RouteParser.tcp(r));
    }
    if (spec.isMissingOrEmpty("http")
        && spec.isMissingOrEmpty("tls")
        && spec.isMissingOrEmpty("tcp")) {
      spec.findings().error("spec", "has no routes: add http, tls or tcp rules");
    }
    spec.finish();
    return new VirtualService(
        meta, hosts, gateways, exportTo, http.build(), tls.build(), tcp.build());
  }
}
