package dev.outpost.translator.check;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Optional;

/**
 * The extension categories whose config types Outpost knows, for {@link ExtensionTypeRules}.
 *
 * <p>Which field takes which category comes from Envoy's own API ({@link ExtensionSlots}); which
 * message types belong to a category does not: Envoy lists that in {@code
 * source/extensions/extensions_metadata.yaml} of its source tree, which the api jar does not ship.
 * So this table says it by the package convention of Envoy's API (every extension's config lives
 * in a package named after its category, {@code envoy.extensions.filters.http.<filter>.v3} for an
 * HTTP filter), curated against that file for the categories an EnvoyFilter can reach. It is
 * generous: a helper message of a filter's package (a per-route config, say) passes as a filter;
 * what it refuses is a config from another category or no extension at all (a Cluster as an HTTP
 * filter, a network filter among HTTP filters, a Struct outside a TypedStruct).
 *
 * <p>A category not listed here is not checked (the matchers' inputs, for one, depend on the
 * matcher's context, not only on the field); {@code ExtensionCategoriesTest} lists those, so that
 * a new category in a newer Envoy API is a decision, not an accident.
 */
final class ExtensionCategories {
  private static final ImmutableMap<String, ExtensionCategory> BY_NAME;

  static {
    ImmutableMap.Builder<String, ExtensionCategory> all = ImmutableMap.builder();
    for (ExtensionCategory category :
        ImmutableList.of(
            category(
                "envoy.filters.http",
                "an HTTP filter",
                "envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
                "envoy.extensions.filters.http."),
            category(
                "envoy.filters.http.upstream",
                "an upstream HTTP filter",
                "envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec",
                "envoy.extensions.filters.http."),
            category(
                "envoy.filters.network",
                "a network filter",
                "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                "envoy.extensions.filters.network."),
            category(
                "envoy.filters.listener",
                "a listener filter",
                "envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector",
                "envoy.extensions.filters.listener."),
            category(
                "envoy.filters.udp_listener",
                "a UDP listener filter",
                "envoy.extensions.filters.udp.udp_proxy.v3.UdpProxyConfig",
                "envoy.extensions.filters.udp.dns_filter.",
                "envoy.extensions.filters.udp.udp_proxy.v3."),
            category(
                "envoy.filters.udp.session",
                "a UDP session filter",
                "envoy.extensions.filters.udp.udp_proxy.session.http_capsule.v3.FilterConfig",
                "envoy.extensions.filters.udp.udp_proxy.session."),
            category(
                "envoy.access_loggers",
                "an access logger",
                "envoy.extensions.access_loggers.file.v3.FileAccessLog",
                "envoy.extensions.access_loggers.file.",
                "envoy.extensions.access_loggers.fluentd.",
                "envoy.extensions.access_loggers.grpc.",
                "envoy.extensions.access_loggers.open_telemetry.",
                "envoy.extensions.access_loggers.stream.",
                "envoy.extensions.access_loggers.wasm."),
            category(
                "envoy.access_loggers.extension_filters",
                "an access log filter",
                "envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter",
                "envoy.extensions.access_loggers.filters."),
            new ExtensionCategory(
                "envoy.transport_sockets.upstream",
                "an upstream transport socket",
                "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
                ImmutableList.of("envoy.extensions.transport_sockets."),
                "Downstream"),
            new ExtensionCategory(
                "envoy.transport_sockets.downstream",
                "a downstream transport socket",
                "envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
                ImmutableList.of("envoy.extensions.transport_sockets."),
                "Upstream"),
            category(
                "envoy.clusters",
                "a cluster type",
                "envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig",
                "envoy.extensions.clusters."),
            category(
                "envoy.upstream_options",
                "upstream protocol options",
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                "envoy.extensions.upstreams.",
                "envoy.extensions.filters.network."),
            category(
                "envoy.upstreams",
                "an upstream connection pool",
                "envoy.extensions.upstreams.http.generic.v3.GenericConnectionPoolProto",
                "envoy.extensions.upstreams."),
            category(
                "envoy.load_balancing_policies",
                "a load balancing policy",
                "envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin",
                "envoy.extensions.load_balancing_policies."),
            category(
                "envoy.network.dns_resolver",
                "a DNS resolver",
                "envoy.extensions.network.dns_resolver.cares.v3.CaresDnsResolverConfig",
                "envoy.extensions.network.dns_resolver."),
            category(
                "envoy.retry_priorities",
                "a retry priority",
                "envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig",
                "envoy.extensions.retry.priority."),
            category(
                "envoy.retry_host_predicates",
                "a retry host predicate",
                "envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate",
                "envoy.extensions.retry.host."),
            category(
                "envoy.rate_limit_descriptors",
                "a rate limit descriptor",
                "envoy.extensions.rate_limit_descriptors.expr.v3.Descriptor",
                "envoy.extensions.rate_limit_descriptors."),
            category(
                "envoy.http.stateful_header_formatters",
                "a stateful header formatter",
                "envoy.extensions.http.header_formatters.preserve_case.v3.PreserveCaseFormatterConfig",
                "envoy.extensions.http.header_formatters."),
            category(
                "envoy.tls.cert_validator",
                "a TLS certificate validator",
                "envoy.extensions.transport_sockets.tls.v3.SPIFFECertValidatorConfig",
                "envoy.extensions.transport_sockets.tls.v3.SPIFFECertValidatorConfig"),
            category(
                "envoy.tracers",
                "a tracer",
                "envoy.config.trace.v3.ZipkinConfig",
                "envoy.config.trace.v3.",
                "envoy.extensions.tracers."),
            category(
                "envoy.request_id",
                "a request ID extension",
                "envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig",
                "envoy.extensions.request_id."),
            category(
                "envoy.compression.compressor",
                "a compressor library",
                "envoy.extensions.compression.gzip.compressor.v3.Gzip",
                "envoy.extensions.compression.brotli.compressor.",
                "envoy.extensions.compression.gzip.compressor.",
                "envoy.extensions.compression.zstd.compressor."),
            category(
                "envoy.compression.decompressor",
                "a decompressor library",
                "envoy.extensions.compression.gzip.decompressor.v3.Gzip",
                "envoy.extensions.compression.brotli.decompressor.",
                "envoy.extensions.compression.gzip.decompressor.",
                "envoy.extensions.compression.zstd.decompressor."),
            category(
                "envoy.formatter",
                "an access log formatter",
                "envoy.extensions.formatter.cel.v3.Cel",
                "envoy.extensions.formatter."),
            category(
                "envoy.path.match",
                "a path matcher",
                "envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig",
                "envoy.extensions.path.match."),
            category(
                "envoy.path.rewrite",
                "a path rewriter",
                "envoy.extensions.path.rewrite.uri_template.v3.UriTemplateRewriteConfig",
                "envoy.extensions.path.rewrite."),
            category(
                "envoy.internal_redirect_predicates",
                "an internal redirect predicate",
                "envoy.extensions.internal_redirect.previous_routes.v3.PreviousRoutesConfig",
                "envoy.extensions.internal_redirect."),
            category(
                "envoy.route.early_data_policy",
                "an early data policy",
                "envoy.extensions.early_data.v3.DefaultEarlyDataPolicy",
                "envoy.extensions.early_data."),
            category(
                "envoy.http.original_ip_detection",
                "an original IP detection extension",
                "envoy.extensions.http.original_ip_detection.xff.v3.XffConfig",
                "envoy.extensions.http.original_ip_detection."),
            category(
                "envoy.http.early_header_mutation",
                "an early header mutation",
                "envoy.extensions.http.early_header_mutation.header_mutation.v3.HeaderMutation",
                "envoy.extensions.http.early_header_mutation."),
            category(
                "envoy.http.header_validators",
                "an HTTP header validator",
                "envoy.extensions.http.header_validators.envoy_default.v3.HeaderValidatorConfig",
                "envoy.extensions.http.header_validators."),
            category(
                "envoy.http.stateful_session",
                "a stateful session extension",
                "envoy.extensions.http.stateful_session.cookie.v3.CookieBasedSessionState",
                "envoy.extensions.http.stateful_session."),
            category(
                "envoy.http.injected_credentials",
                "an injected credential",
                "envoy.extensions.http.injected_credentials.generic.v3.Generic",
                "envoy.extensions.http.injected_credentials."),
            category(
                "envoy.http.cache",
                "an HTTP cache",
                "envoy.extensions.http.cache.simple_http_cache.v3.SimpleHttpCacheConfig",
                "envoy.extensions.http.cache."),
            category(
                "envoy.health_checkers",
                "a custom health checker",
                "envoy.extensions.health_checkers.redis.v3.Redis",
                "envoy.extensions.health_checkers.",
                // the built-in HTTP, gRPC and TCP checkers, as typed extensions
                "envoy.config.core.v3.HealthCheck."),
            category(
                "envoy.rbac.matchers",
                "an RBAC matcher",
                "envoy.extensions.rbac.matchers.upstream_ip_port.v3.UpstreamIpPortMatcher",
                "envoy.extensions.rbac.matchers."),
            category(
                "envoy.rbac.principals",
                "an RBAC principal",
                "envoy.extensions.rbac.principals.mtls_authenticated.v3.Config",
                "envoy.extensions.rbac.principals."),
            category(
                "envoy.rbac.audit_loggers",
                "an RBAC audit logger",
                "envoy.extensions.rbac.audit_loggers.stream.v3.StdoutAuditLog",
                "envoy.extensions.rbac.audit_loggers."))) {
      all.put(category.name(), category);
    }
    BY_NAME = all.buildOrThrow();
  }

  /**
   * What a {@code typed_per_filter_config} value (keyed by filter name) or a {@code FilterConfig}
   * holds: the per-route config of an HTTP filter. Which filter's is not checked (Envoy finds the
   * filter by the config's type first, then by the key), only that it is an HTTP filter's config.
   */
  static final ExtensionCategory PER_ROUTE =
      new ExtensionCategory(
          ExtensionSlots.PER_ROUTE,
          "the per-route config of an HTTP filter",
          "envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
          ImmutableList.of("envoy.extensions.filters.http.", "envoy.config.route.v3.FilterConfig"),
          "");

  private ExtensionCategories() {}

  /** The category of this name, when Outpost knows its config types. */
  static Optional<ExtensionCategory> named(String name) {
    if (name.equals(ExtensionSlots.PER_ROUTE)) {
      return Optional.of(PER_ROUTE);
    }
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** Every category with known config types, by name. */
  static ImmutableMap<String, ExtensionCategory> all() {
    return BY_NAME;
  }

  private static ExtensionCategory category(
      String name, String description, String example, String... packages) {
    return new ExtensionCategory(name, description, example, ImmutableList.copyOf(packages), "");
  }
}
