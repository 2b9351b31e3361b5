package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * A condition of an RBAC policy, as a tree. The combinators work on both sides of a policy; each
 * leaf belongs to one side ({@link OnRequest}: Envoy's {@code Permission}; otherwise its {@code
 * Principal}), except {@link Header}, which Envoy offers on both.
 */
public sealed interface RbacMatch {

  /** A condition on what is requested rather than on who requests it. */
  sealed interface OnRequest extends RbacMatch {}

  /** Matches everything. */
  record Any() implements RbacMatch {}

  record And(ImmutableList<RbacMatch> all) implements RbacMatch {
    public And {
      Objects.requireNonNull(all, "all");
    }
  }

  record Or(ImmutableList<RbacMatch> any) implements RbacMatch {
    public Or {
      Objects.requireNonNull(any, "any");
    }
  }

  record Not(RbacMatch negated) implements RbacMatch {
    public Not {
      Objects.requireNonNull(negated, "negated");
    }
  }

  /** A request header (pseudo-headers too: {@code :authority}, {@code :method}); empty: present. */
  record Header(String name, Optional<StringMatch> value) implements RbacMatch {
    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /** The request path without query string. */
  record Path(StringMatch path) implements OnRequest {
    public Path {
      Objects.requireNonNull(path, "path");
    }
  }

  /** The port the connection arrived on (the gateway's listener port). */
  record DestinationPort(int port) implements OnRequest {}

  /** The local address the connection arrived on. */
  record DestinationIp(Cidr range) implements OnRequest {
    public DestinationIp {
      Objects.requireNonNull(range, "range");
    }
  }

  /** The SNI of the downstream TLS handshake; matches nothing on a connection without TLS. */
  record ServerName(StringMatch name) implements OnRequest {
    public ServerName {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * The peer's identity from its verified certificate (the URI SAN, a SPIFFE id for mesh
   * workloads); never matches a peer that sent no certificate.
   */
  record PeerIdentity(StringMatch identity) implements RbacMatch {
    public PeerIdentity {
      Objects.requireNonNull(identity, "identity");
    }
  }

  /** The address of the connection's peer (Istio's {@code ipBlocks}, {@code source.ip}). */
  record DirectRemoteIp(Cidr range) implements RbacMatch {
    public DirectRemoteIp {
      Objects.requireNonNull(range, "range");
    }
  }

  /**
   * The original client address, as the gateway's connection manager determined it (Istio's
   * {@code remoteIpBlocks}, {@code remote.ip}); the peer address where nothing says otherwise.
   */
  record RemoteIp(Cidr range) implements RbacMatch {
    public RemoteIp {
      Objects.requireNonNull(range, "range");
    }
  }

  /** An address range: an IPv4 or IPv6 address and a prefix length. */
  record Cidr(String address, int prefixLength) {
    public Cidr {
      Objects.requireNonNull(address, "address");
      if (prefixLength < 0 || prefixLength > 128) {
        throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
      }
    }
  }
}
