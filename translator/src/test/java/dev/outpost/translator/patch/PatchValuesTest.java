package dev.outpost.translator.patch;

import static dev.outpost.translator.patch.PatchFixtures.yamlToJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.outpost.translator.check.EnvoyTypeRegistry;
import dev.outpost.translator.model.EnvoyFilter.ApplyTo;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.lua.v3.Lua;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import org.junit.jupiter.api.Test;

class PatchValuesTest {

  @Test
  void theTypeRegistryKnowsBothTypedStructs() {
    JsonFormat.TypeRegistry registry = EnvoyTypeRegistry.get();
    assertEquals(
        "udpa.type.v1.TypedStruct",
        registry.find("udpa.type.v1.TypedStruct").getFullName());
    assertEquals("xds.type.v3.TypedStruct", registry.find("xds.type.v3.TypedStruct").getFullName());
  }

  @Test
  void udpaAndXdsTypedStructsBecomeTheTypeTheyName() throws Exception {
    for (String typedStruct :
        new String[] {"udpa.type.v1.TypedStruct", "xds.type.v3.TypedStruct"}) {
      HttpFilter filter =
          (HttpFilter)
              PatchValues.parse(
                  yamlToJson(
                      """
                      name: envoy.lua
                      typed_config:
                        "@type": type.googleapis.com/%s
                        type_url: type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua
                        value:
                          default_source_code: {inline_string: "function envoy_on_request(h) end"}
                      """
                          .formatted(typedStruct)),
                  ApplyTo.HTTP_FILTER);

      assertEquals(
          "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua",
          filter.getTypedConfig().getTypeUrl());
      assertEquals(
          "function envoy_on_request(h) end",
          filter.getTypedConfig().unpack(Lua.class).getDefaultSourceCode().getInlineString());
    }
  }

  @Test
  void snakeCaseAndCamelCaseBothParse() throws Exception {
    HttpFilter snake =
        (HttpFilter)
            PatchValues.parse(
                """
                {"name": "rl", "typed_config": {
                  "@type": "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
                  "stat_prefix": "p", "token_bucket": {"max_tokens": 2, "fill_interval": "1s"}}}
                """,
                ApplyTo.HTTP_FILTER);
    HttpFilter camel =
        (HttpFilter)
            PatchValues.parse(
                """
                {"name": "rl", "typedConfig": {
                  "@type": "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
                  "statPrefix": "p", "tokenBucket": {"maxTokens": 2, "fillInterval": "1s"}}}
                """,
                ApplyTo.HTTP_FILTER);

    assertEquals(snake, camel);
    assertEquals(2, snake.getTypedConfig().unpack(LocalRateLimit.class).getTokenBucket().getMaxTokens());
  }

  @Test
  void typedStructsNestedInsideOtherConfigAreConvertedToo() throws Exception {
    Cluster cluster =
        (Cluster)
            PatchValues.parse(
                yamlToJson(
                    """
                    transport_socket:
                      name: envoy.transport_sockets.tls
                      typed_config:
                        "@type": type.googleapis.com/xds.type.v3.TypedStruct
                        type_url: type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                        value: {sni: api.example.com}
                    """),
                ApplyTo.CLUSTER);

    assertEquals(
        "api.example.com",
        cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class).getSni());
  }

  @Test
  void eachApplyToParsesIntoItsType() throws Exception {
    Route route =
        (Route)
            PatchValues.parse(
                "{\"name\": \"r\", \"match\": {\"prefix\": \"/\"}, \"direct_response\": {\"status\": 204}}",
                ApplyTo.HTTP_ROUTE);
    assertEquals(204, route.getDirectResponse().getStatus());
    for (ApplyTo applyTo : ApplyTo.values()) {
      assertEquals(
          PatchValues.prototype(applyTo).getDescriptorForType(),
          PatchValues.parse("{}", applyTo).getDescriptorForType());
    }
  }

  @Test
  void anUnknownTypeIsAnErrorAtItsPlace() {
    PatchException e =
        assertThrows(
            PatchException.class,
            () ->
                PatchValues.parse(
                    "{\"name\": \"x\", \"typed_config\": {\"@type\":"
                        + " \"type.googleapis.com/envoy.extensions.filters.http.nope.v3.Nope\"}}",
                    ApplyTo.HTTP_FILTER));
    assertEquals("patch.value.typed_config.@type", e.field());
    assertTrue(e.getMessage().contains("envoy.extensions.filters.http.nope.v3.Nope"), e.getMessage());
    assertTrue(e.getMessage().contains("is not a type of the Envoy API"), e.getMessage());
  }

  @Test
  void aTypedStructNamingAnUnknownTypeIsAnError() {
    PatchException e =
        assertThrows(
            PatchException.class,
            () ->
                PatchValues.parse(
                    yamlToJson(
                        """
                        name: x
                        typed_config:
                          "@type": type.googleapis.com/udpa.type.v1.TypedStruct
                          type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v2.LocalRateLimit
                          value: {stat_prefix: p}
                        """),
                    ApplyTo.HTTP_FILTER));
    assertEquals("patch.value.typed_config.type_url", e.field());
    assertTrue(e.getMessage().contains("local_ratelimit.v2.LocalRateLimit"), e.getMessage());
  }

  @Test
  void aTypedStructWithoutTypeUrlIsAnError() {
    PatchException e =
        assertThrows(
            PatchException.class,
            () ->
                PatchValues.parse(
                    "{\"typed_config\": {\"@type\": \"type.googleapis.com/udpa.type.v1.TypedStruct\","
                        + " \"value\": {}}}",
                    ApplyTo.HTTP_FILTER));
    assertEquals("patch.value.typed_config.type_url", e.field());
  }

  @Test
  void contentThatDoesNotFitTheNamedTypeIsAnError() {
    PatchException e =
        assertThrows(
            PatchException.class,
            () ->
                PatchValues.parse(
                    yamlToJson(
                        """
                        name: x
                        typed_config:
                          "@type": type.googleapis.com/udpa.type.v1.TypedStruct
                          type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                          value: {stat_prefix: p, tokens: 4}
                        """),
                    ApplyTo.HTTP_FILTER));
    assertEquals("patch.value", e.field());
    assertTrue(e.getMessage().contains("tokens"), e.getMessage());
  }

  @Test
  void valuesOfTheWrongShapeAreErrors() {
    PatchException unknownField =
        assertThrows(
            PatchException.class,
            () -> PatchValues.parse("{\"nmae\": \"typo\"}", ApplyTo.HTTP_FILTER));
    assertTrue(unknownField.getMessage().contains("nmae"), unknownField.getMessage());
    assertTrue(
        unknownField.getMessage().contains("envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter"),
        unknownField.getMessage());

    PatchException list =
        assertThrows(PatchException.class, () -> PatchValues.parse("[1, 2]", ApplyTo.CLUSTER));
    assertTrue(list.getMessage().contains("must be a mapping"), list.getMessage());

    PatchException wrongKind =
        assertThrows(
            PatchException.class,
            () -> PatchValues.parse("{\"connect_timeout\": [1]}", ApplyTo.CLUSTER));
    assertEquals("patch.value.connect_timeout", wrongKind.field());
    assertTrue(wrongKind.getMessage().contains("must be one value, not a list"), wrongKind.getMessage());

    PatchException notJson =
        assertThrows(PatchException.class, () -> PatchValues.parse("{name: ", ApplyTo.CLUSTER));
    assertTrue(notJson.getMessage().contains("not valid JSON"), notJson.getMessage());
  }

  /**
   * JsonFormat would turn these into strings and bools; Istio's protojson and Envoy refuse them,
   * so the EnvoyFilter must be refused, not sent changed.
   */
  @Test
  void scalarsOfTheWrongJsonKindAreRefusedNotConverted() {
    String filter =
        """
        {"name": %s, "typed_config": {
          "@type": "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
          "stat_prefix": %s, "token_bucket": {"max_tokens": 2, "fill_interval": "1s"}}}
        """;
    for (String[] wrong :
        new String[][] {
          {"1", "\"p\"", "patch.value.name", "must be a string, not a number (1)"},
          {"true", "\"p\"", "patch.value.name", "must be a string, not a bool (true)"},
          {"[\"rl\"]", "\"p\"", "patch.value.name", "must be one value, not a list"},
          {"\"rl\"", "7", "patch.value.typed_config.stat_prefix", "must be a string, not a number (7)"},
          {"\"rl\"", "[\"p\"]", "patch.value.typed_config.stat_prefix", "must be one value, not a list"},
        }) {
      PatchException e =
          assertThrows(
              PatchException.class,
              () -> PatchValues.parse(filter.formatted(wrong[0], wrong[1]), ApplyTo.HTTP_FILTER),
              wrong[0] + " / " + wrong[1]);
      assertEquals(wrong[2], e.field());
      assertTrue(e.getMessage().startsWith(wrong[3]), e.getMessage());
    }
  }

  @Test
  void numbersAsStringsAndEnumsAsNumbersFollowTheProto3JsonMapping() throws Exception {
    Cluster cluster =
        (Cluster)
            PatchValues.parse(
                """
                {"name": "c", "connect_timeout": "1s", "lb_policy": 1,
                 "per_connection_buffer_limit_bytes": "1024", "type": "STRICT_DNS"}
                """,
                ApplyTo.CLUSTER);
    assertEquals(1024, cluster.getPerConnectionBufferLimitBytes().getValue());
  }
}
