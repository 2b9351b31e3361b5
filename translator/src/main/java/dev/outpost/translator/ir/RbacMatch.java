package dev.outpost.translator.ir;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * A condition of an RBAC policy, as a tree. The combinators work on both sides of a policy; each
 * leaf belongs to one side ({@link #onRequest()}: Envoy's {@code Permission}; otherwise its {@code
 * Principal}), except {@link Header}, which Envoy offers on both.
 */
public sealed interface RbacMatch {

  /** Whether this is a condition on what is requested rather than on who requests it. */
  default boolean onRequest() {
    return false;
  }

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
  record Path(StringMatch path) implements RbacMatch {
    public Path {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public boolean onRequest() {
      return true;
    }
  }

  /** The port the connection arrived on (the gateway's listener port). */
  record DestinationPort(int port) implements RbacMatch {
    @Override
    public boolean onRequest() {
      return true;
    }
  }

  /** The local address the connection arrived on. */
  record DestinationIp(Cidr range) implements RbacMatch {
    public DestinationIp {
      Objects.requireNonNull(range, "range");
    }

    @Override
    public boolean onRequest() {
      return true;
    }
  }

  /** The SNI of the downstream TLS handshake; matches nothing on a connection without TLS. */
  record ServerName(StringMatch name) implements RbacMatch {
    public ServerName {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public boolean onRequest() {
      return true;
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
