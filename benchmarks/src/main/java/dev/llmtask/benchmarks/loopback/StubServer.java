package dev.llmtask.benchmarks.loopback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmtask.benchmarks.rotation.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal OpenAI-shaped server on 127.0.0.1: every {@code POST …/chat/completions} is read to the end
 * and answered with {@link Scenario#COMPLETION_BODY}. Anything else gets 404.
 */
public final class StubServer implements AutoCloseable {
  static {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed
    // ACK and every exchange waits ~40 ms (Nagle), which would hide every difference measured here.
    // Every contender keeps its own pool of up to 64 keep-alive connections, and the JDK server closes
    // connections beyond 200 idle ones or idle for 30 s; a client then reuses a closed connection and
    // the POST fails. Keep them all open for the run. Read once, when the JDK's server configuration
    // class loads, so set before the first server.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
    System.setProperty("sun.net.httpserver.idleInterval", "3600");
  }

  private final HttpServer server;
  private final ExecutorService workers;
  private final AtomicLong served = new AtomicLong();

  private StubServer(int threads) throws IOException {
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "stub-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    server.createContext("/", this::handle);
    server.setExecutor(workers);
    server.start();
  }

  /** Starts a stub with a fixed pool of {@code threads} handler threads. */
  public static StubServer start(int threads) throws IOException {
    return new StubServer(threads);
  }

  /** The base URL a client is configured with, e.g. {@code http://127.0.0.1:41234/v1}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  /** Completions answered so far. */
  public long served() {
    return served.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
      boolean completion = "POST".equals(exchange.getRequestMethod())
          && exchange.getRequestURI().getPath().endsWith("/chat/completions");
      if (!completion) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("x-request-id", "req_bench");
      exchange.sendResponseHeaders(200, Scenario.COMPLETION_BODY.length);
      exchange.getResponseBody().write(Scenario.COMPLETION_BODY);
      served.incrementAndGet();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
