package dev.llmtask.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.llmtask.CallRecord;
import dev.llmtask.LlmRuntime;
import dev.llmtask.cache.redis.RedisResponseStore;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/** The Redis store on a real redis-server over loopback: shared between runtimes, encrypted, TTL, outages. */
class RedisResponseStoreTest {
  private static final byte[] AES_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static LlmSimulator sim;
  private static int port;
  private static RedisServer redis;
  private static RedisClient inspector;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    sim = LlmSimulator.start();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
    redis.start();
    inspector = RedisClient.create("redis://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() throws IOException {
    sim.close();
    inspector.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    if (redis.isActive()) {
      redis.stop();
    }
  }

  @BeforeEach
  void reset() {
    sim.reset();
    raw(c -> c.sync().flushall());
  }

  private String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Runs {@code f} on a plain connection of its own, to see what the store wrote. */
  private static <R> R raw(java.util.function.Function<StatefulRedisConnection<byte[], byte[]>, R> f) {
    try (StatefulRedisConnection<byte[], byte[]> c = inspector.connect(ByteArrayCodec.INSTANCE)) {
      return f.apply(c);
    }
  }

  @Test
  void twoRuntimesShareAnswersAndTheValueIsSealedWithTheKeyAsAssociatedData() {
    try (RedisResponseStore a = RedisResponseStore.builder(uri()).keyPrefix("app:").encryptionKey(AES_KEY).build();
         RedisResponseStore b = RedisResponseStore.builder(uri()).keyPrefix("app:").encryptionKey(AES_KEY).build()) {
      sim.enqueue(SimulatedReply.json(CountryLookup.ANSWER));
      CountryLookup.TASK.call(CountryLookup.runtime(sim, a, records::add), CountryLookup.ask("Norway"));
      assertThat(CountryLookup.TASK.call(CountryLookup.runtime(sim, b, records::add), CountryLookup.ask("Norway")).code())
          .isEqualTo("NO");
      assertThat(sim.requests()).hasSize(1);
      assertThat(records).extracting(r -> r.attributes().get("cache")).containsExactly("stored", "hit");

      List<byte[]> keys = RedisResponseStoreTest.<List<byte[]>>raw(c -> c.sync().keys("*"));
      assertThat(keys).hasSize(1);
      String key = new String(keys.get(0), StandardCharsets.UTF_8);
      assertThat(key).matches("app:llmtask:country_code:[0-9a-f]{64}");
      byte[] value = RedisResponseStoreTest.<byte[]>raw(c -> c.sync().get(keys.get(0)));
      assertThat(new String(value, StandardCharsets.ISO_8859_1)).doesNotContain("NO\"").doesNotContain("code");
      long pttl = RedisResponseStoreTest.<Long>raw(c -> c.sync().pttl(keys.get(0)));
      assertThat(pttl).isBetween(1L, Duration.ofMinutes(5).toMillis());

      // the sealed value moved under another key does not open: a miss, not a wrong answer
      byte[] other = "app:other".getBytes(StandardCharsets.UTF_8);
      raw(c -> c.sync().set(other, value));
      assertThat(a.get("other").toCompletableFuture().join()).isNull();
      assertThat(a.get(key.substring("app:".length())).toCompletableFuture().join()).isNotNull();
    }
  }

  @Test
  void anotherEncryptionKeyIsAMissAndWithoutOneValuesAreTheAnswer() {
    try (RedisResponseStore sealed = RedisResponseStore.builder(uri()).encryptionKey(AES_KEY).build();
         RedisResponseStore otherKey = RedisResponseStore.builder(uri()).encryptionKey(new byte[16]).build();
         RedisResponseStore plain = RedisResponseStore.builder(uri()).build()) {
      sealed.put("k", "v".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1)).toCompletableFuture().join();
      assertThat(otherKey.get("k").toCompletableFuture().join()).isNull();
      plain.put("p", "answer".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1)).toCompletableFuture().join();
      byte[] stored = raw(c -> c.sync().get("p".getBytes(StandardCharsets.UTF_8)));
      assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo("answer");
    }
  }

  @Test
  void aRedisOutageMidRunIsAMissWithOneWarningAndTheCacheReturnsWhenRedisDoes() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger("dev.llmtask.internal.pipeline.CacheLink");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    log.addAppender(appender);
    try (RedisResponseStore store = RedisResponseStore.builder(uri()).commandTimeout(Duration.ofMillis(200)).build()) {
      LlmRuntime runtime = CountryLookup.runtime(sim, store, records::add);
      sim.enqueue(SimulatedReply.json(CountryLookup.ANSWER));
      CountryLookup.TASK.call(runtime, CountryLookup.ask("Norway"));
      CountryLookup.TASK.call(runtime, CountryLookup.ask("Norway"));
      assertThat(records).extracting(r -> r.attributes().get("cache")).containsExactly("stored", "hit");

      redis.stop();
      for (int i = 0; i < 3; i++) {
        sim.enqueue(SimulatedReply.json(CountryLookup.ANSWER));
        assertThat(CountryLookup.TASK.callForResult(runtime, CountryLookup.ask("Norway")).record().attributes())
            .containsEntry("cache", "miss");
      }
      assertThat(sim.requests()).hasSize(4);
      assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1);

      redis.start();
      String cache = null;
      for (int i = 0; i < 50 && !"hit".equals(cache); i++) { // the client reconnects in the background
        Thread.sleep(100);
        sim.enqueue(SimulatedReply.json(CountryLookup.ANSWER));
        cache = CountryLookup.TASK.callForResult(runtime, CountryLookup.ask("Norway")).record().attributes().get("cache");
      }
      assertThat(cache).as("stored again once Redis is back, then a hit").isEqualTo("hit");
      assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1);
    } finally {
      log.detachAppender(appender);
      if (!redis.isActive()) {
        redis.start();
      }
    }
  }

  @Test
  void aRuntimeWithARedisStoreNeedsTheFingerprintKeyAndBadSettingsAreNamed() {
    try (RedisResponseStore store = RedisResponseStore.builder(uri()).build()) {
      assertThatThrownBy(() -> LlmRuntime.builder()
          .provider(dev.llmtask.provider.openai.OpenAiProvider.builder().apiKey("sk-test").build())
          .responseCache(store).build())
          .hasMessageContaining("RedisResponseStore is shared").hasMessageContaining("fingerprintKey");
    }
    assertThatThrownBy(() -> RedisResponseStore.builder("localhost:6379")).hasMessageContaining("redis://");
    assertThatThrownBy(() -> RedisResponseStore.builder(uri()).encryptionKey(new byte[10]))
        .hasMessage("encryptionKey must be 16, 24 or 32 bytes (AES-128/192/256), was 10");
    assertThatThrownBy(() -> RedisResponseStore.builder(uri()).encryptionKey(null))
        .hasMessageContaining("encryptionKey is null");
  }
}
