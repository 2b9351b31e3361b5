package dev.outpost.translator.ir;

import java.util.Objects;

/**
 * An HTTP chain that serves the applications beside a client proxy rather than the mesh's callers
 * at a gateway: the connection manager takes HTTP proxy requests (absolute-form and CONNECT),
 * trusts nothing about the remote address (it is the application on loopback), matches the port
 * in the authority, and names the workload in every access-log line.
 *
 * @param workload {@code NAMESPACE/SERVICE_ACCOUNT} of the proxy, written into the access log so a
 *     refused request names who made it once logs from many pods are collected in one place
 * @param passthrough ALLOW_ANY: hosts the registry does not declare are forwarded to the host the
 *     application asked for, which needs Envoy's dynamic forward proxy filter (there is no
 *     original destination without traffic interception)
 */
public record ClientProxy(String workload, boolean passthrough) {
  public ClientProxy {
    Objects.requireNonNull(workload, "workload");
  }
}
