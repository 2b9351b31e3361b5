package dev.outpost.it.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parts of a {@code translate} config dump (Envoy's admin config dump format) that the policy
 * tests read: a listener's filter chains, their network filters and, inside the HTTP connection
 * manager, the HTTP filters in order.
 */
final class ConfigDump {
  static final String HCM = "envoy.filters.network.http_connection_manager";
  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
  static final String HTTP_RBAC = "envoy.filters.http.rbac";
  static final String NETWORK_RBAC = "envoy.filters.network.rbac";
  static final String FAULT = "envoy.filters.http.fault";
  static final String LOCAL_RATE_LIMIT = "envoy.filters.http.local_ratelimit";
  static final String ROUTER = "envoy.filters.http.router";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonNode dump;

  private ConfigDump(JsonNode dump) {
    this.dump = dump;
  }

  static ConfigDump parse(String json) {
    try {
      return new ConfigDump(JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException("translate did not print a JSON config dump", e);
    }
  }

  /** One filter chain, described for assertion messages by its listener and server names. */
  record Chain(String description, JsonNode node) {
    List<JsonNode> networkFilters() {
      List<JsonNode> filters = new ArrayList<>();
      node.path("filters").forEach(filters::add);
      return filters;
    }

    List<String> networkFilterNames() {
      return networkFilters().stream().map(f -> f.path("name").asText()).toList();
    }

    /** The HTTP filters of the chain's HTTP connection manager, in order; empty for a TCP chain. */
    List<JsonNode> httpFilters() {
      List<JsonNode> filters = new ArrayList<>();
      networkFilters().stream()
          .filter(f -> f.path("name").asText().equals(HCM))
          .forEach(hcm -> hcm.path("typed_config").path("http_filters").forEach(filters::add));
      return filters;
    }

    List<String> httpFilterNames() {
      return httpFilters().stream().map(f -> f.path("name").asText()).toList();
    }

    @Override
    public String toString() {
      return description + ": " + node;
    }
  }

  /** The filters of that list (network or HTTP) with this name, in chain order. */
  static List<JsonNode> named(List<JsonNode> filters, String name) {
    return filters.stream().filter(f -> f.path("name").asText().equals(name)).toList();
  }

  List<String> listenerNames() {
    List<String> names = new ArrayList<>();
    listeners().forEach(l -> names.add(l.path("name").asText()));
    return names;
  }

  /** Every filter chain of {@code listener}; fails when the listener is not in the dump. */
  List<Chain> chains(String listener) {
    for (JsonNode l : listeners()) {
      if (l.path("name").asText().equals(listener)) {
        List<Chain> chains = new ArrayList<>();
        for (JsonNode chain : l.path("filter_chains")) {
          chains.add(new Chain(listener + " " + chain.path("filter_chain_match").path("server_names"), chain));
        }
        return chains;
      }
    }
    throw new AssertionError("no listener " + listener + " in the dump; listeners: " + listenerNames());
  }

  /** The chain of {@code listener} that serves {@code serverName} (its SNI); fails when there is none. */
  Chain chain(String listener, String serverName) {
    for (Chain chain : chains(listener)) {
      for (JsonNode name : chain.node().path("filter_chain_match").path("server_names")) {
        if (name.asText().equals(serverName)) {
          return chain;
        }
      }
    }
    throw new AssertionError("no filter chain for " + serverName + " on " + listener + ": " + chains(listener));
  }

  /**
   * The RBAC action of an {@code envoy.filters.http.rbac} or {@code envoy.filters.network.rbac}
   * filter: ALLOW, DENY or LOG (Istio's AUDIT). ALLOW is the enum's default, which proto JSON
   * leaves out.
   */
  static String rbacAction(JsonNode filter) {
    JsonNode action = filter.path("typed_config").path("rules").path("action");
    return action.isMissingNode() || action.isNull() ? "ALLOW" : action.asText();
  }

  /** The policy names of an RBAC filter (Istio's {@code ns[NS]-policy[NAME]-rule[N]}). */
  static Set<String> rbacPolicyNames(JsonNode filter) {
    Set<String> names = new TreeSet<>();
    filter.path("typed_config").path("rules").path("policies").fieldNames().forEachRemaining(names::add);
    return names;
  }

  private List<JsonNode> listeners() {
    List<JsonNode> listeners = new ArrayList<>();
    for (JsonNode config : dump.path("configs")) {
      if (config.path("@type").asText().endsWith(".ListenersConfigDump")) {
        for (JsonNode dynamic : config.path("dynamic_listeners")) {
          listeners.add(dynamic.path("active_state").path("listener"));
        }
      }
    }
    return listeners;
  }
}
