package dev.llmtask.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.CallRecord;
import dev.llmtask.LlmRuntime;
import dev.llmtask.cache.caffeine.CaffeineResponseStore;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CaffeineResponseStoreTest {
  private static LlmSimulator sim;

  @BeforeAll
  static void start() {
    sim = LlmSimulator.start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void aRepeatedLookupIsServedFromProcessMemory() {
    sim.reset();
    List<CallRecord> records = new CopyOnWriteArrayList<>();
    LlmRuntime runtime = CountryLookup.runtime(sim, CaffeineResponseStore.create(), records::add);
    sim.enqueue(SimulatedReply.json(CountryLookup.ANSWER));
    assertThat(CountryLookup.TASK.call(runtime, CountryLookup.ask("Norway")).code()).isEqualTo("NO");
    assertThat(CountryLookup.TASK.call(runtime, CountryLookup.ask("Norway")).code()).isEqualTo("NO");
    assertThat(sim.requests()).hasSize(1);
    assertThat(records).extracting(r -> r.attributes().get("cache")).containsExactly("stored", "hit");
  }

  @Test
  void answersExpireAfterTheirTtlCappedByTheMaximumTtl() throws InterruptedException {
    CaffeineResponseStore store = CaffeineResponseStore.builder().maximumTtl(Duration.ofMillis(100)).build();
    store.put("long", new byte[] {1}, Duration.ofHours(1));
    store.put("short", new byte[] {2}, Duration.ofMillis(50));
    assertThat(store.get("long").toCompletableFuture().join()).containsExactly(1);
    Thread.sleep(250);
    assertThat(store.get("short").toCompletableFuture().join()).isNull();
    assertThat(store.get("long").toCompletableFuture().join()).as("capped at maximumTtl").isNull();
  }

  @Test
  void theStoredBytesStayWithinTheBound() { // which entries stay is Caffeine's W-TinyLFU policy
    CaffeineResponseStore store = CaffeineResponseStore.builder().maximumBytes(10_000).build();
    for (int i = 0; i < 200; i++) {
      store.put("key-" + i, new byte[500], Duration.ofMinutes(1));
    }
    assertThat(store.size()).isLessThanOrEqualTo(20).isPositive();
  }

  @Test
  void storedBytesAreACopy() {
    CaffeineResponseStore store = CaffeineResponseStore.create();
    byte[] value = {1, 2, 3};
    store.put("k", value, Duration.ofMinutes(1));
    value[0] = 9;
    assertThat(store.get("k").toCompletableFuture().join()).containsExactly(1, 2, 3);
  }

  @Test
  void badBoundsAreNamed() {
    assertThatThrownBy(() -> CaffeineResponseStore.builder().maximumBytes(0))
        .hasMessage("maximumBytes must be positive, was 0");
    assertThatThrownBy(() -> CaffeineResponseStore.builder().maximumTtl(Duration.ZERO))
        .hasMessageContaining("maximumTtl must be positive");
  }
}
