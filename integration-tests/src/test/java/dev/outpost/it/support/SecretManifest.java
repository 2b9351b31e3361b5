package dev.outpost.it.support;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Kubernetes Secret as YAML, the way the file source reads it from the config directory: {@code
 * data} values base64-encoded. Only the parts the test chooses go in, so a test can write exactly
 * the layouts Istio accepts ({@code tls.crt}/{@code tls.key}, {@code cert}/{@code key}, {@code
 * ca.crt}/{@code cacert}, a separate {@code NAME-cacert}).
 */
public final class SecretManifest {
  private final String namespace;
  private final String name;
  private String type = "Opaque";
  private final Map<String, String> data = new LinkedHashMap<>();

  private SecretManifest(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  public static SecretManifest named(String namespace, String name) {
    return new SecretManifest(namespace, name);
  }

  /**
   * {@code kubernetes.io/tls} with {@code tls.crt} (the chain) and {@code tls.key}: a client or
   * server key pair, SDS {@code kubernetes://NAME}.
   */
  public static SecretManifest keyPair(String namespace, String name, IssuedCertificate certificate) {
    return named(namespace, name)
        .type("kubernetes.io/tls")
        .put("tls.crt", certificate.chainPem())
        .put("tls.key", certificate.privateKeyPem());
  }

  /** An Opaque Secret holding only {@code ca.crt}: e.g. {@code NAME-cacert}, or SIMPLE's CA. */
  public static SecretManifest trustedCa(String namespace, String name, X509Certificate ca) {
    return named(namespace, name).put("ca.crt", Pem.encode(ca));
  }

  public SecretManifest type(String secretType) {
    this.type = secretType;
    return this;
  }

  public SecretManifest put(String key, String value) {
    data.put(key, value);
    return this;
  }

  /** Adds {@code ca.crt} to this Secret (Istio's single-Secret layout for MUTUAL). */
  public SecretManifest withCa(X509Certificate ca) {
    return put("ca.crt", Pem.encode(ca));
  }

  public String yaml() {
    StringBuilder yaml =
        new StringBuilder()
            .append("apiVersion: v1\n")
            .append("kind: Secret\n")
            .append("metadata:\n")
            .append("  name: ").append(name).append('\n')
            .append("  namespace: ").append(namespace).append('\n')
            .append("type: ").append(type).append('\n')
            .append("data:\n");
    data.forEach(
        (key, value) ->
            yaml.append("  ")
                .append(key)
                .append(": ")
                .append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
                .append('\n'));
    return yaml.toString();
  }

  @Override
  public String toString() {
    return "Secret " + namespace + "/" + name + " (keys " + data.keySet() + ", values redacted)";
  }
}
