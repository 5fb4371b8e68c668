package dev.llmtask.httpclient5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.LlmTasks;
import dev.llmtask.RateCard;
import dev.llmtask.httpclient5.QuoteDesk.Quote;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Async calls on the Apache HttpClient 5 transport against the loopback simulator: the same
 * outcomes as on the JDK client for every fault (each case runs on both), and no thread per call.
 */
class ApacheAsyncTransportTest {
  private static final String KEY = "sk-transport-secret-3b9e";
  private static final String VALID = "{\"plan\":\"team\",\"cents\":1200}";
  private static LlmSimulator sim;
  private static ApacheAsyncTransport transport;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    sim = LlmSimulator.start();
    transport = ApacheAsyncTransport.builder().ioThreads(2).connectTimeout(Duration.ofSeconds(2)).build();
  }

  @AfterAll
  static void stop() {
    transport.close();
    sim.close();
  }

  @BeforeEach
  void fresh() {
    sim.reset();
    records.clear();
  }

  private QuoteDesk desk(boolean apache, URI baseUrl) {
    OpenAiProvider.Builder provider = OpenAiProvider.builder().baseUrl(baseUrl).apiKey(KEY);
    if (apache) {
      provider.asyncTransport(transport);
    }
    return LlmTasks.create(QuoteDesk.class, LlmRuntime.builder()
        .provider(provider.build())
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .rateCard(RateCard.none())
        .telemetry(records::add)
        .build());
  }

  private QuoteDesk desk(boolean apache) {
    return desk(apache, sim.openAiBaseUrl());
  }

  private static LlmTaskException failure(CompletableFuture<?> call) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(LlmTaskException.class);
      return (LlmTaskException) e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  @ParameterizedTest(name = "httpclient5: {0}")
  @ValueSource(booleans = {true, false})
  void anAnswerIsDecodedWithItsUsageAndRequestId(boolean apache) throws Exception {
    sim.enqueue(SimulatedReply.json(VALID));
    Quote quote = desk(apache).quote("ACME", "t-ok").get(10, TimeUnit.SECONDS);

    assertThat(quote).isEqualTo(new Quote("team", 1200));
    CallRecord record = records.get(0);
    assertThat(record.status()).isEqualTo(CallStatus.OK);
    assertThat(record.attempts()).isEqualTo(1);
    assertThat(record.inputTokens()).isPositive();
    assertThat(record.requestId()).isNotBlank();
    dev.llmtask.testkit.RecordedRequest sent = sim.requests().get(0);
    assertThat(sent.hasHeader("authorization")).isTrue();
    assertThat(sent.header("content-type")).isEqualTo("application/json");
    assertThat(sent.model()).isEqualTo("gpt-4o-mini");
    assertThat(sent.body()).contains("ACME");
  }

  @ParameterizedTest(name = "httpclient5: {0}")
  @ValueSource(booleans = {true, false})
  void aRetryableStatusIsRetriedAndTheRetryAnswers(boolean apache) throws Exception {
    sim.enqueue(SimulatedReply.status(503)).enqueue(SimulatedReply.rateLimited()).enqueue(SimulatedReply.json(VALID));
    assertThat(desk(apache).quote("ACME", "t-retry").get(10, TimeUnit.SECONDS)).isEqualTo(new Quote("team", 1200));
    assertThat(records.get(0).attempts()).isEqualTo(3);
    assertThat(records.get(0).attemptDetails()).extracting(CallRecord.Attempt::outcome)
        .containsExactly(CallStatus.PROVIDER_ERROR, CallStatus.RATE_LIMITED, CallStatus.OK);
  }

  @ParameterizedTest(name = "httpclient5: {0}")
  @ValueSource(booleans = {true, false})
  void aDroppedConnectionIsRetried(boolean apache) throws Exception {
    sim.enqueue(SimulatedReply.dropConnection()).enqueue(SimulatedReply.json(VALID));
    assertThat(desk(apache).quote("ACME", "t-drop").get(10, TimeUnit.SECONDS)).isEqualTo(new Quote("team", 1200));
    assertThat(records.get(0).attemptDetails()).extracting(CallRecord.Attempt::outcome)
        .containsExactly(CallStatus.PROVIDER_ERROR, CallStatus.OK);
  }

  @ParameterizedTest(name = "httpclient5: {0}")
  @ValueSource(booleans = {true, false})
  void anAuthErrorEndsTheCallWithoutRetry(boolean apache) throws Exception {
    sim.enqueue(SimulatedReply.status(401));
    LlmTaskException e = failure(desk(apache).quote("ACME", "t-auth"));
    assertThat(e.status()).isEqualTo(CallStatus.AUTH_ERROR);
    assertThat(e.record().attempts()).isEqualTo(1);
  }

  @ParameterizedTest(name = "httpclient5: {0}")
  @ValueSource(booleans = {true, false})
  void aSlowAnswerEndsTheCallTimeoutWithinItsDeadline(boolean apache) throws Exception {
    for (int i = 0; i < 3; i++) {
      sim.enqueue(SimulatedReply.json(VALID).withDelay(Duration.ofSeconds(6)));
    }
    long t0 = System.nanoTime();
    LlmTaskException e = failure(desk(apache).quote("ACME", "t-slow"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(e.status()).isEqualTo(CallStatus.TIMEOUT);
    assertThat(ms).as("the task's 2 s deadline, not the 6 s answer").isLessThan(5_000);
  }

  @ParameterizedTest(name = "httpclient5: {0}, announced: {1}")
  @org.junit.jupiter.params.provider.CsvSource({"true,true", "true,false", "false,true", "false,false"})
  void aBodyOverTheCapEndsTheAttemptNotRetried(boolean apache, boolean announced) throws Exception {
    sim.enqueue(SimulatedReply.oversizedBody(64L * 1024 * 1024, announced));
    LlmTaskException e = failure(desk(apache).quote("ACME", "t-big"));
    assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    assertThat(e.record().attempts()).isEqualTo(1);
    assertThat(e.record().failureReason()).contains("response-size cap");
  }

  @ParameterizedTest(name = "httpclient5: {0}")
  @ValueSource(booleans = {true, false})
  void noServerIsAConnectionFailureRetriedThenReported(boolean apache) throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    LlmTaskException e = failure(desk(apache, URI.create("http://127.0.0.1:" + closedPort + "/v1")).quote("ACME", "t-refused"));
    assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    assertThat(e.record().attempts()).isEqualTo(3);
    assertThat(e.record().failureReason()).contains("connect");
  }

  @Test
  void cancellingTheCallCancelsTheExchange() throws Exception {
    sim.enqueue(SimulatedReply.json(VALID).withDelay(Duration.ofSeconds(5)));
    CompletableFuture<Quote> call = desk(true).quote("ACME", "t-cancel");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (sim.requests().isEmpty() && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    call.cancel(true);
    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (records.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(records).extracting(CallRecord::status).containsExactly(CallStatus.CANCELLED);
  }

  @Test
  void manyCallsInFlightStartNoThreadPerCall() throws Exception {
    QuoteDesk desk = desk(true);
    sim.enqueue(SimulatedReply.json(VALID));
    desk.quote("ACME", "t-warm").get(10, TimeUnit.SECONDS); // the I/O threads and the runtime's ticker are up
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    int calls = 200;
    for (int i = 0; i < calls; i++) {
      sim.enqueue(SimulatedReply.json(VALID).withDelay(Duration.ofMillis(100)));
    }
    List<String> completedOn = new CopyOnWriteArrayList<>();
    long startedBefore = threads.getTotalStartedThreadCount();
    int simulatorBefore = simulatorThreads();
    List<CompletableFuture<Quote>> inFlight = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      CompletableFuture<Quote> call = desk.quote("ACME", "t" + i);
      inFlight.add(call);
    }
    for (CompletableFuture<Quote> call : inFlight) {
      call.whenComplete((q, f) -> completedOn.add(Thread.currentThread().getName()));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    long started = threads.getTotalStartedThreadCount() - startedBefore;
    long simulatorStarted = Math.max(0, simulatorThreads() - simulatorBefore);

    System.out.printf("httpclient5 transport: %d threads started in the JVM for %d async calls, %d of them the simulator's%n",
        started, calls, simulatorStarted);
    assertThat(records.stream().filter(CallRecord::ok).count()).isEqualTo(calls + 1);
    // the simulator (the server, not the client under test) may start threads of its own
    assertThat(started - simulatorStarted).as("client threads started for %d calls", calls).isLessThanOrEqualTo(4);
    assertThat(completedOn.stream().filter(name -> !name.equals(Thread.currentThread().getName())))
        .as("the calls that completed after they were awaited completed on the transport's I/O threads")
        .allSatisfy(name -> assertThat(name).startsWith("httpclient-dispatch"));
  }

  private static int simulatorThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("llmtask-simulator")).count();
  }

  @Test
  void headersRepeatedInAnotherCaseReachTheReaderAsOneName() throws Exception {
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (java.net.Socket s = server.accept()) {
          java.io.InputStream in = s.getInputStream();
          byte[] buf = new byte[8192];
          String seen = "";
          while (!seen.contains("{}")) { // the request's body ends the request
            int n = in.read(buf);
            if (n < 0) {
              break;
            }
            seen += new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
          }
          s.getOutputStream().write(("HTTP/1.1 200 OK\r\nX-Trace: a\r\nx-trace: b\r\nContent-Length: 2\r\n"
              + "Connection: close\r\n\r\nok").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions"))
          .timeout(Duration.ofSeconds(5)).header("content-type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
      String read = transport.send(request, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1024,
          (status, headers, body) -> status + " " + headers.allValues("X-TRACE") + " " + new String(body,
              java.nio.charset.StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
      served.get(10, TimeUnit.SECONDS);
      assertThat(read).isEqualTo("200 [a, b] ok");
    }
  }

  @Test
  void settingsOutOfRangeAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> ApacheAsyncTransport.builder().ioThreads(0)).hasMessageContaining("ioThreads");
    assertThatThrownBy(() -> ApacheAsyncTransport.builder().maxConnections(0)).hasMessageContaining("maxConnections");
    assertThatThrownBy(() -> ApacheAsyncTransport.builder().connectTimeout(Duration.ZERO)).hasMessageContaining("connectTimeout");
  }
}
