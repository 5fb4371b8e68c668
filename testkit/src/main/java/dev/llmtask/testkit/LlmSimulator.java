package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that behaves like the OpenAI Chat Completions and Anthropic Messages
 * APIs, for tests and for running examples without an account.
 *
 * <p>Endpoints: {@code POST /v1/chat/completions} (OpenAI; point an OpenAI client at {@link
 * #openAiBaseUrl()}) and {@code POST /v1/messages} (Anthropic; point a client at {@link
 * #anthropicBaseUrl()}). Anything else gets the provider's 404 error body.
 *
 * <p>Each request is answered by, in order: the first reply {@linkplain #enqueue(String,
 * SimulatedReply) queued for its task}, else the first reply in the {@linkplain
 * #enqueue(SimulatedReply) global queue}, else a schema-valid answer generated from the request's
 * JSON Schema (deterministic for the seed and the request body). The task of a request is the
 * OpenAI {@code response_format.json_schema.name}, or the Anthropic forced tool's name (else the
 * first tool's).
 *
 * <pre>{@code
 * try (LlmSimulator sim = LlmSimulator.start()) {
 *   sim.enqueue("decide_rotation", SimulatedReply.status(503))
 *      .enqueue("decide_rotation", SimulatedReply.json("{\"decision\":\"eligible\"}"));
 *   // ... call sim.openAiBaseUrl() ...
 *   assertThat(sim.requests("decide_rotation")).hasSize(2);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Every request is served on its own pooled daemon thread, so a delayed reply never
 * holds up another request. API keys are never stored: see {@link RecordedRequest}.
 */
public final class LlmSimulator implements AutoCloseable {

  /** The seed used by {@link #start()}. */
  public static final long DEFAULT_SEED = 42L;

  private static final Set<String> SECRET_HEADERS =
      Set.of("authorization", "proxy-authorization", "x-api-key", "api-key");
  private static final AtomicInteger SERVER_COUNT = new AtomicInteger();

  private final HttpServer server;
  private final ExecutorService executor;
  private final long seed;
  private final OpenAiWire openAi = new OpenAiWire();
  private final AnthropicWire anthropic = new AnthropicWire();

  private final Object lock = new Object();
  private final Deque<SimulatedReply> globalQueue = new ArrayDeque<>();
  private final Map<String, Deque<SimulatedReply>> taskQueues = new HashMap<>();
  private final List<RecordedRequest> recorded = new ArrayList<>();
  private long requestCount;
  private volatile boolean closed;

  private LlmSimulator(int port, long seed) throws IOException {
    this.seed = seed;
    int serverNumber = SERVER_COUNT.incrementAndGet();
    this.executor = Executors.newCachedThreadPool(daemonThreads("llmtask-simulator-" + serverNumber));
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a simulator on 127.0.0.1 on an ephemeral port with seed {@value #DEFAULT_SEED}. */
  public static LlmSimulator start() {
    return start(DEFAULT_SEED);
  }

  /** Starts a simulator on 127.0.0.1 on an ephemeral port with the given seed. */
  public static LlmSimulator start(long seed) {
    return start(0, seed);
  }

  /**
   * Starts a simulator on 127.0.0.1 on the given port (0 = ephemeral).
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static LlmSimulator start(int port, long seed) {
    try {
      return new LlmSimulator(port, seed);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the LLM simulator on port " + port, e);
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** {@code http://127.0.0.1:PORT/v1} — OpenAI clients append {@code /chat/completions}. */
  public URI openAiBaseUrl() {
    return URI.create(baseUrl() + "/v1");
  }

  /** {@code http://127.0.0.1:PORT} — Anthropic clients append {@code /v1/messages}. */
  public URI anthropicBaseUrl() {
    return baseUrl();
  }

  /** The port the simulator listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The seed of the default answers and generated identifiers. */
  public long seed() {
    return seed;
  }

  /** Queues a reply for the next request of any task (used after task-specific replies). */
  public LlmSimulator enqueue(SimulatedReply reply) {
    Objects.requireNonNull(reply, "reply");
    synchronized (lock) {
      globalQueue.addLast(reply);
    }
    return this;
  }

  /** Queues a reply for the next request of {@code task}; these win over the global queue. */
  public LlmSimulator enqueue(String task, SimulatedReply reply) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(reply, "reply");
    synchronized (lock) {
      taskQueues.computeIfAbsent(task, t -> new ArrayDeque<>()).addLast(reply);
    }
    return this;
  }

  /** All requests received so far, in arrival order (a snapshot). */
  public List<RecordedRequest> requests() {
    synchronized (lock) {
      return List.copyOf(recorded);
    }
  }

  /**
   * The requests received so far for {@code task}, in arrival order (a snapshot); {@code null}
   * selects the requests that named no task.
   */
  public List<RecordedRequest> requests(String task) {
    synchronized (lock) {
      List<RecordedRequest> matching = new ArrayList<>();
      for (RecordedRequest r : recorded) {
        if (Objects.equals(task, r.task())) {
          matching.add(r);
        }
      }
      return List.copyOf(matching);
    }
  }

  /** The number of scripted replies not yet used (global and per task). */
  public int pendingReplies() {
    synchronized (lock) {
      int n = globalQueue.size();
      for (Deque<SimulatedReply> q : taskQueues.values()) {
        n += q.size();
      }
      return n;
    }
  }

  /** Clears the reply queues and the recorded requests. */
  public void reset() {
    synchronized (lock) {
      globalQueue.clear();
      taskQueues.clear();
      recorded.clear();
    }
  }

  /**
   * Stops the server at once: open connections are closed, delayed replies are interrupted and the
   * worker threads are shut down. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "LlmSimulator[" + baseUrl() + ", seed=" + seed + "]";
  }

  // ---- request handling ---------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    // An exception thrown from serve() makes the JDK server close the connection without sending
    // (the rest of) a response; the simulated transport faults rely on that.
    try {
      serve(exchange);
    } catch (RuntimeException bug) {
      // not a scripted fault: make it visible in the test output, then drop the connection
      System.err.println("llmtask simulator: failed to answer " + exchange.getRequestURI());
      bug.printStackTrace();
      throw bug;
    }
    exchange.close();
  }

  private void serve(HttpExchange exchange) throws IOException {
    long receivedNanos = System.nanoTime();
    Instant receivedAt = Instant.now();
    byte[] bodyBytes = exchange.getRequestBody().readAllBytes();
    String body = new String(bodyBytes, StandardCharsets.UTF_8);
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Map<String, String> headers = redactedHeaders(exchange.getRequestHeaders());
    JsonNode json = parse(body);

    boolean isOpenAi = "POST".equals(method) && OpenAiWire.PATH.equals(path);
    boolean isAnthropic = "POST".equals(method) && AnthropicWire.PATH.equals(path);
    ProviderWire wire = isOpenAi ? openAi : isAnthropic ? anthropic : guessWire(headers);
    String task = json == null ? null : wire.taskOf(json);

    long index;
    SimulatedReply reply = null;
    synchronized (lock) {
      index = requestCount++;
      recorded.add(
          new RecordedRequest(
              method, path, headers, body, json, task, wire.provider(), receivedAt,
              receivedNanos));
      if (isOpenAi || isAnthropic) {
        reply = takeReply(task);
      }
    }
    ProviderWire.ReplyContext ctx =
        new ProviderWire.ReplyContext(
            index, json, body.length(), new Random(seed * 31 + index * 0x9E3779B97F4A7C15L));

    if (!isOpenAi && !isAnthropic) {
      send(exchange, wire.notFound(ctx, method, path));
      return;
    }
    respond(exchange, wire, ctx, body, reply == null ? SimulatedReply.generated() : reply);
  }

  /** For an unknown route: Anthropic when the client sent Anthropic headers, else OpenAI. */
  private ProviderWire guessWire(Map<String, String> headers) {
    return headers.containsKey("x-api-key") || headers.containsKey("anthropic-version")
        ? anthropic
        : openAi;
  }

  private SimulatedReply takeReply(String task) {
    Deque<SimulatedReply> forTask = task == null ? null : taskQueues.get(task);
    if (forTask != null && !forTask.isEmpty()) {
      return forTask.pollFirst();
    }
    return globalQueue.pollFirst();
  }

  private void respond(
      HttpExchange exchange,
      ProviderWire wire,
      ProviderWire.ReplyContext ctx,
      String body,
      SimulatedReply reply)
      throws IOException {
    if (!reply.delay().isZero()) {
      try {
        Thread.sleep(reply.delay().toMillis(), reply.delay().toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("simulator closed during a delayed reply", e);
      }
    }
    switch (reply.kind()) {
      case DROP_CONNECTION:
        // Throwing before sendResponseHeaders makes the JDK HttpServer close the socket without
        // writing a byte: the client sees the connection end instead of a response.
        throw new IOException("simulated dropped connection");
      case ERROR:
        send(exchange, wire.error(ctx, reply.errorSpec()).withHeaders(reply.headers()));
        return;
      case INVALID_JSON:
        send(
            exchange,
            WireResponse.text(
                    200,
                    "text/html; charset=utf-8",
                    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center>"
                        + "<h1>502 Bad Gateway</h1></center>\r\n<hr><center>ngi")
                .withHeaders(reply.headers()));
        return;
      default:
        break;
    }
    if (isStreaming(ctx.request())) {
      // Extension point: render the outcome below as SSE events (see ProviderWire).
      send(
          exchange,
          wire.badRequest(ctx, "llmtask-testkit does not simulate streaming (\"stream\": true) yet.")
              .withHeaders(reply.headers()));
      return;
    }
    WireResponse response;
    switch (reply.kind()) {
      case JSON:
        response = wire.success(ctx, ProviderWire.Outcome.ANSWER, reply.text(), reply.usage());
        break;
      case REFUSAL:
        response = wire.success(ctx, ProviderWire.Outcome.REFUSAL, reply.text(), reply.usage());
        break;
      case TRUNCATED:
        response = wire.success(ctx, ProviderWire.Outcome.TRUNCATED, reply.text(), reply.usage());
        break;
      case GENERATED:
      case TRUNCATED_BODY:
        response = generatedAnswer(wire, ctx, body, reply.usage());
        break;
      default:
        throw new IllegalStateException("unhandled reply " + reply);
    }
    response = response.withHeaders(reply.headers());
    if (reply.kind() == SimulatedReply.Kind.TRUNCATED_BODY && response.status() == 200) {
      sendTruncated(exchange, response);
    } else {
      send(exchange, response);
    }
  }

  private WireResponse generatedAnswer(
      ProviderWire wire, ProviderWire.ReplyContext ctx, String body, SimulatedReply.Usage usage) {
    if (ctx.request() == null) {
      return wire.badRequest(
          ctx,
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't"
              + " using your HTTP library correctly.)");
    }
    JsonNode schema = wire.schemaOf(ctx.request());
    String text;
    if (schema == null) {
      text = "This is a simulated answer from llmtask-testkit.";
    } else {
      Random answerRandom = new Random(seed ^ ((long) body.hashCode() << 16) ^ body.length());
      text = new SchemaAnswerGenerator(schema, answerRandom).generate().toString();
    }
    return wire.success(ctx, ProviderWire.Outcome.ANSWER, text, usage);
  }

  private static boolean isStreaming(JsonNode request) {
    return request != null && request.path("stream").asBoolean(false);
  }

  private static void send(HttpExchange exchange, WireResponse response) throws IOException {
    Headers headers = exchange.getResponseHeaders();
    response.headers().forEach(headers::set);
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void sendTruncated(HttpExchange exchange, WireResponse response)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    response.headers().forEach(headers::set);
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length);
    OutputStream out = exchange.getResponseBody();
    out.write(body, 0, body.length / 2);
    out.flush();
    // Throwing makes the JDK HttpServer close the connection with the body incomplete.
    throw new IOException("simulated truncated body");
  }

  private static Map<String, String> redactedHeaders(Headers raw) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          out.put(lower, SECRET_HEADERS.contains(lower) ? RecordedRequest.REDACTED
              : String.join(", ", values));
        });
    return out;
  }

  private static JsonNode parse(String body) {
    if (body.isBlank()) {
      return null;
    }
    try {
      return WireResponse.MAPPER.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
