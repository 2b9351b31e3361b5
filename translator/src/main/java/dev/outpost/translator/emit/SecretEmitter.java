package dev.outpost.translator.emit;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.ir.SdsSecret;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.util.Collection;
import java.util.TreeMap;

/**
 * The Kubernetes credentials that the emitted listeners and clusters reference become SDS Secret
 * resources, once each, sorted by name. Mesh identity secrets are left out: the server's mesh CA
 * supplies them per proxy.
 */
public final class SecretEmitter {

  public ImmutableList<Secret> emit(Collection<SdsSecret> referenced) {
    TreeMap<String, Secret> byName = new TreeMap<>();
    for (SdsSecret secret : referenced) {
      if (secret.kind() != SdsSecret.Kind.MESH) {
        byName.putIfAbsent(secret.name(), emit(secret));
      }
    }
    return ImmutableList.copyOf(byName.values());
  }

  private static Secret emit(SdsSecret secret) {
    Secret.Builder out = Secret.newBuilder().setName(secret.name());
    switch (secret.kind()) {
      case KEY_PAIR ->
          out.setTlsCertificate(
              TlsCertificate.newBuilder()
                  .setCertificateChain(DataSource.newBuilder().setInlineBytes(secret.certificateChain()))
                  .setPrivateKey(DataSource.newBuilder().setInlineBytes(secret.privateKey())));
      case TRUST_BUNDLE ->
          out.setValidationContext(
              CertificateValidationContext.newBuilder()
                  .setTrustedCa(DataSource.newBuilder().setInlineBytes(secret.caCertificates())));
      case MESH -> throw new IllegalArgumentException("mesh secrets are supplied by the server");
    }
    return out.build();
  }
}
