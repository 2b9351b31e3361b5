package dev.outpost.translator.emit;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.outpost.translator.ir.Authorization;
import dev.outpost.translator.ir.HeaderMatch;
import dev.outpost.translator.ir.RbacMatch;
import dev.outpost.translator.ir.RbacPolicy;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;

/**
 * RBAC filters from {@link Authorization}: {@code envoy.filters.http.rbac} for connection managers,
 * {@code envoy.filters.network.rbac} for TCP chains, one per action, named as Istio names them so
 * that EnvoyFilters written for Istio's gateways find them. A denied request gets Envoy's 403
 * {@code RBAC: access denied} and the response code details {@code
 * rbac_access_denied_matched_policy[POLICY]} in the access log; a denied connection is closed with
 * the same text in its connection termination details.
 */
public final class RbacEmitter {
  public static final String HTTP_RBAC_FILTER = "envoy.filters.http.rbac";
  public static final String NETWORK_RBAC_FILTER = "envoy.filters.network.rbac";
  /** Istio's stat prefix for the network filter ({@code tcp.rbac.allowed}, ...). */
  static final String TCP_STAT_PREFIX = "tcp.";

  public ImmutableList<HttpFilter> httpFilters(Authorization authorization) {
    return authorization.httpFilters().stream()
        .map(
            f ->
                HttpFilter.newBuilder()
                    .setName(HTTP_RBAC_FILTER)
                    .setTypedConfig(
                        Any.pack(
                            io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()
                                .setRules(rules(f))
                                .build()))
                    .build())
        .collect(ImmutableList.toImmutableList());
  }

  public ImmutableList<Filter> networkFilters(Authorization authorization) {
    return authorization.tcpFilters().stream()
        .map(
            f ->
                Filter.newBuilder()
                    .setName(NETWORK_RBAC_FILTER)
                    .setTypedConfig(
                        Any.pack(
                            io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
                                .setStatPrefix(TCP_STAT_PREFIX)
                                .setRules(rules(f))
                                .build()))
                    .build())
        .collect(ImmutableList.toImmutableList());
  }

  private static RBAC rules(Authorization.RbacFilter filter) {
    RBAC.Builder rbac = RBAC.newBuilder().setAction(action(filter.action()));
    // Map entries are serialized in insertion order, which is the IR's (namespace/name, rule).
    for (RbacPolicy policy : filter.policies()) {
      rbac.putPolicies(
          policy.name(),
          Policy.newBuilder()
              .addPermissions(permission(policy.permission()))
              .addPrincipals(principal(policy.principal()))
              .build());
    }
    return rbac.build();
  }

  private static RBAC.Action action(Authorization.Action action) {
    return switch (action) {
      case LOG -> RBAC.Action.LOG;
      case DENY -> RBAC.Action.DENY;
      case ALLOW -> RBAC.Action.ALLOW;
    };
  }

  static Permission permission(RbacMatch match) {
    Permission.Builder out = Permission.newBuilder();
    if (match instanceof RbacMatch.Any) {
      out.setAny(true);
    } else if (match instanceof RbacMatch.And and) {
      out.setAndRules(permissionSet(and.all()));
    } else if (match instanceof RbacMatch.Or or) {
      out.setOrRules(permissionSet(or.any()));
    } else if (match instanceof RbacMatch.Not not) {
      out.setNotRule(permission(not.negated()));
    } else if (match instanceof RbacMatch.Header header) {
      out.setHeader(header(header));
    } else if (match instanceof RbacMatch.Path path) {
      out.setUrlPath(
          PathMatcher.newBuilder().setPath(RouteMatchEmitter.stringMatcher(path.path())));
    } else if (match instanceof RbacMatch.DestinationPort port) {
      out.setDestinationPort(port.port());
    } else if (match instanceof RbacMatch.DestinationIp ip) {
      out.setDestinationIp(cidr(ip.range()));
    } else if (match instanceof RbacMatch.ServerName sni) {
      out.setRequestedServerName(RouteMatchEmitter.stringMatcher(sni.name()));
    } else {
      throw new IllegalArgumentException("not a request condition: " + match);
    }
    return out.build();
  }

  static Principal principal(RbacMatch match) {
    Principal.Builder out = Principal.newBuilder();
    if (match instanceof RbacMatch.Any) {
      out.setAny(true);
    } else if (match instanceof RbacMatch.And and) {
      out.setAndIds(principalSet(and.all()));
    } else if (match instanceof RbacMatch.Or or) {
      out.setOrIds(principalSet(or.any()));
    } else if (match instanceof RbacMatch.Not not) {
      out.setNotId(principal(not.negated()));
    } else if (match instanceof RbacMatch.Header header) {
      out.setHeader(header(header));
    } else if (match instanceof RbacMatch.PeerIdentity peer) {
      out.setAuthenticated(
          Principal.Authenticated.newBuilder()
              .setPrincipalName(RouteMatchEmitter.stringMatcher(peer.identity())));
    } else if (match instanceof RbacMatch.DirectRemoteIp ip) {
      out.setDirectRemoteIp(cidr(ip.range()));
    } else if (match instanceof RbacMatch.RemoteIp ip) {
      out.setRemoteIp(cidr(ip.range()));
    } else {
      throw new IllegalArgumentException("not a peer condition: " + match);
    }
    return out.build();
  }

  private static Permission.Set permissionSet(ImmutableList<RbacMatch> matches) {
    Permission.Set.Builder set = Permission.Set.newBuilder();
    matches.forEach(m -> set.addRules(permission(m)));
    return set.build();
  }

  private static Principal.Set principalSet(ImmutableList<RbacMatch> matches) {
    Principal.Set.Builder set = Principal.Set.newBuilder();
    matches.forEach(m -> set.addIds(principal(m)));
    return set.build();
  }

  private static HeaderMatcher header(RbacMatch.Header header) {
    return RouteMatchEmitter.header(new HeaderMatch(header.name(), header.value(), false));
  }

  private static CidrRange cidr(RbacMatch.Cidr range) {
    return CidrRange.newBuilder()
        .setAddressPrefix(range.address())
        .setPrefixLen(UInt32Value.of(range.prefixLength()))
        .build();
  }
}
