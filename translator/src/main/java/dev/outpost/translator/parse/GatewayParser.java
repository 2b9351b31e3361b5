package dev.outpost.translator.parse;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.outpost.translator.model.Gateway;
import dev.outpost.translator.model.ObjectMeta;
import dev.outpost.translator.model.Port;
import dev.outpost.translator.model.Protocol;
import dev.outpost.translator.model.Server;
import dev.outpost.translator.model.ServerTlsSettings;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Reads and validates a Gateway spec, following Istio's Gateway validation. */
final class GatewayParser {
  private GatewayParser() {}

  static Gateway parse(ObjectMeta meta, FieldReader spec) {
    if (!Names.isDns1123Label(meta.name())) {
      spec.findings()
          .error(
              "metadata.name",
              "\""
                  + meta.name()
                  + "\" is not a valid Gateway name: it must be a DNS-1123 label (no dots)");
    }
    ImmutableSortedMap<String, String> selector = Fields.labels(spec, "selector");
    ImmutableList.Builder<Server> servers = ImmutableList.builder();
    if (spec.isMissingOrEmpty("servers")) {
      spec.error("servers", "is required: a Gateway needs at least one server");
    }
    Set<String> portNames = new HashSet<>();
    for (FieldReader s : spec.objects("servers")) {
      server(s, portNames).ifPresent(servers::add);
    }
    spec.finish();
    return new Gateway(meta, selector, servers.build());
  }

  private static Optional<Server> server(FieldReader s, Set<String> portNames) {
    if (!s.has("port")) {
      s.error("port", "is required");
    }
    Optional<FieldReader> portReader = s.object("port");
    portReader
        .filter(p -> p.has("targetPort"))
        .ifPresent(p -> p.error("targetPort", "has no effect on Gateways; remove it"));
    Optional<Port> port = portReader.flatMap(p -> Fields.port(p, true));
    port.filter(p -> !portNames.add(p.name()))
        .ifPresent(
            p ->
                s.error(
                    "port.name",
                    "port name \""
                        + p.name()
                        + "\" is used by another server; server port names must be unique"));
    Optional<String> bind = s.string("bind");
    bind.ifPresent(b -> checkBind(s, b));
    ImmutableList<String> hosts = hosts(s);
    Optional<ServerTlsSettings> tls = s.object("tls").map(ServerTlsParser::parse);
    Optional<String> name = s.string("name");
    Optional<String> defaultEndpoint = s.string("defaultEndpoint");
    s.notSupportedYet("defaultEndpoint");
    s.finish();
    port.ifPresent(p -> checkTlsForProtocol(s, p, tls));
    return port.map(p -> new Server(p, bind, hosts, tls, name, defaultEndpoint));
  }

  private static ImmutableList<String> hosts(FieldReader s) {
    if (s.isMissingOrEmpty("hosts")) {
      s.error("hosts", "is required: list at least one host (\"*\" for any)");
    }
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (FieldReader.Element e : s.elements("hosts")) {
      s.asString(e.node(), e.path())
          .ifPresent(
              h ->
                  HostValidator.checkNamespacedHost(h)
                      .ifPresentOrElse(msg -> s.findings().error(e.path(), msg), () -> out.add(h)));
    }
    return out.build();
  }

  private static void checkBind(FieldReader s, String bind) {
    if (bind.startsWith("unix://")) {
      s.error("bind", "unix domain sockets are not supported on gateways; bind to an IP address");
    } else if (!AddressValidator.isIp(bind)) {
      s.error("bind", "\"" + bind + "\" is not an IP address");
    }
  }

  /** Istio: HTTPS/TLS servers need tls; plaintext HTTP may only carry httpsRedirect. */
  private static void checkTlsForProtocol(
      FieldReader s, Port port, Optional<ServerTlsSettings> tls) {
    boolean tlsProtocol = port.protocol() == Protocol.HTTPS || port.protocol() == Protocol.TLS;
    if (tlsProtocol && tls.isEmpty()) {
      s.error(
          "tls",
          "is required for a "
              + port.protocol().wireName()
              + " server: set tls.mode (e.g. SIMPLE with credentialName, or PASSTHROUGH)");
    } else if (!tlsProtocol && tls.isPresent()) {
      ServerTlsSettings t = tls.get();
      boolean redirectOnly =
          t.mode() == ServerTlsSettings.Mode.PASSTHROUGH
              && t.serverCertificate().isEmpty()
              && t.privateKey().isEmpty()
              && t.caCertificates().isEmpty();
      if (!port.protocol().isHttp()) {
        s.error(
            "tls",
            "a "
                + port.protocol().wireName()
                + " server cannot have TLS settings; use protocol HTTPS or TLS");
      } else if (!redirectOnly) {
        s.error(
            "tls",
            "a plaintext "
                + port.protocol().wireName()
                + " server can only have tls.httpsRedirect; use protocol HTTPS to terminate TLS");
      }
    }
    if (!port.protocol().isHttp() && tls.map(ServerTlsSettings::httpsRedirect).orElse(false)) {
      s.warning("tls.httpsRedirect", "only has an effect on HTTP servers");
    }
  }
}
