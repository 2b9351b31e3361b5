package dev.outpost.translator.build;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.ByteString;
import dev.outpost.translator.ir.SdsSecret;
import dev.outpost.translator.model.KubeSecret;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Resolves {@code credentialName} references of one proxy against the Secrets of the proxy's own
 * namespace (Istio's rule), and checks what it finds: PEM parses, the key matches the leaf
 * certificate, the chain is in order, the certificates are not expired at {@code now} (expiring
 * within 7 days: warning). A reference that cannot be used yields empty and an error diagnostic
 * naming the referencing resource and field, the secret and the namespace searched: the caller
 * then drops the server or cluster that needed it (fail closed: never reference a secret that
 * would not arrive).
 *
 * <p>Names follow Istio: the key pair is SDS {@code kubernetes://NAME}; the CA is {@code
 * kubernetes://NAME-cacert}, taken from Secret {@code NAME-cacert} if it exists, else from key
 * {@code ca.crt} / {@code cacert} of {@code NAME}. Key pair keys: {@code tls.crt}/{@code tls.key}
 * or {@code cert}/{@code key}.
 */
final class CredentialResolver {
  static final String SDS_PREFIX = "kubernetes://";
  static final String CA_SUFFIX = "-cacert";

  /** What checking one credential found, replayed as diagnostics for every reference to it. */
  private record Checked(Optional<SdsSecret> secret, Optional<String> error, Optional<String> warning) {
    static Checked ok(SdsSecret secret, Optional<String> warning) {
      return new Checked(Optional.of(secret), Optional.empty(), warning);
    }

    static Checked failed(String error) {
      return new Checked(Optional.empty(), Optional.of(error), Optional.empty());
    }

    static Checked absent() {
      return new Checked(Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** Outcome of an optional CA lookup: a usable CA, none at all, or one that is there but unusable. */
  record OptionalCa(Optional<SdsSecret> ca, boolean unusable) {}

  private final Map<String, KubeSecret> own = new HashMap<>();
  private final Map<String, TreeSet<String>> namespacesByName = new HashMap<>();
  private final String proxyNamespace;
  private final Instant now;
  private final DiagnosticSink diagnostics;
  private final Map<String, Checked> keyPairs = new HashMap<>();
  private final Map<String, Checked> authorities = new HashMap<>();

  CredentialResolver(
      ImmutableList<KubeSecret> secrets,
      String proxyNamespace,
      Instant now,
      DiagnosticSink diagnostics) {
    this.proxyNamespace = proxyNamespace;
    this.now = now;
    this.diagnostics = diagnostics;
    for (KubeSecret secret : secrets) {
      String name = secret.metadata().name();
      if (secret.metadata().namespace().equals(proxyNamespace)) {
        own.put(name, secret);
      }
      namespacesByName.computeIfAbsent(name, n -> new TreeSet<>()).add(secret.metadata().namespace());
    }
  }

  /**
   * The certificate chain and key of Secret {@code credentialName}, as SDS {@code
   * kubernetes://NAME}; empty (and an error on {@code subject}/{@code field}) if the Secret is
   * missing, has no usable key pair, or is expired.
   */
  Optional<SdsSecret> keyPair(String subject, String field, String credentialName) {
    Checked checked = keyPairs.computeIfAbsent(credentialName, this::checkKeyPair);
    return report(subject, field, checked);
  }

  /**
   * The CA certificates for {@code credentialName}, as SDS {@code kubernetes://NAME-cacert}; empty
   * (and an error) if neither Secret {@code NAME-cacert} nor a CA key of {@code NAME} holds a
   * usable CA.
   */
  Optional<SdsSecret> trustedCa(String subject, String field, String credentialName) {
    Checked checked = authorities.computeIfAbsent(credentialName, this::checkAuthority);
    if (checked.secret().isEmpty() && checked.error().isEmpty()) {
      diagnostics.error(subject, field, noCa(credentialName) + " " + FAIL_CLOSED);
      return Optional.empty();
    }
    return report(subject, field, checked);
  }

  /**
   * Like {@link #trustedCa} but for SIMPLE origination, where a CA is optional: {@code ca} empty
   * and not {@code unusable}, without a diagnostic, when the Secrets hold no CA at all (the caller
   * then verifies against the system trust store); {@code unusable} with an error when a CA is
   * there but cannot be used (the caller fails closed). A missing Secret {@code NAME} itself is an
   * error and {@code unusable}.
   */
  OptionalCa optionalTrustedCa(String subject, String field, String credentialName) {
    Checked checked = authorities.computeIfAbsent(credentialName, this::checkAuthority);
    if (checked.secret().isEmpty() && checked.error().isEmpty()) {
      return new OptionalCa(Optional.empty(), false);
    }
    Optional<SdsSecret> ca = report(subject, field, checked);
    return new OptionalCa(ca, ca.isEmpty());
  }

  private static final String FAIL_CLOSED =
      "Until this is fixed, the configuration that needs it is not sent to the proxy (fail closed).";

  private Optional<SdsSecret> report(String subject, String field, Checked checked) {
    checked.error().ifPresent(e -> diagnostics.error(subject, field, e + " " + FAIL_CLOSED));
    checked.warning().ifPresent(w -> diagnostics.warning(subject, field, w));
    return checked.secret();
  }

  private Checked checkKeyPair(String name) {
    KubeSecret secret = own.get(name);
    if (secret == null) {
      return Checked.failed(notFound(name));
    }
    String certKey = secret.get("tls.crt").isPresent() || secret.get("tls.key").isPresent() ? "tls.crt" : "cert";
    String keyKey = certKey.equals("tls.crt") ? "tls.key" : "key";
    Optional<ByteString> chainPem = secret.get(certKey);
    Optional<ByteString> keyPem = secret.get(keyKey);
    if (chainPem.isEmpty() || keyPem.isEmpty()) {
      return Checked.failed(
          "Secret " + key(secret) + " has no certificate and private key: expected keys tls.crt and"
              + " tls.key (or cert and key), it has " + keysOf(secret) + ".");
    }
    String chainWhat = "key " + certKey + " of Secret " + key(secret);
    String keyWhat = "key " + keyKey + " of Secret " + key(secret);
    try {
      ImmutableList<X509CertificateHolder> chain = PemDecoder.certificates(chainPem.get(), chainWhat);
      PrivateKeyInfo privateKey = PemDecoder.privateKey(keyPem.get(), keyWhat);
      requireKeyMatchesLeaf(chain, privateKey, chainWhat, keyWhat);
      LeafKeySupport.requireSupported(chain.get(0), chainWhat);
      requireChainOrder(chain, chainWhat);
      CertificateValidity.requireCurrent(chain, now, chainWhat);
      return Checked.ok(
          SdsSecret.keyPair(SDS_PREFIX + name, chainPem.get(), keyPem.get()),
          CertificateValidity.expiryWarning(chain.get(0), now, "the certificate in " + chainWhat));
    } catch (InvalidCredentialException e) {
      return Checked.failed(e.getMessage() + ".");
    }
  }

  /** Absent (no error) when no CA is stored for the credential at all. */
  private Checked checkAuthority(String name) {
    KubeSecret caSecret = own.get(name + CA_SUFFIX);
    KubeSecret secret = own.get(name);
    if (caSecret == null && secret == null) {
      return Checked.failed(notFound(name));
    }
    KubeSecret holder = caSecret != null ? caSecret : secret;
    String caKey = holder.get("ca.crt").isPresent() ? "ca.crt" : "cacert";
    Optional<ByteString> pem = holder.get(caKey);
    if (pem.isEmpty()) {
      if (caSecret != null) {
        return Checked.failed(
            "Secret " + key(caSecret) + " has no CA certificate: expected key ca.crt (or cacert), it"
                + " has " + keysOf(caSecret) + ".");
      }
      return Checked.absent();
    }
    String what = "key " + caKey + " of Secret " + key(holder);
    try {
      ImmutableList<X509CertificateHolder> bundle = PemDecoder.certificates(pem.get(), what);
      CertificateValidity.requireCurrent(bundle, now, what);
      return Checked.ok(
          SdsSecret.trustBundle(SDS_PREFIX + name + CA_SUFFIX, pem.get()),
          bundle.stream()
              .map(c -> CertificateValidity.expiryWarning(c, now, "a CA certificate in " + what))
              .flatMap(Optional::stream)
              .findFirst());
    } catch (InvalidCredentialException e) {
      return Checked.failed(e.getMessage() + ".");
    }
  }

  private static void requireKeyMatchesLeaf(
      ImmutableList<X509CertificateHolder> chain,
      PrivateKeyInfo privateKey,
      String chainWhat,
      String keyWhat)
      throws InvalidCredentialException {
    if (KeyMatch.matches(privateKey, chain.get(0).getSubjectPublicKeyInfo(), keyWhat)) {
      return;
    }
    for (int i = 1; i < chain.size(); i++) {
      if (KeyMatch.matches(privateKey, chain.get(i).getSubjectPublicKeyInfo(), keyWhat)) {
        throw new InvalidCredentialException(
            "the chain in " + chainWhat + " is out of order: the private key belongs to certificate "
                + (i + 1) + " (" + chain.get(i).getSubject() + "); put the leaf certificate first,"
                + " followed by its issuers");
      }
    }
    throw new InvalidCredentialException(
        "the private key in " + keyWhat + " does not belong to the certificate in " + chainWhat
            + " (" + chain.get(0).getSubject() + "); store the key that was issued with this"
            + " certificate");
  }

  private static void requireChainOrder(ImmutableList<X509CertificateHolder> chain, String what)
      throws InvalidCredentialException {
    for (int i = 0; i + 1 < chain.size(); i++) {
      if (!chain.get(i).getIssuer().equals(chain.get(i + 1).getSubject())) {
        throw new InvalidCredentialException(
            "the chain in " + what + " is out of order: certificate " + (i + 2) + " ("
                + chain.get(i + 1).getSubject() + ") did not issue certificate " + (i + 1)
                + ", whose issuer is " + chain.get(i).getIssuer()
                + "; list the leaf first, each certificate followed by its issuer");
      }
    }
  }

  private String notFound(String name) {
    StringBuilder message =
        new StringBuilder("Secret \"")
            .append(name)
            .append("\" not found in namespace ")
            .append(proxyNamespace)
            .append(" (the proxy's namespace: a gateway reads credentials only from its own namespace)");
    TreeSet<String> elsewhere = new TreeSet<>(namespacesByName.getOrDefault(name, new TreeSet<>()));
    elsewhere.remove(proxyNamespace);
    if (!elsewhere.isEmpty()) {
      message
          .append("; a Secret of that name exists in namespace ")
          .append(String.join(", ", elsewhere))
          .append(", which this proxy may not read: create it in ")
          .append(proxyNamespace);
    } else {
      message.append("; create it there");
    }
    return message.append('.').toString();
  }

  private String noCa(String name) {
    return "Secret " + proxyNamespace + "/" + name + " has no CA certificate (key ca.crt or cacert)"
        + " and Secret " + proxyNamespace + "/" + name + CA_SUFFIX + " does not exist; a CA is"
        + " needed to verify the peer's certificate: add key ca.crt to " + name + " or create "
        + name + CA_SUFFIX + " with key ca.crt.";
  }

  private static String key(KubeSecret secret) {
    return secret.metadata().namespace() + "/" + secret.metadata().name();
  }

  private static String keysOf(KubeSecret secret) {
    return secret.data().isEmpty() ? "no keys" : "keys " + String.join(", ", secret.data().keySet());
  }
}
