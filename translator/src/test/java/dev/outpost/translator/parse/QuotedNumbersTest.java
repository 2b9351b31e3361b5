package dev.outpost.translator.parse;

import static dev.outpost.translator.parse.Inputs.assemble;
import static dev.outpost.translator.parse.Inputs.assertRejected;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A number written as a string is refused in every kind, as the Kubernetes API server refuses it
 * against Istio's CRD schemas (which type these fields integer): one central reader, checked here
 * through each kind's number fields.
 */
class QuotedNumbersTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ServiceEntry ports[].number | networking.istio.io/v1 | ServiceEntry"
            + " | {hosts: [api.example.com], resolution: DNS, ports: [{number: \"443\", name: https, protocol: TLS}]}"
            + " | spec.ports[0].number",
        "ServiceEntry ports[].targetPort | networking.istio.io/v1 | ServiceEntry"
            + " | {hosts: [api.example.com], resolution: DNS, ports: [{number: 443, targetPort: \"8443\", name: https, protocol: TLS}]}"
            + " | spec.ports[0].targetPort",
        "ServiceEntry endpoints[].ports | networking.istio.io/v1 | ServiceEntry"
            + " | {hosts: [api.example.com], resolution: STATIC, ports: [{number: 443, name: https, protocol: TLS}],"
            + " endpoints: [{address: 192.0.2.1, ports: {https: \"8443\"}}]}"
            + " | spec.endpoints[0].ports.https",
        "Gateway servers[].port.number | networking.istio.io/v1 | Gateway"
            + " | {selector: {istio: egressgateway}, servers: [{port: {number: \"80\", name: http, protocol: HTTP}, hosts: [\"*\"]}]}"
            + " | spec.servers[0].port.number",
        "VirtualService destination.port.number | networking.istio.io/v1 | VirtualService"
            + " | {hosts: [api.example.com], http: [{route: [{destination: {host: api.example.com, port: {number: \"80\"}}}]}]}"
            + " | spec.http[0].route[0].destination.port.number",
        "DestinationRule portLevelSettings[].port.number | networking.istio.io/v1 | DestinationRule"
            + " | {host: api.example.com, trafficPolicy: {portLevelSettings: [{port: {number: \"443\"}, tls: {mode: SIMPLE}}]}}"
            + " | spec.trafficPolicy.portLevelSettings[0].port.number",
        "Sidecar egress[].port.number | networking.istio.io/v1 | Sidecar"
            + " | {egress: [{port: {number: \"80\", name: http, protocol: HTTP}, hosts: [\"./*\"]}]}"
            + " | spec.egress[0].port.number",
      })
  void aQuotedPortIsAnError(String what, String apiVersion, String kind, String spec, String field) {
    String yaml =
        "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: x, namespace: ns}\nspec: " + spec + "\n";

    assertRejected(assemble(yaml), field, "must be an integer, not the string");
  }
}
