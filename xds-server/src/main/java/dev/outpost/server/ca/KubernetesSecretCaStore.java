package dev.outpost.server.ca;

import com.google.common.collect.ImmutableList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh CA in a Secret of the control plane's namespace, for Kubernetes mode without {@code
 * --ca-dir}; the Kubernetes counterpart of {@link SelfSignedCaDirectory}.
 *
 * <ul>
 *   <li>If a Secret {@code cacerts} exists (Istio's "plug in CA certificates" Secret, keys {@code
 *       ca-cert.pem}, {@code ca-key.pem}, {@code root-cert.pem}, {@code cert-chain.pem}), it is the
 *       plugged-in CA: read, verified, never written.
 *   <li>Else Secret {@code outpost-ca} (type Opaque, same keys) holds the self-signed root. The first
 *       replica to start creates it; creation is a plain create, which the API server makes atomic:
 *       of two replicas racing, the loser gets 409 AlreadyExists and reads the winner's root, so a
 *       mesh never has two roots. An incomplete Secret is reported, never overwritten.
 * </ul>
 *
 * <p>Secret contents are never logged; errors name the Secret and its keys, and describe API
 * failures by status code and reason only (fabric8's messages can carry the request body).
 */
public final class KubernetesSecretCaStore implements CaStore {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesSecretCaStore.class);
  /** The Secret Outpost creates for its self-signed root, unless told another name. */
  public static final String DEFAULT_SECRET = "outpost-ca";
  /** Istio's plugged-in CA Secret; used as-is when present. */
  public static final String ISTIO_PLUGGED_SECRET = "cacerts";
  private static final List<String> KEYS =
      List.of(CacertsLayout.CA_CERT, CacertsLayout.CA_KEY, CacertsLayout.ROOT_CERT, CacertsLayout.CERT_CHAIN);

  private final KubernetesClient client;
  private final String namespace;
  private final String trustDomain;
  private final String ownSecret;
  private volatile String location;

  public KubernetesSecretCaStore(KubernetesClient client, String namespace, String trustDomain) {
    this(client, namespace, DEFAULT_SECRET, trustDomain);
  }

  /** @param ownSecret the name of the Secret that holds Outpost's own root ({@code --ca-secret}) */
  public KubernetesSecretCaStore(KubernetesClient client, String namespace, String ownSecret, String trustDomain) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.ownSecret = Objects.requireNonNull(ownSecret, "ownSecret");
    this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
    this.location = "Secret " + namespace + "/" + ownSecret;
  }

  @Override
  public SigningCa load(Instant now) throws CaException {
    Secret plugged = pluggedIn();
    if (plugged != null) {
      location = "Secret " + namespace + "/" + ISTIO_PLUGGED_SECRET + " (plugged-in CA)";
      return read(plugged, ISTIO_PLUGGED_SECRET, now);
    }
    location = "Secret " + namespace + "/" + ownSecret;
    Secret own = get(ownSecret);
    if (own == null) {
      own = create(now);
    }
    return read(own, ownSecret, now);
  }

  @Override
  public String location() {
    return location;
  }

  /**
   * Istio's {@code cacerts}, if it exists and may be read. RBAC that grants only the own Secret by
   * name (as deploy/ does) answers 403 for {@code cacerts}: that means "not plugged in here", said
   * once in the log so that an operator who did plug one in knows what to grant.
   */
  private Secret pluggedIn() throws CaException {
    try {
      return client.secrets().inNamespace(namespace).withName(ISTIO_PLUGGED_SECRET).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw apiFailure("read", ISTIO_PLUGGED_SECRET, e);
      }
      LOG.info(
          "not allowed to read Secret {}/{} (Istio's plugged-in CA); using {}. To plug in a CA that way, grant get on"
              + " that Secret by name",
          namespace, ISTIO_PLUGGED_SECRET, ownSecret);
      return null;
    }
  }

  private Secret get(String name) throws CaException {
    try {
      return client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw apiFailure("read", name, e);
    }
  }

  private Secret create(Instant now) throws CaException {
    SelfSignedRoot.Generated root = SelfSignedRoot.generate(trustDomain, now);
    String certificate = Pem.encode(List.of(root.certificate()));
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CacertsLayout.CA_CERT, base64(certificate));
    data.put(CacertsLayout.CA_KEY, base64(Pem.encode(root.key())));
    data.put(CacertsLayout.ROOT_CERT, base64(certificate));
    data.put(CacertsLayout.CERT_CHAIN, base64(certificate));
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(ownSecret)
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/managed-by", "outpost")
            .addToLabels("app.kubernetes.io/component", "mesh-ca")
            .endMetadata()
            .withType("Opaque")
            .withData(data)
            .build();
    try {
      Secret created = client.secrets().inNamespace(namespace).resource(secret).create();
      LOG.info(
          "generated a self-signed mesh root CA in Secret {}/{} ({}, valid until {}); restarts and replicas reuse it",
          namespace, ownSecret, root.certificate().getSubjectX500Principal().getName(),
          root.certificate().getNotAfter().toInstant());
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw apiFailure("create", ownSecret, e);
      }
      // Another replica created it between our read and our create: use its root, not ours.
      LOG.info("Secret {}/{} was just created by another replica; using its mesh root CA", namespace, ownSecret);
      Secret theirs = get(ownSecret);
      if (theirs == null) {
        throw new CaException(
            "Secret " + namespace + "/" + ownSecret + " already exists according to the API server but cannot be"
                + " read back; start again");
      }
      return theirs;
    }
  }

  private SigningCa read(Secret secret, String name, Instant now) throws CaException {
    String where = "mesh CA in Secret " + namespace + "/" + name;
    Map<String, byte[]> values = values(secret);
    List<String> missing =
        List.of(CacertsLayout.CA_CERT, CacertsLayout.CA_KEY, CacertsLayout.ROOT_CERT).stream()
            .filter(key -> !values.containsKey(key))
            .toList();
    if (!missing.isEmpty()) {
      throw new CaException(
          where + " lacks key(s) " + String.join(", ", missing) + " (it has " + String.join(", ", values.keySet().stream().sorted().toList())
              + "); a CA Secret holds " + String.join(", ", KEYS) + " (Istio's cacerts layout)."
              + (name.equals(ownSecret)
                  ? " Restore it, or delete it to generate a new root (every proxy then needs new certificates,"
                      + " and clients that trust the old root must get the new one)"
                  : " Fix the Secret, or delete it to let Outpost use its own root in Secret " + ownSecret));
    }
    String keyOf = where + " key ";
    ImmutableList<X509Certificate> caCert = Pem.certificates(values.get(CacertsLayout.CA_CERT), keyOf + CacertsLayout.CA_CERT);
    PrivateKey key = Pem.privateKey(values.get(CacertsLayout.CA_KEY), keyOf + CacertsLayout.CA_KEY);
    byte[] chainBytes = values.get(CacertsLayout.CERT_CHAIN);
    ImmutableList<X509Certificate> chain =
        chainBytes == null ? caCert : Pem.certificates(chainBytes, keyOf + CacertsLayout.CERT_CHAIN);
    ImmutableList<X509Certificate> roots = Pem.certificates(values.get(CacertsLayout.ROOT_CERT), keyOf + CacertsLayout.ROOT_CERT);
    return SigningCa.verified(caCert.get(0), key, chain, roots, now, where);
  }

  /** {@code data} (base64, as the API server returns it) and {@code stringData} (as written). */
  private static Map<String, byte[]> values(Secret secret) throws CaException {
    Map<String, byte[]> values = new LinkedHashMap<>();
    if (secret.getData() != null) {
      for (Map.Entry<String, String> entry : secret.getData().entrySet()) {
        try {
          values.put(entry.getKey(), Base64.getMimeDecoder().decode(entry.getValue() == null ? "" : entry.getValue()));
        } catch (IllegalArgumentException e) {
          throw new CaException("Secret key " + entry.getKey() + " is not valid base64");
        }
      }
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> values.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return values;
  }

  private CaException apiFailure(String verb, String name, KubernetesClientException e) {
    String status =
        e.getStatus() != null && e.getStatus().getReason() != null ? e.getStatus().getReason() : "no status";
    String hint =
        e.getCode() == 403
            ? "; grant the control plane's ServiceAccount get and create on secrets in namespace " + namespace
                + " (a Role), or plug in a CA with --ca-dir"
            : e.getCode() == 0 ? "; the API server could not be reached" : "";
    return new CaException(
        "cannot " + verb + " Secret " + namespace + "/" + name + " for the mesh CA (HTTP " + e.getCode() + ", " + status + ")"
            + hint);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
