package dev.llmtask.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The checks and defaults every HTTP provider builder shares. Messages say what is wrong with a
 * setting, never its value when it could be a secret.
 */
public final class ProviderSettings {
  /** Default TCP connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Default cap on a response body: 16 MiB, far above any real answer. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
  /** Default cap on one line of an event stream: 1 Mi chars. */
  public static final int DEFAULT_MAX_EVENT_LINE_CHARS = 1024 * 1024;
  /** The smallest cap accepted for either: below it, real error bodies and events would not fit. */
  public static final int MIN_CAP = 1024;

  private ProviderSettings() {}

  /** {@code value}, checked non-blank: an {@link IllegalArgumentException} names {@code what}. */
  public static String notBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }

  /** The response-size cap: at least {@value #MIN_CAP} bytes. */
  public static int maxResponseBytes(int bytes) {
    if (bytes < MIN_CAP) {
      throw new IllegalArgumentException("maxResponseBytes must be at least " + MIN_CAP + " bytes, was " + bytes);
    }
    return bytes;
  }

  /** The event-line cap: at least {@value #MIN_CAP} chars. */
  public static int maxEventLineChars(int chars) {
    if (chars < MIN_CAP) {
      throw new IllegalArgumentException("maxEventLineChars must be at least " + MIN_CAP + " chars, was " + chars);
    }
    return chars;
  }

  /** A base URL must be absolute http(s). */
  public static URI baseUrl(URI baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    String scheme = baseUrl.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("baseUrl must be an http or https URL, was " + baseUrl);
    }
    return baseUrl;
  }

  /** An API key must be non-blank printable ASCII; the message never echoes it. */
  public static String apiKey(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    if (apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException("apiKey contains whitespace or non-ASCII characters; check how it was loaded");
    }
    return apiKey;
  }

  /** The first non-blank of the named environment variables, stripped, or {@code null}. */
  public static String apiKeyFromEnvironment(Map<String, String> env, String... names) {
    for (String name : names) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return apiKey(v.strip());
      }
    }
    return null;
  }

  public static Duration connectTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "connectTimeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("connectTimeout must be positive, was " + timeout);
    }
    return timeout;
  }

  /** {@code base} + {@code path}, with exactly one slash between them. */
  public static URI endpoint(URI base, String path) {
    String b = base.toString();
    return URI.create(b.endsWith("/") ? b + path : b + "/" + path);
  }

  /**
   * The default client: HTTP/1.1 (what every compatible server speaks), the given connect timeout,
   * and a small executor of its own. The JDK's default executor is an unbounded cached pool whose
   * threads live 60 s: under async load it grew by dozens of threads that lingered for a minute.
   * This one has at most as many threads as cores (at least 2); they only run non-blocking work
   * (reading bodies and events), end after {@value #CLIENT_THREAD_IDLE_SECONDS} s idle, and are
   * daemons, so an unused client holds none.
   */
  public static HttpClient newClient(Duration connectTimeout) {
    return HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
        .executor(clientExecutor()).build();
  }

  static final int CLIENT_THREAD_IDLE_SECONDS = 2;
  private static final java.util.concurrent.atomic.AtomicInteger CLIENTS = new java.util.concurrent.atomic.AtomicInteger();

  private static java.util.concurrent.ExecutorService clientExecutor() {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    int client = CLIENTS.incrementAndGet();
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(threads, threads,
        CLIENT_THREAD_IDLE_SECONDS, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "llmtask-http-" + client + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
