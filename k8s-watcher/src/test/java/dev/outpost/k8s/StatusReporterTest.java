package dev.outpost.k8s;

import static dev.outpost.k8s.MockCluster.apply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.common.collect.ImmutableList;
import dev.outpost.translator.diag.Diagnostic;
import dev.outpost.translator.model.ConfigSnapshot;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class StatusReporterTest {
  KubernetesMockServer server;
  KubernetesClient client;

  /** Short enough for tests, with room for a loaded machine; the Lease stores whole seconds. */
  static final LeaderElection.Timing FAST =
      new LeaderElection.Timing(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(300));

  static final Duration TIMEOUT = Duration.ofSeconds(20);

  static final ResourceDefinitionContext SERVICE_ENTRIES =
      new ResourceDefinitionContext.Builder()
          .withGroup("networking.istio.io")
          .withVersion("v1")
          .withKind("ServiceEntry")
          .withPlural("serviceentries")
          .withNamespaced(true)
          .build();

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void serveIstio() {
    MockCluster.serveIstio(server, "v1");
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private StatusReporter reporter(String pod) {
    StatusReporter reporter =
        new StatusReporter(client, "istio-system", LeaderElection.LEASE_NAME, pod, FAST, Duration.ofMillis(50), Clock.systemUTC());
    closeables.add(reporter);
    reporter.start();
    return reporter;
  }

  private StatusReporter leader(String pod) {
    StatusReporter reporter = reporter(pod);
    await(pod + " leads", reporter::isLeader);
    return reporter;
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    fail("not within " + TIMEOUT + ": " + what);
  }

  private static String serviceEntry(String name, String extra) {
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: %s, namespace: default}
        spec:
          hosts: [%s.example.com]
          ports: [{number: 443, name: tls, protocol: TLS}]
          resolution: DNS
        %s"""
        .formatted(name, name, extra);
  }

  private GenericKubernetesResource get(String name) {
    return client.genericKubernetesResources(SERVICE_ENTRIES).inNamespace("default").withName(name).get();
  }

  private ResourceRef create(String name) {
    apply(client, serviceEntry(name, ""));
    GenericKubernetesResource object = get(name);
    return new ResourceRef(
        "networking.istio.io/v1",
        "ServiceEntry",
        "default",
        name,
        object.getMetadata().getUid(),
        object.getMetadata().getGeneration());
  }

  /** A round whose only findings are these validation diagnostics. */
  private static StatusReport report(Set<ResourceRef> read, Diagnostic... diagnostics) {
    ConfigSnapshot snapshot =
        new ConfigSnapshot(
            ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(),
            ImmutableList.of(), ImmutableList.copyOf(diagnostics));
    return StatusReport.of(snapshot, List.of(), read);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> condition(GenericKubernetesResource object, String type) {
    Object status = object.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> conditions)) {
      return null;
    }
    return conditions.stream()
        .map(c -> (Map<String, Object>) c)
        .filter(c -> type.equals(c.get("type")))
        .findFirst()
        .orElse(null);
  }

  private List<Event> outpostEvents() {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> EventRecorder.REASON.equals(e.getReason()))
        .toList();
  }

  // --- through the watcher: what a user sees --------------------------------------------------

  @Test
  void acceptedWarnedAndInvalidEntriesGetTheirConditionsThroughTheWatcher() throws Exception {
    apply(client, serviceEntry("fine", ""));
    apply(client, serviceEntry("typo", "  exportToo: [\".\"]\n"));
    apply(
        client,
        """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: broken, namespace: default}
        spec:
          ports: [{number: 443, name: tls, protocol: TLS}]
          resolution: DNS
        """);
    StatusReporter reporter = leader("outpost-0");
    AtomicReference<KubernetesWatcher> watcherRef = new AtomicReference<>();
    KubernetesWatcher watcher =
        new KubernetesWatcher(
            MockCluster.builderFor(client),
            WatcherOptions.defaults().withSecretNamespaces(com.google.common.collect.ImmutableSet.of("istio-system")),
            snapshot -> reporter.report(StatusReport.of(snapshot, List.of(), watcherRef.get().lastRead())));
    watcherRef.set(watcher);
    closeables.add(0, watcher);
    watcher.start();
    assertTrue(watcher.awaitSynced(TIMEOUT));
    await("status on all three", () -> condition(get("fine"), "Accepted") != null
        && condition(get("typo"), "Accepted") != null
        && condition(get("broken"), "Accepted") != null);

    Map<String, Object> fine = condition(get("fine"), "Accepted");
    assertEquals("True", fine.get("status"));
    assertEquals("Accepted", fine.get("reason"));
    assertEquals(1, ((Number) fine.get("observedGeneration")).intValue());
    assertNotNull(fine.get("lastTransitionTime"));
    assertEquals("True", condition(get("fine"), "Reconciled").get("status"));

    Map<String, Object> typo = condition(get("typo"), "Accepted");
    assertEquals("True", typo.get("status"));
    assertEquals("AcceptedWithWarnings", typo.get("reason"));
    assertTrue(((String) typo.get("message")).contains("exportToo"), typo.toString());

    Map<String, Object> broken = condition(get("broken"), "Accepted");
    assertEquals("False", broken.get("status"));
    assertEquals("Invalid", broken.get("reason"));
    assertTrue(((String) broken.get("message")).startsWith("ERROR spec.hosts"), broken.toString());
    assertEquals("NotInEffect", condition(get("broken"), "Reconciled").get("reason"));

    await("an Event for the broken entry", () -> !outpostEvents().isEmpty());
    List<Event> events = outpostEvents();
    assertEquals(1, events.size(), events.toString());
    assertEquals("Warning", events.get(0).getType());
    assertEquals("broken", events.get(0).getInvolvedObject().getName());
    assertEquals("ServiceEntry", events.get(0).getInvolvedObject().getKind());
    assertTrue(events.get(0).getMessage().startsWith("spec.hosts"), events.get(0).getMessage());
  }

  @Test
  void aSidecarGetsConditionsLikeTheOtherIstioKinds() throws Exception {
    apply(
        client,
        """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: apps}
        spec:
          egress: [{hosts: ["./*"]}]
        """);
    ResourceDefinitionContext sidecars =
        new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io")
            .withVersion("v1")
            .withKind("Sidecar")
            .withPlural("sidecars")
            .withNamespaced(true)
            .build();
    GenericKubernetesResource object =
        client.genericKubernetesResources(sidecars).inNamespace("apps").withName("default").get();
    ResourceRef ref =
        new ResourceRef(
            "networking.istio.io/v1", "Sidecar", "apps", "default",
            object.getMetadata().getUid(), object.getMetadata().getGeneration());
    StatusReporter reporter = leader("outpost-0");

    reporter.report(report(Set.of(ref), Diagnostic.warning(ref.subject(), "spec.ingress", "is not supported")));
    reporter.flush();

    GenericKubernetesResource written =
        client.genericKubernetesResources(sidecars).inNamespace("apps").withName("default").get();
    Map<String, Object> accepted = condition(written, "Accepted");
    assertNotNull(accepted, "no Accepted condition on the Sidecar: " + written.getAdditionalProperties());
    assertEquals("AcceptedWithWarnings", accepted.get("reason"));
    assertEquals("WARNING spec.ingress: is not supported", accepted.get("message"));
  }

  @Test
  void authorizationPoliciesAndEnvoyFiltersGetConditionsThroughTheWatcher() throws Exception {
    String policy =
        """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: egress-allow, namespace: istio-system}
        spec:
          rules: [{to: [{operation: {ports: ["443"]}}]}]
        """;
    apply(client, policy);
    apply(
        client,
        """
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: {name: timeouts, namespace: istio-system}
        spec:
          configPatches:
          - applyTo: CLUSTER
            match: {proxy: {proxyVersion: "^1.*"}}
            patch: {operation: MERGE, value: {connect_timeout: 2s}}
        """);
    // security.istio.io is a group of its own and "authorizationpolicies" no simple plural: the
    // writer must find both from the watcher's table.
    ResourceDefinitionContext policies =
        new ResourceDefinitionContext.Builder()
            .withGroup("security.istio.io")
            .withVersion("v1")
            .withKind("AuthorizationPolicy")
            .withPlural("authorizationpolicies")
            .withNamespaced(true)
            .build();
    ResourceDefinitionContext filters =
        new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io")
            .withVersion("v1alpha3")
            .withKind("EnvoyFilter")
            .withPlural("envoyfilters")
            .withNamespaced(true)
            .build();
    java.util.function.Supplier<GenericKubernetesResource> policyObject =
        () -> client.genericKubernetesResources(policies).inNamespace("istio-system").withName("egress-allow").get();
    java.util.function.Supplier<GenericKubernetesResource> filterObject =
        () -> client.genericKubernetesResources(filters).inNamespace("istio-system").withName("timeouts").get();
    StatusReporter reporter = leader("outpost-0");
    AtomicReference<KubernetesWatcher> watcherRef = new AtomicReference<>();
    KubernetesWatcher watcher =
        new KubernetesWatcher(
            MockCluster.builderFor(client),
            WatcherOptions.defaults().withSecretNamespaces(com.google.common.collect.ImmutableSet.of("istio-system")),
            snapshot -> reporter.report(StatusReport.of(snapshot, List.of(), watcherRef.get().lastRead())));
    watcherRef.set(watcher);
    closeables.add(0, watcher);
    watcher.start();
    assertTrue(watcher.awaitSynced(TIMEOUT));
    await("status on both", () -> condition(policyObject.get(), "Accepted") != null
        && condition(filterObject.get(), "Accepted") != null);
    assertEquals("Accepted", condition(policyObject.get(), "Accepted").get("reason"));
    Map<String, Object> filter = condition(filterObject.get(), "Accepted");
    assertEquals("AcceptedWithWarnings", filter.get("reason"));
    assertTrue(((String) filter.get("message")).startsWith("WARNING spec.configPatches[0].match.proxy"), filter.toString());

    apply(client, policy.replace("\"443\"", "\"0\""));
    // The mock server's update replaces the status too (a real one keeps it): wait for the new one.
    await("the invalid policy's condition", () -> {
      Map<String, Object> c = condition(policyObject.get(), "Accepted");
      return c != null && "Invalid".equals(c.get("reason"));
    });
    Map<String, Object> accepted = condition(policyObject.get(), "Accepted");
    assertEquals("False", accepted.get("status"));
    assertTrue(
        ((String) accepted.get("message")).startsWith("ERROR spec.rules[0].to[0].operation.ports[0]"),
        accepted.toString());
    assertEquals(
        "LastGoodVersionInEffect",
        condition(policyObject.get(), "Reconciled").get("reason"),
        "the valid version read before stays in effect");
  }

  // --- writing only what changed ------------------------------------------------------------

  @Test
  void anUnchangedOutcomeIsNotWrittenAgainAndEachErrorMakesOneEvent() throws Exception {
    ResourceRef ref = create("x");
    Diagnostic e1 = Diagnostic.error(ref.subject(), "spec.hosts[0]", "\"a..b\" is not a valid host name");
    Diagnostic e2 = Diagnostic.error(ref.subject(), "spec.ports[0].number", "must be between 1 and 65535");
    StatusReporter reporter = leader("outpost-0");

    reporter.report(report(Set.of(ref), e1));
    reporter.flush();
    assertEquals(1, reporter.statusWrites());
    String resourceVersion = get("x").getMetadata().getResourceVersion();
    assertEquals("Invalid", condition(get("x"), "Accepted").get("reason"));
    assertEquals(1, outpostEvents().size());

    for (int i = 0; i < 3; i++) {
      reporter.report(report(Set.of(ref), e1));
    }
    reporter.flush();
    assertEquals(1, reporter.statusWrites());
    assertEquals(resourceVersion, get("x").getMetadata().getResourceVersion());
    assertEquals(1, outpostEvents().size());

    reporter.report(report(Set.of(ref), e1, e2));
    reporter.flush();
    assertEquals(2, reporter.statusWrites());
    assertEquals(2, outpostEvents().size());

    // e1 goes away and comes back: reported again, but its Event already exists (same name).
    reporter.report(report(Set.of(ref), e2));
    reporter.flush();
    reporter.report(report(Set.of(ref), e1, e2));
    reporter.flush();
    assertEquals(2, outpostEvents().size());
    assertEquals(2, reporter.eventsCreated());
  }

  @Test
  void anObjectNoLongerReadLosesOutpostsConditionsAndKeepsOthers() throws Exception {
    ResourceRef ref = create("leaving");
    ResourceRef staying = create("staying");
    // istiod's own Reconciled condition (status distribution) sits next to where Outpost writes.
    GenericKubernetesResource object = get("leaving");
    object.setAdditionalProperty(
        "status",
        Map.of("conditions", List.of(Map.of("type", "StillPropagating", "status", "False", "reason", "Propagated"))));
    client.genericKubernetesResources(SERVICE_ENTRIES).inNamespace("default").resource(object).updateStatus();
    StatusReporter reporter = leader("outpost-0");

    reporter.report(report(Set.of(ref, staying)));
    reporter.flush();
    assertEquals("True", condition(get("leaving"), "Accepted").get("status"));

    // The object leaves what Outpost reads (e.g. a Gateway whose selector is now istiod's).
    reporter.report(report(Set.of(staying)));
    reporter.flush();
    assertEquals(null, condition(get("leaving"), "Accepted"), "no longer claims Outpost accepted it");
    assertEquals(null, condition(get("leaving"), "Reconciled"));
    assertEquals("False", condition(get("leaving"), "StillPropagating").get("status"), "others' conditions stay");
    assertEquals("True", condition(get("staying"), "Accepted").get("status"), "objects still read are untouched");
    long writes = reporter.statusWrites();

    // A deleted object is simply gone: nothing to release, nothing written.
    reporter.report(report(Set.of(staying, ref)));
    reporter.flush();
    client.genericKubernetesResources(SERVICE_ENTRIES).inNamespace("default").withName("leaving").delete();
    reporter.report(report(Set.of(staying)));
    reporter.flush();
    assertEquals(writes + 1, reporter.statusWrites(), "one write when it was read again, none for the deletion");
  }

  @Test
  void fixingTheErrorFlipsTheConditionWithANewTransitionTime() throws Exception {
    ResourceRef ref = create("y");
    StatusReporter reporter = leader("outpost-0");
    reporter.report(report(Set.of(ref), Diagnostic.error(ref.subject(), "spec.hosts", "is required")));
    reporter.flush();
    Map<String, Object> before = condition(get("y"), "Accepted");
    Map<String, Object> reconciledBefore = condition(get("y"), "Reconciled");
    Thread.sleep(1100); // transition times have whole seconds
    reporter.report(report(Set.of(ref)));
    reporter.flush();
    Map<String, Object> after = condition(get("y"), "Accepted");
    assertEquals("False", before.get("status"));
    assertEquals("True", after.get("status"));
    assertFalse(before.get("lastTransitionTime").equals(after.get("lastTransitionTime")));
    // Reconciled went from False (NotInEffect) to True as well.
    assertFalse(reconciledBefore.get("lastTransitionTime").equals(condition(get("y"), "Reconciled").get("lastTransitionTime")));
  }

  // --- leadership ---------------------------------------------------------------------------

  @Test
  void onlyTheLeaderWritesAndTheFollowerTakesOverWhenTheLeaderLeaves() throws Exception {
    ResourceRef ref = create("z");
    StatusReporter a = reporter("outpost-0");
    StatusReporter b = reporter("outpost-1");
    await("one leader", () -> a.isLeader() || b.isLeader());
    Thread.sleep(500); // several retry periods: the other must not lead too
    assertTrue(a.isLeader() ^ b.isLeader(), "exactly one leader");
    StatusReporter leader = a.isLeader() ? a : b;
    StatusReporter follower = leader == a ? b : a;

    StatusReport first = report(Set.of(ref), Diagnostic.warning(ref.subject(), "spec.exportToo", "unknown"));
    leader.report(first);
    follower.report(first);
    leader.flush();
    follower.flush();
    assertEquals(1, leader.statusWrites());
    assertEquals(0, follower.statusWrites());
    assertEquals("AcceptedWithWarnings", condition(get("z"), "Accepted").get("reason"));

    leader.close(); // releases the Lease
    assertFalse(leader.isLeader());
    await("the follower leads", follower::isLeader);
    follower.flush();
    // It checked its latest report against the object: already there, nothing to write.
    assertEquals(0, follower.statusWrites());

    follower.report(report(Set.of(ref)));
    follower.flush();
    assertEquals(1, follower.statusWrites());
    assertEquals("Accepted", condition(get("z"), "Accepted").get("reason"));
    assertEquals(1, leader.statusWrites());
  }

  @Test
  void aLeaderWhoseLeaseWasTakenStopsWriting() throws Exception {
    ResourceRef ref = create("w");
    StatusReporter reporter = leader("outpost-0");
    // Another replica holds the Lease now (as after a long pause of this one). The leader renews
    // the Lease meanwhile, so the takeover may meet a conflict (409) and is tried again, as the
    // other replica's elector would.
    takeLease("outpost-9");
    await("leadership lost", () -> !reporter.isLeader());
    reporter.report(report(Set.of(ref)));
    reporter.flush();
    assertEquals(0, reporter.statusWrites());
    assertEquals(null, condition(get("w"), "Accepted"));
    Lease lease = client.leases().inNamespace("istio-system").withName(LeaderElection.LEASE_NAME).get();
    assertEquals("outpost-9", lease.getSpec().getHolderIdentity());
  }

  private void takeLease(String holder) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        client.leases().inNamespace("istio-system").withName(LeaderElection.LEASE_NAME)
            .edit(lease -> {
              lease.getSpec().setHolderIdentity(holder);
              lease.getSpec().setLeaseDurationSeconds(3600);
              lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
              return lease;
            });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }

  // --- failures -----------------------------------------------------------------------------

  @Test
  void aDeletedObjectIsNotRetried() throws Exception {
    ResourceRef ref = create("gone");
    client.genericKubernetesResources(SERVICE_ENTRIES).inNamespace("default").withName("gone").delete();
    await("deleted", () -> get("gone") == null);
    StatusReporter reporter = leader("outpost-0");
    drainRequests();

    reporter.report(report(Set.of(ref), Diagnostic.error(ref.subject(), "spec.hosts", "is required")));
    reporter.flush();
    Thread.sleep(800); // 16 first backoffs: a retrying writer would have asked again by now
    reporter.flush();
    long asked = drainRequests().stream().filter(p -> p.contains("/serviceentries/gone")).count();
    assertEquals(1, asked, "one GET answered 404, then nothing");
    assertEquals(0, reporter.statusWrites());
    assertEquals(0, outpostEvents().size());
  }

  @Test
  void serverErrorsAreRetriedUntilTheStatusIsWritten() throws Exception {
    ResourceRef ref = create("flaky");
    server.expect().put()
        .withPath("/apis/networking.istio.io/v1/namespaces/default/serviceentries/flaky/status")
        .andReturn(503, "{}")
        .times(2);
    StatusReporter reporter = leader("outpost-0");
    drainRequests();
    reporter.report(report(Set.of(ref)));
    await("written after two 503s", () -> condition(get("flaky"), "Accepted") != null);
    long puts = drainRequests().stream().filter(p -> p.startsWith("PUT") && p.contains("/flaky/status")).count();
    assertEquals(3, puts);
    assertEquals(1, reporter.statusWrites());
  }

  @Test
  void forbiddenIsNotRetried() throws Exception {
    ResourceRef ref = create("locked");
    server.expect().put()
        .withPath("/apis/networking.istio.io/v1/namespaces/default/serviceentries/locked/status")
        .andReturn(403, "{}")
        .always();
    StatusReporter reporter = leader("outpost-0");
    drainRequests();
    reporter.report(report(Set.of(ref)));
    reporter.flush();
    Thread.sleep(800);
    reporter.report(report(Set.of(ref))); // the same outcome again: still not retried
    reporter.flush();
    long puts = drainRequests().stream().filter(p -> p.startsWith("PUT") && p.contains("/locked/status")).count();
    assertEquals(1, puts);
    assertEquals(null, condition(get("locked"), "Accepted"));
  }

  private List<String> drainRequests() throws InterruptedException {
    List<String> paths = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
      paths.add(request.getMethod() + " " + request.getPath());
    }
    return paths;
  }
}
