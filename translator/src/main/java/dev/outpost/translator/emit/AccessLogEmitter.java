package dev.outpost.translator.emit;

import com.google.common.collect.ImmutableMap;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import java.util.Map;

/**
 * The JSON access log every gateway listener writes to stdout. Field names follow Istio's JSON
 * access log so that the log lines from Istio's egress guides read the same.
 */
public final class AccessLogEmitter {
  public static final String STDOUT_LOGGER = "envoy.access_loggers.stdout";

  /** Key order is irrelevant to Envoy; a sorted map keeps the emitted bytes stable. */
  static final ImmutableMap<String, String> FIELDS =
      ImmutableMap.<String, String>builder()
          .put("authority", "%REQ(:AUTHORITY)%")
          // true when an AUDIT AuthorizationPolicy matched (Envoy's RBAC LOG action sets it).
          .put("authz_audited", "%DYNAMIC_METADATA(envoy.common:access_log_hint)%")
          .put("bytes_received", "%BYTES_RECEIVED%")
          .put("bytes_sent", "%BYTES_SENT%")
          .put("connection_termination_details", "%CONNECTION_TERMINATION_DETAILS%")
          .put("downstream_local_address", "%DOWNSTREAM_LOCAL_ADDRESS%")
          .put("downstream_peer_uri_san", "%DOWNSTREAM_PEER_URI_SAN%")
          .put("downstream_remote_address", "%DOWNSTREAM_REMOTE_ADDRESS%")
          .put("duration", "%DURATION%")
          .put("method", "%REQ(:METHOD)%")
          .put("path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%")
          .put("protocol", "%PROTOCOL%")
          .put("request_id", "%REQ(X-REQUEST-ID)%")
          .put("requested_server_name", "%REQUESTED_SERVER_NAME%")
          .put("response_code", "%RESPONSE_CODE%")
          .put("response_code_details", "%RESPONSE_CODE_DETAILS%")
          .put("response_flags", "%RESPONSE_FLAGS%")
          .put("route_name", "%ROUTE_NAME%")
          .put("start_time", "%START_TIME%")
          .put("upstream_cluster", "%UPSTREAM_CLUSTER%")
          .put("upstream_host", "%UPSTREAM_HOST%")
          .put("upstream_local_address", "%UPSTREAM_LOCAL_ADDRESS%")
          .put("upstream_service_time", "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%")
          .put("upstream_transport_failure_reason", "%UPSTREAM_TRANSPORT_FAILURE_REASON%")
          .put("user_agent", "%REQ(USER-AGENT)%")
          .put("x_forwarded_for", "%REQ(X-FORWARDED-FOR)%")
          .build();

  /** The field naming a client proxy's workload ({@code NAMESPACE/SERVICE_ACCOUNT}). */
  static final String WORKLOAD_FIELD = "workload";

  public AccessLog stdoutJson() {
    return stdoutJson(FIELDS);
  }

  /**
   * A client proxy's log: the same fields, plus the workload as a literal, since Envoy has no
   * command for its node's identity and logs from many pods end up side by side.
   */
  public AccessLog stdoutJson(String workload) {
    java.util.TreeMap<String, String> fields = new java.util.TreeMap<>(FIELDS);
    fields.put(WORKLOAD_FIELD, workload);
    return stdoutJson(fields);
  }

  private static AccessLog stdoutJson(Map<String, String> fields) {
    Struct.Builder format = Struct.newBuilder();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      format.putFields(field.getKey(), Value.newBuilder().setStringValue(field.getValue()).build());
    }
    StdoutAccessLog stdout =
        StdoutAccessLog.newBuilder()
            .setLogFormat(SubstitutionFormatString.newBuilder().setJsonFormat(format))
            .build();
    return AccessLog.newBuilder().setName(STDOUT_LOGGER).setTypedConfig(Any.pack(stdout)).build();
  }
}
