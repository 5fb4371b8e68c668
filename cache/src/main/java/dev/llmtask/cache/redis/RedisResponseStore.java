package dev.llmtask.cache.redis;

import dev.llmtask.spi.ResponseStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The response cache in Redis, shared by every process of an application (they need the same
 * {@code fingerprintKey}, so they make the same keys). Each answer is a Redis string under
 * {@code <keyPrefix>llmtask:<task>:<HMAC>}, set with {@code PX} to its task's TTL, so Redis drops
 * it when the TTL ends. Values are validated answers, which are customer data: give the store an
 * {@link Builder#encryptionKey(byte[]) encryption key} and they are sealed with AES-GCM (a random
 * 96-bit nonce per value, the Redis key as associated data, so a value moved to another key does
 * not open); without one they are stored as the answer's JSON.
 *
 * <p>Redis being down never fails a call: a command that cannot run fails within
 * {@link Builder#commandTimeout(Duration)} (at once while disconnected) and the call is a cache
 * miss; the client reconnects in the background. Connects lazily, on the first call.
 *
 * <pre>{@code
 * RedisResponseStore store = RedisResponseStore.builder("redis://cache.internal:6379")
 *     .encryptionKey(key32Bytes)
 *     .build();
 * }</pre>
 *
 * Needs {@code io.lettuce:lettuce-core} on the class path. Close it when the application stops.
 */
public final class RedisResponseStore implements ResponseStore, AutoCloseable {
  private static final byte SEALED = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);

  private final RedisURI uri;
  private final ClientResources resources;
  private final RedisClient client;
  private final String keyPrefix;
  private final SecretKeySpec sealKey;
  private final SecureRandom random = new SecureRandom();
  private final AtomicReference<CompletableFuture<StatefulRedisConnection<byte[], byte[]>>> connection =
      new AtomicReference<>();
  private volatile long retryConnectAt;

  private RedisResponseStore(Builder b) {
    this.uri = RedisURI.create(b.uri);
    this.uri.setTimeout(b.commandTimeout);
    this.keyPrefix = b.keyPrefix;
    this.sealKey = b.encryptionKey == null ? null : new SecretKeySpec(b.encryptionKey, "AES");
    this.resources = ClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, java.util.concurrent.TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(b.connectTimeout).build())
        .build());
  }

  /** A builder for the Redis at {@code redisUri}, e.g. {@code redis://localhost:6379} or {@code rediss://…}. */
  public static Builder builder(String redisUri) {
    return new Builder(redisUri);
  }

  @Override
  public CompletionStage<byte[]> get(String key) {
    byte[] k = key(key);
    return connection().thenCompose(c -> c.async().get(k)).thenApply(v -> v == null ? null : open(k, v));
  }

  @Override
  public CompletionStage<Void> put(String key, byte[] value, Duration ttl) {
    byte[] k = key(key);
    byte[] v = seal(k, value);
    return connection().thenCompose(c -> c.async().set(k, v, SetArgs.Builder.px(Math.max(1, ttl.toMillis()))))
        .thenApply(ok -> null);
  }

  /** Every process of the application reads the same Redis. */
  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public void close() {
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> c = connection.getAndSet(null);
    if (c != null && c.isDone() && !c.isCompletedExceptionally()) {
      c.join().close();
    }
    // nothing is queued on a closing store: no quiet period (Netty's default waits 2 s)
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "RedisResponseStore[" + uri.getHost() + ":" + uri.getPort() + (sealKey != null ? ", encrypted" : "") + "]";
  }

  private byte[] key(String key) {
    return (keyPrefix + key).getBytes(StandardCharsets.UTF_8);
  }

  /** The connection, connecting on first use and again (at most once a second) after a failed connect. */
  private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection() {
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current = connection.get();
    if (current != null && (!current.isCompletedExceptionally() || System.nanoTime() - retryConnectAt < 0)) {
      return current;
    }
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> next = new CompletableFuture<>();
    if (!connection.compareAndSet(current, next)) {
      return connection.get();
    }
    retryConnectAt = System.nanoTime() + RECONNECT_AFTER.toNanos();
    client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((c, failure) -> {
      if (failure != null) {
        next.completeExceptionally(failure);
      } else {
        next.complete(c);
      }
    });
    return next;
  }

  private byte[] seal(byte[] key, byte[] value) {
    if (sealKey == null) {
      return value;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(key);
      byte[] sealed = cipher.doFinal(value);
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(SEALED).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** The value, or {@code null} (a miss) when it does not open with this store's key or is not sealed though it should be. */
  private byte[] open(byte[] key, byte[] stored) {
    if (sealKey == null) {
      return stored;
    }
    if (stored.length < 1 + NONCE_BYTES || stored[0] != SEALED) {
      return null;
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
      cipher.updateAAD(key);
      return cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
    } catch (GeneralSecurityException e) { // another key, or tampered with
      return null;
    }
  }

  /** Builder of {@link RedisResponseStore}. */
  public static final class Builder {
    private final String uri;
    private String keyPrefix = "";
    private byte[] encryptionKey;
    private Duration commandTimeout = Duration.ofMillis(250);
    private Duration connectTimeout = Duration.ofSeconds(1);

    private Builder(String uri) {
      Objects.requireNonNull(uri, "redisUri");
      if (!uri.startsWith("redis://") && !uri.startsWith("rediss://") && !uri.startsWith("redis-socket://")) {
        throw new IllegalArgumentException("redisUri must start with redis://, rediss:// or redis-socket://, e.g."
            + " redis://localhost:6379");
      }
      this.uri = uri;
    }

    /** Text put before every key, e.g. {@code "myapp:"}, to share one Redis between applications (default none). */
    public Builder keyPrefix(String prefix) {
      this.keyPrefix = Objects.requireNonNull(prefix, "keyPrefix");
      return this;
    }

    /**
     * Seals every value with AES-GCM under this key of 16, 24 or 32 bytes (AES-128/192/256). Every
     * process sharing the Redis needs the same key; a value sealed with another key is a miss.
     */
    public Builder encryptionKey(byte[] key) {
      if (key == null) {
        throw new IllegalArgumentException("encryptionKey is null (is the environment variable that should hold it"
            + " unset?): pass 16, 24 or 32 bytes, or leave encryptionKey out to store values unencrypted");
      }
      if (key.length != 16 && key.length != 24 && key.length != 32) {
        throw new IllegalArgumentException("encryptionKey must be 16, 24 or 32 bytes (AES-128/192/256), was "
            + key.length);
      }
      this.encryptionKey = key.clone();
      return this;
    }

    /** How long one command may take before the call treats it as a miss (default 250 ms); must be positive. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "commandTimeout");
      return this;
    }

    /** How long a connect may take (default 1 s); must be positive. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }

    public RedisResponseStore build() {
      return new RedisResponseStore(this);
    }
  }
}
