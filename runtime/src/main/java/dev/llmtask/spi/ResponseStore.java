package dev.llmtask.spi;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Where the response cache keeps validated answers: opaque bytes under a key, each with a time to
 * live. Keys are HMACs of what the answer depends on (never prompt text); values hold a validated
 * answer, which is customer data: a store shared between processes should encrypt them.
 *
 * <p>A store must not block the caller: answer with a completed stage when the data is in memory,
 * or with a stage completed by the store's own I/O. It must answer or fail within a short timeout
 * of its own: a failed stage makes the call a cache miss (the runtime logs one warning per outage),
 * never a failed call.
 *
 * <p>Implementations: {@code CaffeineResponseStore} (in process) and {@code RedisResponseStore}
 * (shared) in the {@code llmtask-cache} module.
 */
public interface ResponseStore {

  /** The value stored under {@code key}, or a stage completed with {@code null} when there is none (or it expired). */
  CompletionStage<byte[]> get(String key);

  /** Stores {@code value} under {@code key} for {@code ttl} (positive), replacing any value there. */
  CompletionStage<Void> put(String key, byte[] value, Duration ttl);

  /**
   * True when other processes read this store too (Redis): the runtime then needs a configured
   * {@code fingerprintKey}, so that every process computes the same keys. Default false.
   */
  default boolean shared() {
    return false;
  }
}
