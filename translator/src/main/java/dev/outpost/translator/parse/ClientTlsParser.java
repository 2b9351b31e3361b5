package dev.outpost.translator.parse;

import dev.outpost.translator.model.ClientTlsSettings;
import dev.outpost.translator.model.ClientTlsSettings.Mode;

/** Reads {@code trafficPolicy.tls} (TLS origination), with Istio's rules per mode. */
final class ClientTlsParser {
  private ClientTlsParser() {}

  static ClientTlsSettings parse(FieldReader t) {
    Mode mode = t.enumValue("mode", Mode.class).orElse(Mode.DISABLE);
    var cert = t.string("clientCertificate");
    var key = t.string("privateKey");
    var ca = t.string("caCertificates");
    var credentialName = t.string("credentialName");
    credentialName
        .filter(c -> !Names.isDns1123Subdomain(c))
        .ifPresent(c -> t.error("credentialName", "\"" + c + "\" is not a valid Secret name"));
    var sans = t.strings("subjectAltNames");
    var sni = t.string("sni");
    var insecure = t.bool("insecureSkipVerify");
    t.notSupportedYet("caCrl");
    t.finish();
    boolean anyCert =
        cert.isPresent() || key.isPresent() || ca.isPresent() || credentialName.isPresent();
    if (mode == Mode.ISTIO_MUTUAL && anyCert) {
      t.error(
          "mode",
          "ISTIO_MUTUAL uses the mesh certificates; remove clientCertificate, privateKey,"
              + " caCertificates and credentialName");
    }
    // MUTUAL without a client certificate is not rejected here: a rejected DestinationRule would
    // leave its clusters in plaintext. The translator reports it and fails closed instead
    // (UpstreamTlsPolicy).
    if (mode == Mode.DISABLE && (anyCert || sni.isPresent() || !sans.isEmpty())) {
      t.warning("mode", "TLS is DISABLE, so the other TLS settings have no effect");
    }
    return new ClientTlsSettings(mode, cert, key, ca, credentialName, sans, sni, insecure);
  }
}
