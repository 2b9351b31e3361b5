package dev.outpost.translator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExtensionCategoryCommentsTest {

  @Test
  void readsFieldOneofAndNestedMessageAnnotations() {
    String proto =
        """
        syntax = "proto3";
        package envoy.example.v3;
        // [#extension: envoy.example]
        message Outer {
          // The filter's config.
          // [#extension-category: envoy.filters.http]
          google.protobuf.Any typed_config = 1;

          // Not annotated.
          google.protobuf.Any other = 2 [(validate.rules).message = {
            required: true
          }];

          message Inner {
            // [#extension-category: envoy.filters.listener,envoy.filters.udp_listener]
            oneof config_type {
              option (validate.required) = true;

              google.protobuf.Any typed_config = 3;
              string text = 4 [(validate.rules).string = {pattern: "^[^{]*$"}];
            }
          }

          // [#comment: add [#extension-category: envoy.retry_options_predicates] later]
          repeated core.v3.TypedExtensionConfig predicates = 5;

          // [#extension-category: envoy.access_loggers]
          map<string, google.protobuf.Any> by_name = 6;

          enum Kind {
            // [#extension-category: envoy.not.a.field]
            DEFAULT = 0;
          }

          // [#extension-category: envoy.clusters]
          core.v3.TypedExtensionConfig wrapped = 7
              [(validate.rules).message = {required: true}];
        }
        """;
    Map<String, Set<String>> expected =
        Map.of(
            "envoy.example.v3.Outer.typed_config", Set.of("envoy.filters.http"),
            "envoy.example.v3.Outer.Inner.typed_config",
                Set.of("envoy.filters.listener", "envoy.filters.udp_listener"),
            "envoy.example.v3.Outer.Inner.text",
                Set.of("envoy.filters.listener", "envoy.filters.udp_listener"),
            "envoy.example.v3.Outer.by_name", Set.of("envoy.access_loggers"),
            "envoy.example.v3.Outer.wrapped", Set.of("envoy.clusters"));
    assertEquals(expected, ExtensionCategoryComments.read(proto));
  }
}
