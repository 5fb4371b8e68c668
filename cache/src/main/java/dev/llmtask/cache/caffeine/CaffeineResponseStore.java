package dev.llmtask.cache.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.llmtask.spi.ResponseStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The response cache in this process, bounded in bytes and in time: each answer lives for its
 * task's TTL, at most {@link Builder#maximumTtl(Duration)}, and the least recently used answers go
 * first once the stored answers exceed {@link Builder#maximumBytes(long)}. Every call answers
 * synchronously (a completed stage), so a hit costs microseconds.
 *
 * <pre>{@code
 * LlmRuntime runtime = LlmRuntime.builder()
 *     .provider(provider)
 *     .responseCache(CaffeineResponseStore.builder().maximumBytes(64 << 20).build())
 *     .build();
 * }</pre>
 *
 * Needs {@code com.github.ben-manes.caffeine:caffeine} (3.1 or later) on the class path.
 */
public final class CaffeineResponseStore implements ResponseStore {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final CompletableFuture<byte[]> ABSENT = CompletableFuture.completedFuture(null);

  private final Cache<String, Entry> cache;
  private final long maximumTtlNanos;

  private CaffeineResponseStore(Builder b) {
    this.maximumTtlNanos = b.maximumTtl.toNanos();
    this.cache = Caffeine.newBuilder()
        .executor(Runnable::run) // eviction runs in the caller's put: a few microseconds, no pool hand-off
        .maximumWeight(b.maximumBytes)
        .weigher((String key, Entry e) -> key.length() * 2 + e.value.length + 64)
        .expireAfter(new Expiry<String, Entry>() {
          @Override
          public long expireAfterCreate(String key, Entry e, long now) {
            return e.ttlNanos;
          }

          @Override
          public long expireAfterUpdate(String key, Entry e, long now, long current) {
            return e.ttlNanos;
          }

          @Override
          public long expireAfterRead(String key, Entry e, long now, long current) {
            return current;
          }
        })
        .build();
  }

  /** A store of at most 32 MiB of answers, each kept at most 24 hours; see {@link #builder()}. */
  public static CaffeineResponseStore create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletionStage<byte[]> get(String key) {
    Entry e = cache.getIfPresent(key);
    return e == null ? ABSENT : CompletableFuture.completedFuture(e.value);
  }

  @Override
  public CompletionStage<Void> put(String key, byte[] value, Duration ttl) {
    long nanos = Math.min(ttl.toNanos(), maximumTtlNanos);
    cache.put(key, new Entry(value.clone(), nanos));
    return DONE;
  }

  /** Answers held now (expired ones may still count until the cache's next maintenance). */
  public long size() {
    return cache.estimatedSize();
  }

  private record Entry(byte[] value, long ttlNanos) {}

  /** Builder of {@link CaffeineResponseStore}. */
  public static final class Builder {
    private long maximumBytes = 32L << 20;
    private Duration maximumTtl = Duration.ofHours(24);

    private Builder() {}

    /** The most the stored answers may weigh, keys included (default 32 MiB); must be positive. */
    public Builder maximumBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maximumBytes must be positive, was " + bytes);
      }
      this.maximumBytes = bytes;
      return this;
    }

    /** The longest any answer is kept, whatever its task's TTL (default 24 h); must be positive. */
    public Builder maximumTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "maximumTtl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("maximumTtl must be positive, was " + ttl);
      }
      this.maximumTtl = ttl;
      return this;
    }

    public CaffeineResponseStore build() {
      return new CaffeineResponseStore(this);
    }
  }
}
