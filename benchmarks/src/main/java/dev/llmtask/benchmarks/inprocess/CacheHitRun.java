package dev.llmtask.benchmarks.inprocess;

import dev.llmtask.CallOptions;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTasks;
import dev.llmtask.benchmarks.Stats;
import dev.llmtask.benchmarks.rotation.RotationDecision;
import dev.llmtask.benchmarks.rotation.RotationDesk;
import dev.llmtask.benchmarks.rotation.Scenario;
import dev.llmtask.cache.caffeine.CaffeineResponseStore;
import dev.llmtask.cache.redis.RedisResponseStore;
import dev.llmtask.spi.ResponseStore;
import java.net.ServerSocket;
import java.time.Duration;
import redis.embedded.RedisServer;

/**
 * A response-cache hit, timed call by call: the rotation task answered from Caffeine in this
 * process, and from a real redis-server on loopback (unencrypted and AES-GCM sealed), next to the
 * same call answered by a model in memory without a cache. Each case
 * warms up, then times {@code calls} blocking hits one by one and prints p50 and p99 in µs.
 *
 * <pre>mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" dev.llmtask.benchmarks.inprocess.CacheHitRun 20000</pre>
 */
public final class CacheHitRun {
  private static final byte[] AES_KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private CacheHitRun() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    System.out.printf("%-28s %10s %10s%n", "case", "p50 us", "p99 us");
    time("no cache (in-memory model)", null, calls); // for reference: the same call answered by a model in memory
    time("caffeine, in process", CaffeineResponseStore.create(), calls);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
    redis.start();
    try (RedisResponseStore plain = RedisResponseStore.builder("redis://127.0.0.1:" + port).keyPrefix("plain:").build();
         RedisResponseStore sealed = RedisResponseStore.builder("redis://127.0.0.1:" + port).keyPrefix("sealed:")
             .encryptionKey(AES_KEY).build()) {
      time("redis loopback", plain, calls / 4);
      time("redis loopback, AES-GCM", sealed, calls / 4);
    } finally {
      redis.stop();
    }
  }

  private static void time(String name, ResponseStore store, int calls) {
    LlmRuntime.Builder b = LlmRuntime.builder()
        .provider(new InMemoryProvider())
        .fingerprintKey("a-benchmark-fingerprint-key")
        .taskOptions("decide_rotation", CallOptions.builder().cacheTtl(Duration.ofHours(1)).build());
    LlmRuntime runtime = (store == null ? b : b.responseCache(store)).build();
    RotationDesk desk = LlmTasks.create(RotationDesk.class, runtime);
    for (int i = 0; i < Math.max(2_000, calls / 5); i++) { // the first call stores, the rest are hits
      check(call(desk));
    }
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      RotationDecision d = call(desk);
      nanos[i] = System.nanoTime() - t0;
      check(d);
    }
    System.out.printf("%-28s %10.2f %10.2f%n", name, Stats.percentile(nanos, 50) / 1e3, Stats.percentile(nanos, 99) / 1e3);
  }

  private static RotationDecision call(RotationDesk desk) {
    return desk.decideRotation(Scenario.QUESTION, Scenario.ACCOUNT_ID, Scenario.CREDENTIAL_AGE_DAYS, Scenario.KEY_STALE,
        Scenario.POLICY, Scenario.TRACE_ID);
  }

  private static void check(RotationDecision d) {
    if (d.rotationWindowDays() != 30) {
      throw new IllegalStateException("unexpected answer " + d);
    }
  }
}
