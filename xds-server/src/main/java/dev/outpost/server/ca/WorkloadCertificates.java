package dev.outpost.server.ca;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.ByteString;
import dev.outpost.server.metrics.Metrics;
import dev.outpost.server.xds.MeshSecretSupplier;
import dev.outpost.translator.api.MeshSecrets;
import dev.outpost.translator.api.ProxyIdentity;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each identity's current workload certificate, issued on first use and re-issued once it is past
 * half of its lifetime, as SDS {@code default} and {@code ROOTCA} Secret resources. A certificate
 * that is still fresh is returned unchanged (the same Secret resource, hence the same content-hash
 * version): re-translation pushes nothing, and only renewal changes the Secret.
 *
 * <p>Keyed by SPIFFE ID (namespace and service account): proxies of different groups with one
 * identity share a certificate, as pods of one service account do in Istio.
 */
public final class WorkloadCertificates implements MeshSecretSupplier {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadCertificates.class);

  private record Issued(WorkloadCertificate certificate, Secret secret) {
    @Override
    public String toString() {
      return certificate.toString();
    }
  }

  private final MeshCa ca;
  private final Duration ttl;
  private final Clock clock;
  private final Secret trustBundle;
  private final Map<SpiffeId, Issued> issued = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong issuedTotal = new java.util.concurrent.atomic.AtomicLong();
  // When the CA expiry warning was last logged: once a day is enough to be seen, not to flood.
  private final java.util.concurrent.atomic.AtomicReference<Instant> expiryWarnedAt =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** From this long before the CA expires, the log says so (daily) besides the metric. */
  static final Duration EXPIRY_WARNING = Duration.ofDays(30);

  private static final Duration EXPIRY_WARNING_EVERY = Duration.ofDays(1);

  public WorkloadCertificates(MeshCa ca, Duration ttl, Clock clock) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("workload certificate TTL must be positive, got " + ttl);
    }
    this.ca = ca;
    this.ttl = ttl;
    this.clock = clock;
    this.trustBundle =
        Secret.newBuilder()
            .setName(MeshSecrets.TRUST_BUNDLE)
            .setValidationContext(
                CertificateValidationContext.newBuilder().setTrustedCa(inline(ca.trustBundlePem())))
            .build();
    caExpiryWarning(clock.instant()).ifPresent(LOG::warn);
  }

  /**
   * A warning when the CA expires within {@link #EXPIRY_WARNING}, at most once a day (empty
   * otherwise): after its expiry no proxy gets a certificate, and mesh mTLS stops. Checked at start
   * and on every issue and renewal check.
   */
  java.util.Optional<String> caExpiryWarning(Instant now) {
    Instant expiry = ca.signingCa().validUntil();
    if (now.isBefore(expiry.minus(EXPIRY_WARNING))) {
      return java.util.Optional.empty();
    }
    Instant last = expiryWarnedAt.get();
    if (last != null && now.isBefore(last.plus(EXPIRY_WARNING_EVERY))) {
      return java.util.Optional.empty();
    }
    if (!expiryWarnedAt.compareAndSet(last, now)) {
      return java.util.Optional.empty(); // another thread is saying it
    }
    long days = Duration.between(now, expiry).toDays();
    return java.util.Optional.of(
        now.isBefore(expiry)
            ? "the mesh CA in " + ca.location() + " expires at " + expiry + " (in " + days + " days): workload"
                + " certificates end with it and none can be issued afterwards, so mesh mTLS will stop. Plug in a"
                + " renewed CA (same root, or distribute the new root first) and restart Outpost"
            : "the mesh CA in " + ca.location() + " expired at " + expiry + ": no workload certificate can be"
                + " issued and mesh mTLS fails. Plug in a renewed CA and restart Outpost");
  }

  public MeshCa ca() {
    return ca;
  }

  public Duration ttl() {
    return ttl;
  }

  /** The identity's certificate: the cached one while fresh, else a new one. */
  public WorkloadCertificate certificate(String namespace, String serviceAccount) throws CaException {
    return current(ca.spiffeId(namespace, serviceAccount)).certificate();
  }

  @Override
  public ImmutableList<Secret> secretsFor(ProxyIdentity proxy, Set<String> names) {
    ImmutableList.Builder<Secret> out = ImmutableList.builder();
    if (names.contains(MeshSecrets.CERTIFICATE)) {
      try {
        out.add(current(ca.spiffeId(proxy.namespace(), proxy.serviceAccount())).secret());
      } catch (CaException | IllegalArgumentException e) {
        throw new Unavailable("cannot issue the mesh certificate for namespace " + proxy.namespace()
            + ", service account " + proxy.serviceAccount() + ": " + e.getMessage(), e);
      }
    }
    if (names.contains(MeshSecrets.TRUST_BUNDLE)) {
      out.add(trustBundle);
    }
    return out.build();
  }

  @Override
  public void reportTo(Metrics metrics) {
    long expiry = ca.signingCa().validUntil().getEpochSecond();
    metrics.meshCaFrom(issuedTotal::get, () -> expiry);
  }

  @Override
  public void retainOnly(Collection<ProxyIdentity> proxies) {
    Set<SpiffeId> keep = proxies.stream()
        .map(p -> {
          try {
            return ca.spiffeId(p.namespace(), p.serviceAccount());
          } catch (IllegalArgumentException e) {
            return null;
          }
        })
        .filter(java.util.Objects::nonNull)
        .collect(Collectors.toSet());
    issued.keySet().retainAll(keep);
  }

  private Issued current(SpiffeId id) throws CaException {
    Instant now = clock.instant();
    caExpiryWarning(now).ifPresent(LOG::warn);
    Issued existing = issued.get(id);
    if (existing != null && now.isBefore(existing.certificate().renewAt())) {
      return existing;
    }
    // Issuing is serialized per identity by the map; two groups of one identity get one certificate.
    CaException[] failure = new CaException[1];
    Issued result = issued.compute(id, (key, previous) -> {
      if (previous != null && now.isBefore(previous.certificate().renewAt())) {
        return previous;
      }
      try {
        WorkloadCertificate certificate = ca.issue(key, ttl, now);
        issuedTotal.incrementAndGet();
        LOG.info("issued mesh certificate {}{}", certificate, previous == null ? "" : " (renewal)");
        return new Issued(certificate, secret(certificate));
      } catch (CaException e) {
        failure[0] = e;
        return previous;
      }
    });
    if (failure[0] != null) {
      if (result != null && now.isBefore(result.certificate().notAfter())) {
        // The current certificate still works: keep serving it and try again at the next check.
        LOG.error("renewing the mesh certificate for {} failed, the current one (valid until {}) stays in use: {}",
            id, result.certificate().notAfter(), failure[0].getMessage());
        return result;
      }
      throw failure[0];
    }
    return result;
  }

  private static Secret secret(WorkloadCertificate certificate) {
    return Secret.newBuilder()
        .setName(MeshSecrets.CERTIFICATE)
        .setTlsCertificate(
            TlsCertificate.newBuilder()
                .setCertificateChain(inline(certificate.fullChainPem()))
                .setPrivateKey(inline(certificate.keyPem())))
        .build();
  }

  private static DataSource inline(String pem) {
    return DataSource.newBuilder().setInlineBytes(ByteString.copyFrom(pem, StandardCharsets.US_ASCII)).build();
  }
}
