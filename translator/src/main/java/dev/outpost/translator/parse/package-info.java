/**
 * Reading input files into the {@link dev.outpost.translator.model model}: YAML/JSON documents
 * ({@link dev.outpost.translator.parse.DocumentReader}), one parser per kind, shared field readers
 * and validators, assembled into a {@link dev.outpost.translator.model.ConfigSnapshot} by {@link
 * dev.outpost.translator.parse.SnapshotAssembler}.
 *
 * <p>Nothing in the input is ignored silently. An unknown field is a WARNING naming its path (with
 * a typo suggestion when one is close). A field Istio defines but Outpost does not implement yet is
 * a WARNING "is not supported yet and is ignored". The list, in one place:
 *
 * <ul>
 *   <li>ServiceEntry: {@code workloadSelector}, {@code endpoints[].network}
 *   <li>Gateway: {@code servers[].defaultEndpoint}; {@code servers[].tls.caCrl}, {@code
 *       credentialNames}, {@code tlsCertificates}
 *   <li>VirtualService {@code http[]}: {@code mirror}, {@code mirrors}, {@code mirrorPercentage}
 *       (and the deprecated {@code mirror_percent}/{@code mirrorPercent}), {@code corsPolicy},
 *       {@code delegate}; {@code match[].sourceLabels}, {@code sourceNamespace}, {@code
 *       statPrefix}; {@code retries.retryRemoteLocalities}, {@code retryIgnorePreviousHosts},
 *       {@code backoff}; {@code fault.delay.exponentialDelay}, {@code fault.abort.http2Error}
 *   <li>VirtualService {@code tls[]/tcp[]}: {@code match[].sourceLabels}, {@code sourceNamespace}
 *   <li>DestinationRule: {@code workloadSelector}; {@code trafficPolicy.tunnel}, {@code
 *       proxyProtocol}, {@code retryBudget}; {@code loadBalancer.localityLbSetting}, {@code
 *       warmupDurationSecs}, {@code warmup}; {@code consistentHash.httpCookie.attributes}; {@code
 *       tls.caCrl}
 *   <li>Sidecar: {@code outboundTrafficPolicy.egressProxy}; {@code ingress} and {@code
 *       inboundConnectionPool} (the inbound side, which Outpost never configures); {@code
 *       egress[].captureMode: IPTABLES} reads as NONE (no interception)
 *   <li>EnvoyFilter {@code configPatches[]}: {@code match.proxy} (every selected proxy matches),
 *       {@code match.listener.filterChain.applicationProtocols} and {@code destinationPort},
 *       {@code match.routeConfiguration.vhost.route.action}, {@code patch.filterClass}; {@code
 *       match.context: SIDECAR_INBOUND} is read but never applies (no inbound listeners). {@code
 *       spec.targetRefs} and Istio's applyTo LISTENER_FILTER, EXTENSION_CONFIG and BOOTSTRAP are
 *       errors, not warnings: ignoring them would patch other objects than the ones meant
 * </ul>
 *
 * <p>Two kinds are read in part on purpose, without warnings for the rest: of ConfigMaps only the
 * mesh config ({@code istio-system/istio}, key {@code mesh}, where only {@code
 * outboundTrafficPolicy.mode} is read; see {@link dev.outpost.translator.parse.MeshConfigParser});
 * of Services, EndpointSlices and Pods only the fields the service registry uses.
 *
 * <p>Fields of that list that the model has (mirror, corsPolicy, delegate, tunnel, ...) are still
 * parsed and validated, so a later translator can use them without a parser change. Everything else
 * in the model is meant to be translated; where the translator cannot honour a model field in
 * some context (for example a DestinationRule {@code tls} that originates TLS on a passthrough
 * destination), it says so itself.
 */
package dev.outpost.translator.parse;
