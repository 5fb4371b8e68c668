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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
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
import java.util.function.Predicate;

/**
 * A loopback HTTP server that behaves like the OpenAI Chat Completions and Anthropic Messages
 * APIs, for tests and for running examples without an account.
 *
 * <p>Endpoints: {@code POST /v1/chat/completions} (OpenAI; point an OpenAI client at {@link
 * #openAiBaseUrl()}) and {@code POST /v1/messages} (Anthropic; point a client at {@link
 * #anthropicBaseUrl()}). Anything else gets the provider's 404 error body.
 *
 * <p>Each request is answered by, in order: the first reply queued with a match that accepts it
 * ({@link #enqueue(String, SimulatedReply)} for a task, {@link #enqueue(Predicate,
 * SimulatedReply)} for any test of the request), else the first reply in the {@linkplain
 * #enqueue(SimulatedReply) global queue}, else a {@linkplain #randomFault random fault} if one is
 * drawn, else a schema-valid answer generated from the request's JSON Schema (deterministic for
 * the seed and the request body). The task of a request is the OpenAI {@code
 * response_format.json_schema.name}, or the Anthropic forced tool's name (else the first tool's).
 *
 * <p>A request with {@code "stream": true} is answered with the provider's server-sent events
 * (OpenAI {@code data:} chunks ending with {@code data: [DONE]}; Anthropic {@code message_start}
 * … {@code message_stop}), flushed one by one; see {@link SimulatedReply} for the stream faults
 * and {@link #closedStreams()} for streams the client closed early.
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

  static {
    // The JDK server writes the response headers and the body (or each streamed event) as
    // separate small writes; with Nagle's algorithm on, each one after the first waits for the
    // client's delayed ACK, about 40 ms per response or event on Linux. TCP_NODELAY fixes that.
    // The JDK reads the property once, when its first HttpServer starts; a value set by the user
    // wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }
  /** How long a cut stream stays open after its last event; see {@link #stream}. */
  private static final Duration CUT_GRACE = Duration.ofMillis(50);

  private final HttpServer server;
  private final ExecutorService executor;
  private final long seed;
  private final OpenAiWire openAi = new OpenAiWire();
  private final AnthropicWire anthropic = new AnthropicWire();

  private final Object lock = new Object();
  /** What the providers' prompt caches would report for each request. */
  private final PromptCacheModel promptCache = new PromptCacheModel();
  private final BatchApiSimulation batchApi;
  /** The provider-side rate limits per model, when set. */
  private final SimulatedRateLimits rateLimits = new SimulatedRateLimits();
  private final Deque<SimulatedReply> globalQueue = new ArrayDeque<>();
  /** Replies for the requests that match, in enqueue order; the first match is used up. */
  private final List<MatchedReply> matchedReplies = new ArrayList<>();
  private final List<RandomFault> randomFaults = new ArrayList<>();
  private final List<RecordedRequest> recorded = new ArrayList<>();
  private long requestCount;
  private int closedStreams;
  private volatile boolean closed;

  /** {@code task} is the task name it was queued for, or {@code null} when queued with a predicate. */
  private record MatchedReply(String task, Predicate<RecordedRequest> match, SimulatedReply reply) {}

  private record RandomFault(double probability, Random random, SimulatedReply reply) {}

  private LlmSimulator(int port, long seed) throws IOException {
    this.seed = seed;
    this.batchApi = new BatchApiSimulation(seed);
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
      matchedReplies.add(new MatchedReply(task, request -> task.equals(request.task()), reply));
    }
    return this;
  }

  /**
   * Queues a reply for the next request that {@code match} accepts. Replies queued with a match
   * (or a task) are tried in the order they were queued and win over the global queue; each is
   * used once.
   *
   * <pre>{@code
   * sim.enqueue(r -> "gpt-4o".equals(r.model()) && r.streamed(), SimulatedReply.cutStream(json, 2));
   * sim.enqueue(r -> r.provider().equals("anthropic"), SimulatedReply.overloaded());
   * sim.enqueue(r -> r.body().contains("P-7"), SimulatedReply.refusal("I can't help with that."));
   * }</pre>
   *
   * <p>{@code match} runs on the simulator's request thread while it holds its lock: keep it a
   * quick test of the request.
   */
  public LlmSimulator enqueue(Predicate<RecordedRequest> match, SimulatedReply reply) {
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(reply, "reply");
    synchronized (lock) {
      matchedReplies.add(new MatchedReply(null, match, reply));
    }
    return this;
  }

  /**
   * Queues replies, in order, for the next requests that arrive in {@code provider}'s wire format, so a
   * test of a fallback can script each provider of a runtime on its own:
   *
   * <pre>{@code
   * sim.enqueueFor("openai", SimulatedReply.status(503), SimulatedReply.status(503), SimulatedReply.status(503))
   *    .enqueueFor("anthropic", SimulatedReply.json("{\"decision\":\"eligible\"}"));
   * }</pre>
   *
   * Like replies queued with a {@linkplain #enqueue(Predicate, SimulatedReply) match}, each is used once
   * and they win over the global queue.
   *
   * @param provider {@code "openai"} (requests to {@link #openAiBaseUrl()}) or {@code "anthropic"} (to
   *     {@link #anthropicBaseUrl()})
   * @throws IllegalArgumentException for another provider name
   */
  public LlmSimulator enqueueFor(String provider, SimulatedReply... replies) {
    Objects.requireNonNull(provider, "provider");
    if (!provider.equals("openai") && !provider.equals("anthropic")) {
      throw new IllegalArgumentException(
          "the simulator speaks the \"openai\" and \"anthropic\" wire formats, not \"" + provider + "\"");
    }
    for (SimulatedReply reply : replies) {
      enqueue(request -> provider.equals(request.provider()), reply);
    }
    return this;
  }

  /** The requests received so far in {@code provider}'s wire format ({@code openai} or {@code anthropic}). */
  public List<RecordedRequest> requestsTo(String provider) {
    synchronized (lock) {
      List<RecordedRequest> matching = new ArrayList<>();
      for (RecordedRequest r : recorded) {
        if (r.provider().equals(provider)) {
          matching.add(r);
        }
      }
      return List.copyOf(matching);
    }
  }

  /**
   * Answers each request that no queued reply answers with {@code fault}, with the given
   * probability; the others get the generated answer. The draws come from a {@link Random} seeded
   * with {@code seed}, one per such request in arrival order, so a sequential run faults the same
   * requests every time. Several random faults are tried in the order they were added (one draw
   * each until one hits). Kept until {@link #reset()}.
   *
   * <pre>{@code
   * sim.randomFault(0.2, 7L, SimulatedReply.status(503)); // about one request in five gets a 503
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code probability} is not within 0..1
   */
  public LlmSimulator randomFault(double probability, long seed, SimulatedReply fault) {
    Objects.requireNonNull(fault, "fault");
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be within 0..1, got " + probability);
    }
    synchronized (lock) {
      randomFaults.add(new RandomFault(probability, new Random(seed), fault));
    }
    return this;
  }

  /**
   * Queues the replies and random faults of a script file (UTF-8 JSON), the form {@link
   * LlmSimulatorMain} reads with {@code --script}:
   *
   * <pre>{@code
   * {"replies": [
   *    {"task": "decide_rotation", "status": 429, "headers": {"retry-after-ms": "200"}},
   *    {"task": "decide_rotation", "json": {"decision": "eligible", "rotation_window_days": 30,
   *                                         "source_line_ids": ["P-7"]}},
   *    {"model": "gpt-4o", "streamed": true, "fault": "cut_stream", "json": {"a": 1}, "afterDeltas": 2},
   *    {"fault": "drop_connection"}],
   *  "randomFaults": [{"probability": 0.1, "seed": 7, "reply": {"status": 503}}]}
   * }</pre>
   *
   * <p>Each reply has exactly one of {@code json} (an object, sent compactly, or a string, sent
   * verbatim), {@code generated: true}, {@code refusal}, {@code truncated} (strings), {@code
   * status} (with optional {@code type}, {@code code}, {@code message} for a custom error body),
   * or {@code fault}: {@code rate_limited}, {@code quota_exhausted}, {@code overloaded}, {@code
   * context_too_long}, {@code drop_connection}, {@code invalid_json}, {@code truncated_body}, {@code cut_stream} / {@code
   * stalled_stream} / {@code stream_error} (with {@code json}, {@code afterDeltas}, and {@code
   * stallMs} or {@code errorType}). Optional modifiers: {@code delayMs}, {@code headers}, {@code
   * usage: {"input","output","cached"}}, {@code chunkSize}, {@code chunkDelayMs}. Optional matchers,
   * all of which must hold: {@code task}, {@code model}, {@code provider} ({@code openai} or
   * {@code anthropic}), {@code streamed}, {@code bodyContains}; a reply with none goes to the
   * global queue.
   *
   * @return the number of replies and random faults queued
   * @throws IllegalArgumentException naming the entry and field, when the script is malformed;
   *     nothing is queued then
   * @throws UncheckedIOException when the file cannot be read
   */
  public int loadScript(Path script) {
    Objects.requireNonNull(script, "script");
    String text;
    try {
      text = Files.readString(script, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the simulator script " + script, e);
    }
    return SimulatorScript.apply(text, this);
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

  /** The number of queued replies not yet used (global, per task and by match). */
  public int pendingReplies() {
    synchronized (lock) {
      return globalQueue.size() + matchedReplies.size();
    }
  }

  /**
   * The queued replies no request used, one line each, saying whom they were for: {@code for task
   * "decide_rotaton" (no request used this task name; requested: [decide_rotation])}, {@code for
   * any task}, {@code for a matching request}. Empty when every scripted reply was used.
   */
  public List<String> unusedReplies() {
    synchronized (lock) {
      java.util.Set<String> requested = new java.util.TreeSet<>();
      for (RecordedRequest r : recorded) {
        if (r.task() != null) {
          requested.add(r.task());
        }
      }
      List<String> out = new ArrayList<>();
      for (MatchedReply m : matchedReplies) {
        if (m.task() == null) {
          out.add("for a matching request");
        } else if (!requested.contains(m.task())) {
          out.add("for task \"" + m.task() + "\" (no request used this task name; requested: " + requested + ")");
        } else {
          out.add("for task \"" + m.task() + "\"");
        }
      }
      for (int i = 0; i < globalQueue.size(); i++) {
        out.add("for any task");
      }
      return List.copyOf(out);
    }
  }

  /**
   * How many streamed responses (and {@link SimulatedReply#oversizedBody oversized bodies}) the
   * client closed before the simulator had written them completely, e.g. because the caller
   * cancelled the stream or refused a body over its cap. The simulator notices a closed
   * connection only when it next writes to it, so script the stream with {@link
   * SimulatedReply#withChunkDelay} (or use {@link SimulatedReply#stalledStream}) and wait with
   * {@link #awaitClosedStreams}.
   */
  public int closedStreams() {
    synchronized (lock) {
      return closedStreams;
    }
  }

  /**
   * Waits until at least {@code count} streams were {@linkplain #closedStreams() closed early by
   * the client}, or {@code timeout} passed.
   *
   * @return whether the count was reached
   */
  public boolean awaitClosedStreams(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (closedStreams < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /**
   * How many retrievals of a Batch API batch each status lasts (default 1: every {@code GET} of a
   * batch moves it one step on; OpenAI validating, in_progress, finalizing, then completed or
   * expired; Anthropic in_progress, then ended after twice this many).
   */
  public LlmSimulator batchPollsPerStatus(int polls) {
    batchApi.pollsPerStatus(polls);
    return this;
  }

  /**
   * Seeded fault rates of Batch API items (each a probability; default 0): an item that fails with a
   * provider error (OpenAI: a line with {@code status_code} 500 in the error file; Anthropic: an
   * {@code errored} result), one answered with {@code {}}, which the task's schema rejects, and one that
   * expired (OpenAI: {@code batch_expired} in the error file, and the batch ends {@code expired};
   * Anthropic: an {@code expired} result). Every other item is answered as a synchronous call of its
   * request would be: scripted replies first, else a generated schema-valid answer.
   */
  public LlmSimulator batchFaults(double providerErrors, double invalidAnswers, double expired) {
    batchApi.faults(providerErrors, invalidAnswers, expired);
    return this;
  }

  /** The Batch API batches created since the start or the last {@link #reset()}, both APIs counted. */
  public int batchesCreated() {
    return batchApi.batchCount();
  }

  /**
   * Meters {@code model} as a provider does: at most {@code requests} requests and {@code tokens}
   * tokens per {@code period} (token buckets that start full and refill evenly; a request's tokens
   * are its body's characters / 4 plus its output cap). A request over the limit is answered 429
   * with {@code retry-after}/{@code retry-after-ms}; every answer for the model carries the
   * provider's rate-limit headers ({@code x-ratelimit-*} on the OpenAI endpoint, {@code
   * anthropic-ratelimit-*} on the Anthropic one). A period shorter than a minute scales a per-minute
   * limit down for fast tests: 2 requests per second stand for 120 RPM. Kept until {@link #reset()}.
   *
   * <pre>{@code
   * sim.rateLimit("gpt-4o-mini", 60, 150_000, Duration.ofMinutes(1));
   * }</pre>
   */
  public LlmSimulator rateLimit(String model, long requests, long tokens, Duration period) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(period, "period");
    if (requests < 1 || tokens < 1 || period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("a simulated rate limit needs at least 1 request and 1 token per positive"
          + " period, was " + requests + " requests, " + tokens + " tokens per " + period);
    }
    rateLimits.limit(model, requests, tokens, period);
    return this;
  }

  /** How many requests the {@linkplain #rateLimit rate limits} answered 429 since the last {@link #reset()}. */
  public long rateLimitedRequests() {
    return rateLimits.refused();
  }

  /** Clears the reply queues, the random faults, the recorded requests, the closed streams, the rate limits, the Batch API state and the prompt-cache model. */
  public void reset() {
    rateLimits.reset();
    batchApi.reset();
    synchronized (lock) {
      globalQueue.clear();
      matchedReplies.clear();
      randomFaults.clear();
      recorded.clear();
      closedStreams = 0;
    }
    promptCache.reset();
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

    if (BatchApiSimulation.handles(path)) {
      synchronized (lock) {
        requestCount++;
        recorded.add(new RecordedRequest(method, path, headers, body, json, null,
            path.startsWith("/v1/messages") ? "anthropic" : "openai", receivedAt, receivedNanos));
      }
      send(exchange, batchApi.serve(method, path, exchange.getRequestHeaders().getFirst("content-type"), bodyBytes,
          this::answerBatchItem, baseUrl().toString()));
      return;
    }
    boolean isOpenAi = "POST".equals(method) && OpenAiWire.PATH.equals(path);
    boolean isAnthropic = "POST".equals(method) && AnthropicWire.PATH.equals(path);
    ProviderWire wire = isOpenAi ? openAi : isAnthropic ? anthropic : guessWire(headers);
    String task = json == null ? null : wire.taskOf(json);

    long index;
    SimulatedReply reply = null;
    RecordedRequest request =
        new RecordedRequest(
            method, path, headers, body, json, task, wire.provider(), receivedAt, receivedNanos);
    synchronized (lock) {
      index = requestCount++;
      recorded.add(request);
      if (isOpenAi || isAnthropic) {
        // a request over a simulated rate limit is answered 429 and leaves the scripted replies queued
        reply = rateLimits.admit(wire.provider(), request.model(), json, body.length(), () -> takeReply(request));
      }
    }
    int[] cache = isOpenAi || isAnthropic ? promptCache.account(wire.provider(), json) : new int[2];
    ProviderWire.ReplyContext ctx =
        new ProviderWire.ReplyContext(
            index, json, body.length(), new Random(seed * 31 + index * 0x9E3779B97F4A7C15L), cache[0], cache[1]);

    if (!isOpenAi && !isAnthropic) {
      send(exchange, wire.notFound(ctx, method, path));
      return;
    }
    respond(exchange, wire, ctx, body, reply == null ? SimulatedReply.generated() : reply);
  }

  /**
   * One Batch API item's request, answered as a synchronous call of it would be: a scripted reply
   * first (an error, a fixed answer, a refusal), else a generated schema-valid answer. A body the
   * batch simulation marked invalid is answered with {@code {}}.
   */
  private WireResponse answerBatchItem(String path, String markedBody) {
    boolean invalid = BatchApiSimulation.markedInvalid(markedBody);
    String body = BatchApiSimulation.unmarked(markedBody);
    ProviderWire wire = AnthropicWire.PATH.equals(path) ? anthropic : openAi;
    JsonNode json = parse(body);
    long index;
    SimulatedReply reply;
    synchronized (lock) {
      index = requestCount++;
      RecordedRequest request = new RecordedRequest("POST", path, Map.of(), body, json,
          json == null ? null : wire.taskOf(json), wire.provider(), Instant.now(), System.nanoTime());
      recorded.add(request);
      reply = invalid ? SimulatedReply.json("{}") : takeReply(request);
    }
    ProviderWire.ReplyContext ctx = new ProviderWire.ReplyContext(index, json, body.length(),
        new Random(seed * 31 + index * 0x9E3779B97F4A7C15L), 0, 0);
    if (reply == null) {
      reply = SimulatedReply.generated();
    }
    switch (reply.kind()) {
      case ERROR:
        return wire.error(ctx, reply.errorSpec());
      case GENERATED:
      case JSON:
      case REFUSAL:
      case TRUNCATED:
        Answer answer = answer(wire, ctx, body, reply);
        return wire.success(ctx, answer.outcome(), answer.text(), reply.usage());
      default:
        return wire.error(ctx, new SimulatedReply.ErrorSpec(500, SimulatedReply.ErrorFlavor.CUSTOM, "server_error", null,
            "llmtask-testkit: a " + reply.kind() + " reply cannot answer a Batch API item"));
    }
  }

  /** For an unknown route: Anthropic when the client sent Anthropic headers, else OpenAI. */
  private ProviderWire guessWire(Map<String, String> headers) {
    return headers.containsKey("x-api-key") || headers.containsKey("anthropic-version")
        ? anthropic
        : openAi;
  }

  /** Called with the lock held: a matching reply, else the global queue, else a random fault. */
  private SimulatedReply takeReply(RecordedRequest request) {
    for (Iterator<MatchedReply> it = matchedReplies.iterator(); it.hasNext(); ) {
      MatchedReply candidate = it.next();
      if (candidate.match().test(request)) {
        it.remove();
        return candidate.reply();
      }
    }
    if (!globalQueue.isEmpty()) {
      return globalQueue.pollFirst();
    }
    for (RandomFault fault : randomFaults) {
      if (fault.random().nextDouble() < fault.probability()) {
        return fault.reply();
      }
    }
    return null;
  }

  private void respond(
      HttpExchange exchange,
      ProviderWire wire,
      ProviderWire.ReplyContext ctx,
      String body,
      SimulatedReply reply)
      throws IOException {
    pause(reply.delay());
    switch (reply.kind()) {
      case RAW:
        sendRaw(exchange, ctx, reply);
        return;
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
    boolean streaming = ctx.request() != null && ctx.request().path("stream").asBoolean(false);
    if (reply.kind() == SimulatedReply.Kind.TOOL_CALLS) {
      send(exchange, streaming
          ? wire.badRequest(ctx, "llmtask-testkit: scripted tool calls are answered only to requests without \"stream\": true.")
          : wire.toolCalls(ctx, reply.toolCalls(), reply.usage()).withHeaders(reply.headers()));
      return;
    }
    if (streaming) {
      stream(exchange, wire, ctx, body, reply);
      return;
    }
    if (reply.streamFault() != null) {
      send(
          exchange,
          wire.badRequest(
              ctx,
              "llmtask-testkit: the scripted reply is a stream fault ("
                  + reply.kind()
                  + "), but the request did not set \"stream\": true."));
      return;
    }
    boolean generated =
        reply.kind() == SimulatedReply.Kind.GENERATED
            || reply.kind() == SimulatedReply.Kind.TRUNCATED_BODY;
    if (generated && ctx.request() == null) {
      send(
          exchange,
          wire.badRequest(
              ctx,
              "We could not parse the JSON body of your request. (HINT: This likely means you"
                  + " aren't using your HTTP library correctly.)"));
      return;
    }
    Answer answer = answer(wire, ctx, body, reply);
    WireResponse response =
        wire.success(ctx, answer.outcome(), answer.text(), reply.usage())
            .withHeaders(reply.headers());
    if (reply.kind() == SimulatedReply.Kind.TRUNCATED_BODY) {
      sendTruncated(exchange, response);
    } else {
      send(exchange, response);
    }
  }

  /** What a 200 answer says, the same for a JSON body and for a stream. */
  private record Answer(ProviderWire.Outcome outcome, String text) {}

  private Answer answer(
      ProviderWire wire, ProviderWire.ReplyContext ctx, String body, SimulatedReply reply) {
    switch (reply.kind()) {
      case REFUSAL:
        return new Answer(ProviderWire.Outcome.REFUSAL, reply.text());
      case TRUNCATED:
        return new Answer(ProviderWire.Outcome.TRUNCATED, reply.text());
      case GENERATED:
      case TRUNCATED_BODY:
        JsonNode schema = wire.schemaOf(ctx.request());
        if (schema == null) {
          return new Answer(
              ProviderWire.Outcome.ANSWER, "This is a simulated answer from llmtask-testkit.");
        }
        Random answerRandom = new Random(seed ^ ((long) body.hashCode() << 16) ^ body.length());
        String generated = new SchemaAnswerGenerator(schema, answerRandom).generate().toString();
        return new Answer(ProviderWire.Outcome.ANSWER, generated);
      default: // JSON and the stream faults carry the answer text
        return new Answer(ProviderWire.Outcome.ANSWER, wrapPlainText(wire.schemaOf(ctx.request()), reply.text()));
    }
  }

  /**
   * A text task ({@code String}, {@code LlmStream<String>}) asks for {@code {"value": "…"}}: plain
   * text (or a JSON string literal) scripted for it is wrapped so, as a model would answer. Anything
   * else is sent verbatim.
   */
  static String wrapPlainText(JsonNode schema, String text) {
    if (schema == null || text == null || text.stripLeading().startsWith("{")
        || schema.path("properties").size() != 1) {
      return text;
    }
    java.util.Map.Entry<String, JsonNode> only = schema.path("properties").fields().next();
    if (!"string".equals(only.getValue().path("type").asText())) {
      return text;
    }
    return WireResponse.MAPPER.createObjectNode().put(only.getKey(), jsonStringOrText(text)).toString();
  }

  /** A JSON string literal ({@code "\"Hi!\""}) scripted for a text task means its content, not its quotes. */
  private static String jsonStringOrText(String text) {
    String t = text.strip();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      try {
        JsonNode node = WireResponse.MAPPER.readTree(t);
        if (node.isTextual()) {
          return node.textValue();
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException notAJsonString) {
        // plain text that happens to be quoted: sent as written
      }
    }
    return text;
  }

  /**
   * Writes the answer as server-sent events with chunked transfer encoding, flushing each event,
   * and breaks the stream off where a stream fault (or {@code truncatedBody}: after half the
   * deltas) says.
   */
  private void stream(
      HttpExchange exchange,
      ProviderWire wire,
      ProviderWire.ReplyContext ctx,
      String body,
      SimulatedReply reply)
      throws IOException {
    Answer answer = answer(wire, ctx, body, reply);
    ProviderWire.EventStream events =
        wire.stream(ctx, answer.outcome(), answer.text(), reply.usage(), reply.chunkSize());
    SimulatedReply.StreamFault fault = reply.streamFault();
    SimulatedReply.Kind kind = reply.kind();
    int allDeltas = events.deltas().size();
    int deltas =
        fault != null
            ? Math.min(fault.afterDeltas(), allDeltas)
            : kind == SimulatedReply.Kind.TRUNCATED_BODY ? allDeltas / 2 : allDeltas;

    Headers headers = exchange.getResponseHeaders();
    headers.set("content-type", "text/event-stream; charset=utf-8");
    headers.set("cache-control", "no-cache");
    events.headers().forEach(headers::set);
    reply.headers().forEach(headers::set);
    exchange.sendResponseHeaders(200, 0); // 0: chunked, each flushed event goes out at once
    EventWriter out = new EventWriter(exchange.getResponseBody(), reply.chunkDelay());
    try {
      out.writeAll(events.opening());
      out.writeAll(events.deltas().subList(0, deltas));
      if (kind == SimulatedReply.Kind.STALLED_STREAM) {
        pause(fault.stall());
        out.probe();
      }
      if (kind == SimulatedReply.Kind.STREAM_ERROR) {
        out.write(wire.streamError(ctx, fault.errorType()));
      } else if (fault != null || kind == SimulatedReply.Kind.TRUNCATED_BODY) {
        // The JDK client drops data it has received but not yet handed over once it sees the
        // connection fail, so give a promptly reading client time to take every event sent.
        pause(CUT_GRACE);
        // Throwing without closing the body: the JDK server drops the connection before the
        // terminating chunk, so the client sees the stream end midway.
        throw new IOException("simulated cut stream");
      } else if (kind == SimulatedReply.Kind.STREAM_WITHOUT_END) {
        out.writeAll(events.closing().subList(0, events.closing().size() - 1));
      } else {
        out.writeAll(events.closing());
      }
    } catch (ClientClosedStream clientWentAway) {
      synchronized (lock) {
        closedStreams++;
        lock.notifyAll();
      }
      throw clientWentAway;
    }
    exchange.getResponseBody().close();
  }

  /** A write to a stream failed: the client closed the connection before the stream ended. */
  private static final class ClientClosedStream extends IOException {
    private static final long serialVersionUID = 1L;

    ClientClosedStream(IOException cause) {
      super("the client closed the stream", cause);
    }
  }

  /** Writes SSE events one by one, pausing between them, and tells a client close apart. */
  private static final class EventWriter {
    private final OutputStream out;
    private final Duration pauseBetween;
    private boolean started;

    EventWriter(OutputStream out, Duration pauseBetween) {
      this.out = out;
      this.pauseBetween = pauseBetween;
    }

    void writeAll(List<String> events) throws IOException {
      for (String event : events) {
        write(event);
      }
    }

    void write(String event) throws IOException {
      if (started) {
        pause(pauseBetween);
      }
      started = true;
      send(event);
    }

    /**
     * Learns whether the client is still there: the first write after the peer closed usually
     * succeeds (the peer answers it with a reset), the second one fails.
     */
    void probe() throws IOException {
      send(": stalled\n\n");
      pause(Duration.ofMillis(20));
      send(": stalled\n\n");
    }

    private void send(String text) throws IOException {
      try {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException clientGone) {
        throw new ClientClosedStream(clientGone);
      }
    }
  }

  /** Sleeps on the request thread; {@link #close()} interrupts it, which drops the connection. */
  private static void pause(Duration duration) throws IOException {
    if (duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("simulator closed while a reply was waiting", e);
    }
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

  /** A {@link SimulatedReply#raw} or {@link SimulatedReply#oversizedBody} reply. */
  private void sendRaw(HttpExchange exchange, ProviderWire.ReplyContext ctx, SimulatedReply reply) throws IOException {
    SimulatedReply.RawBody raw = reply.raw();
    Headers headers = exchange.getResponseHeaders();
    reply.headers().forEach(headers::set);
    if (raw.bytes() != null) {
      headers.set("content-type", raw.contentType());
      exchange.sendResponseHeaders(raw.status(), raw.bytes().length == 0 ? -1 : raw.bytes().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(raw.bytes());
      }
      return;
    }
    boolean streaming = ctx.request() != null && ctx.request().path("stream").asBoolean(false);
    headers.set("content-type", streaming ? "text/event-stream; charset=utf-8" : "application/json");
    exchange.sendResponseHeaders(raw.status(), raw.announced() ? raw.fillerBytes() : 0);
    OutputStream out = exchange.getResponseBody();
    byte[] head = (streaming ? "data: " : "{\"filler\":\"").getBytes(StandardCharsets.UTF_8);
    byte[] filler = new byte[64 * 1024];
    java.util.Arrays.fill(filler, (byte) 'x');
    try {
      out.write(head);
      long left = raw.fillerBytes() - head.length;
      while (left > 0) {
        int n = (int) Math.min(filler.length, left);
        out.write(filler, 0, n);
        left -= n;
      }
      out.close();
    } catch (IOException clientGone) {
      synchronized (lock) {
        closedStreams++;
        lock.notifyAll();
      }
      throw new ClientClosedStream(clientGone);
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
