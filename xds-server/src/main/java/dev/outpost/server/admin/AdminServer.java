package dev.outpost.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.outpost.server.dump.ConfigDumps;
import dev.outpost.server.metrics.Metrics;
import dev.outpost.server.xds.GroupKey;
import dev.outpost.server.xds.ProxyRegistry;
import dev.outpost.server.xds.ProxyStatus;
import dev.outpost.server.xds.SnapshotPublisher;
import dev.outpost.server.xds.TruncatedText;
import dev.outpost.server.xds.XdsSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP endpoints: {@code /healthz}, {@code /readyz} (ready once the first config is
 * loaded), {@code /metrics} (Prometheus text), {@code /debug/config_dump?node=ID} (what that proxy
 * is served, in the {@code outpost translate} format, secrets redacted), {@code /debug/proxies} and
 * {@code /debug/diagnostics} (what is wrong with the current config: reading it, and translating it
 * for the connected proxy groups).
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Threads that read requests and run handlers. The JDK server reads each request (line and
   * headers) on an executor thread, so a client that sends its request slowly holds one until
   * {@link #MAX_REQUEST_SECONDS}. Enough that a few stalled connections leave /healthz a thread;
   * bounded, so that many cannot make the server start a thread each.
   */
  static final int THREADS = 8;
  /** Connections waiting for a thread; one more is closed at once. */
  static final int QUEUE = 16;
  /** Open connections at most (idle keep-alive ones included); one more is closed at once. */
  static final String MAX_CONNECTIONS = "64";
  /** How long a client may take to send its request, from the moment its first bytes arrive. */
  static final String MAX_REQUEST_SECONDS = "5";
  /** How long a client may take to read a response (a config dump can be megabytes). */
  static final String MAX_RESPONSE_SECONDS = "30";

  // The JDK server reads these once, when it loads; an operator's own -D settings win.
  static {
    setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    setIfAbsent("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
    setIfAbsent("jdk.httpserver.maxConnections", MAX_CONNECTIONS);
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final SnapshotPublisher publisher;
  private final ProxyRegistry registry;
  private final Metrics metrics;
  private final ConfigDumps dumps;
  private final ReadinessCheck readiness;

  private AdminServer(
      HttpServer server,
      SnapshotPublisher publisher,
      ProxyRegistry registry,
      Metrics metrics,
      ConfigDumps dumps,
      ReadinessCheck readiness) {
    this.server = server;
    this.readiness = readiness;
    this.publisher = publisher;
    this.registry = registry;
    this.metrics = metrics;
    this.dumps = dumps;
    this.executor = boundedExecutor();
  }

  /**
   * The JDK server's executor: {@link #THREADS} threads and {@link #QUEUE} waiting connections.
   * When both are taken the server closes the new connection (it catches the rejection): a flood
   * of slow clients costs a bounded number of threads, and each is freed after {@link
   * #MAX_REQUEST_SECONDS}. (An unbounded pool gave every stalled connection its own thread.)
   */
  private static ThreadPoolExecutor boundedExecutor() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "outpost-admin-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  public static AdminServer start(
      InetSocketAddress address, SnapshotPublisher publisher, ProxyRegistry registry, Metrics metrics, ConfigDumps dumps)
      throws IOException {
    return start(address, publisher, registry, metrics, dumps, ReadinessCheck.ALWAYS);
  }

  /** {@code /readyz} also waits for {@code readiness} (Kubernetes mode: the watcher's sync). */
  public static AdminServer start(
      InetSocketAddress address,
      SnapshotPublisher publisher,
      ProxyRegistry registry,
      Metrics metrics,
      ConfigDumps dumps,
      ReadinessCheck readiness)
      throws IOException {
    HttpServer http = HttpServer.create(address, 0);
    AdminServer admin = new AdminServer(http, publisher, registry, metrics, dumps, readiness);
    http.createContext("/healthz", admin.handler(admin::healthz));
    http.createContext("/readyz", admin.handler(admin::readyz));
    http.createContext("/metrics", admin.handler(admin::metrics));
    http.createContext("/debug/config_dump", admin.handler(admin::configDump));
    http.createContext("/debug/proxies", admin.handler(admin::proxies));
    http.createContext("/debug/diagnostics", admin.handler(admin::diagnostics));
    http.setExecutor(admin.executor);
    http.start();
    return admin;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** A response: status, content type, body. */
  record Reply(int status, String contentType, String body) {
    static Reply text(int status, String body) {
      return new Reply(status, "text/plain; charset=utf-8", body);
    }

    static Reply json(String body) {
      return new Reply(200, "application/json", body);
    }
  }

  private interface Endpoint {
    Reply handle(HttpExchange exchange) throws IOException;
  }

  private HttpHandler handler(Endpoint endpoint) {
    return exchange -> {
      Reply reply;
      try {
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
          reply = Reply.text(405, "only GET is supported\n");
        } else {
          reply = endpoint.handle(exchange);
        }
      } catch (RuntimeException | IOException e) {
        // The message can carry internals (paths, config text): it goes to the log only, and the
        // client gets an id to find it there.
        String errorId = ErrorIds.next();
        LOG.error("admin request {} failed (error id {})", exchange.getRequestURI().getPath(), errorId, e);
        reply = Reply.text(500, "internal error (error id " + errorId + "); the server log has the details\n");
      }
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    };
  }

  private Reply healthz(HttpExchange exchange) {
    return Reply.text(200, "ok\n");
  }

  private Reply readyz(HttpExchange exchange) {
    Optional<String> waiting = readiness.notReadyBecause();
    if (waiting.isPresent()) {
      return Reply.text(503, waiting.get() + "\n");
    }
    if (!publisher.hasConfig()) {
      return Reply.text(503, "no configuration loaded yet\n");
    }
    return Reply.text(200, "ready\n" + readiness.detail().map(d -> d + "\n").orElse(""));
  }

  private Reply metrics(HttpExchange exchange) {
    return new Reply(200, "text/plain; version=0.0.4; charset=utf-8", metrics.prometheusText());
  }

  private Reply configDump(HttpExchange exchange) {
    Optional<String> node = queryParam(exchange, "node");
    if (node.isEmpty()) {
      return Reply.text(400, "name the proxy: /debug/config_dump?node=NODE_ID (see /debug/proxies for connected nodes)\n");
    }
    Optional<GroupKey> group = registry.groupOf(node.get());
    if (group.isEmpty()) {
      // Quoted cut short: the query is the caller's text, and a 404 need not echo all of it.
      return Reply.text(
          404, "no connected proxy has node id \"" + TruncatedText.of(node.get(), 256) + "\" (see /debug/proxies)\n");
    }
    Optional<XdsSnapshot> snapshot = publisher.snapshot(group.get());
    if (snapshot.isEmpty()) {
      return Reply.text(404, "proxy \"" + node.get() + "\" (group " + group.get() + ") has no published config yet\n");
    }
    return Reply.json(dumps.json(snapshot.get()) + "\n");
  }

  /**
   * The current config's findings, as {@code translate} prints them: from reading it (each resource
   * accepted, rejected or kept at its last good version) and from translating it for every proxy
   * group, where EnvoyFilters refused by the gate and policies narrowed on TCP ports show up.
   * Diagnostics never carry secret material (DESIGN.md section 5), so nothing is redacted.
   */
  private Reply diagnostics(HttpExchange exchange) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode config = body.putArray("config");
    publisher.config().ifPresent(c -> c.diagnostics().forEach(d -> addDiagnostic(config, d)));
    ArrayNode translation = body.putArray("translation");
    publisher.translationDiagnostics().forEach(d -> addDiagnostic(translation, d));
    return Reply.json(JSON.writeValueAsString(body) + "\n");
  }

  private static void addDiagnostic(ArrayNode list, dev.outpost.translator.diag.Diagnostic d) {
    ObjectNode entry = list.addObject();
    entry.put("severity", d.severity().name());
    entry.put("subject", d.subject());
    entry.put("field", d.field());
    entry.put("message", d.message());
  }

  private Reply proxies(HttpExchange exchange) throws IOException {
    ArrayNode list = JSON.createArrayNode();
    for (ProxyStatus proxy : registry.proxies()) {
      ObjectNode entry = list.addObject();
      entry.put("node", proxy.nodeId());
      entry.put("group", proxy.group().toString());
      entry.put("protocol", proxy.delta() ? "delta" : "sotw");
      entry.put("connectedSince", proxy.connectedSince().toString());
      ObjectNode acked = entry.putObject("ackedVersions");
      proxy.ackedVersions().forEach(acked::put);
      if (proxy.lastNack().isPresent()) {
        ProxyStatus.Nack nack = proxy.lastNack().get();
        ObjectNode n = entry.putObject("lastNack");
        n.put("type", nack.type());
        n.put("version", nack.version());
        n.put("error", nack.message());
        n.put("at", nack.at().toString());
      } else {
        entry.putNull("lastNack");
      }
    }
    return Reply.json(JSON.writeValueAsString(list) + "\n");
  }

  private static Optional<String> queryParam(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name) && eq >= 0) {
        return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }
}
