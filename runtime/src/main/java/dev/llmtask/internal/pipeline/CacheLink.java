package dev.llmtask.internal.pipeline;

import dev.llmtask.CacheMode;
import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.RateCard;
import dev.llmtask.Sampling;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.internal.pipeline.OutputValidator.Verdict;
import dev.llmtask.provider.ModelReply.Usage;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.Outcome;
import dev.llmtask.spi.ResponseStore;
import dev.llmtask.spi.TaskCall;
import dev.llmtask.spi.TaskCall.Mode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache: the call link just outside {@link RepairLink}, so it sees the route every
 * other link chose, stores only answers that passed every check, and a hit ends the call with
 * 0 attempts. The key is an HMAC over task, prompt version, output-schema hash, provider, model,
 * the sampling settings of that route and the rendered prompts (never the trace id, metadata or
 * idempotency key). Inside the fallback link, each route has entries of its own. A hit is decoded and
 * checked again; one that fails is a miss. Concurrent identical misses in this process make one
 * model call: the others wait for it and are hits. A store that fails makes the call a miss, with
 * one warning per outage. Streams are not served from the cache ({@code cache=bypassed}).
 *
 * <p>Attribute {@code cache}: {@code hit}, {@code miss} (not stored: invalid answer, failed call,
 * {@link CacheMode#NO_STORE} or a store failure), {@code stored} (a miss whose answer was stored),
 * {@code bypassed}, {@code refreshed}; a hit adds {@code cache_saved_usd}, the cost of the call
 * that produced it (absent when that model had no price).
 */
final class CacheLink implements CallInterceptor {
  static final String ATTRIBUTE = CallRecord.CACHE;
  static final String SAVED_USD = CallRecord.CACHE_SAVED_USD;
  private static final Logger LOG = LoggerFactory.getLogger(CacheLink.class);
  private static final byte FORMAT = 1;

  private final ResponseStore store;
  private final Fingerprints keys;
  private final RateCard rateCard;
  private final OutputValidator validator;
  /** The misses in flight by key: each completes with the entry its call stored, or null. */
  private final Map<String, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();
  /** SHA-256 of each task's schemas, computed once; TaskSpec has identity equality and lives in a static field. */
  private final Map<TaskSpec<?>, String> schemaHashes = new ConcurrentHashMap<>();
  private final AtomicBoolean storeDown = new AtomicBoolean();

  CacheLink(ResponseStore store, byte[] key, RateCard rateCard, OutputValidator validator) {
    this.store = store;
    this.validator = validator;
    this.keys = new Fingerprints(key);
    this.rateCard = rateCard;
  }

  @Override
  public CompletionStage<Outcome> intercept(Chain chain) {
    CallState<?> state = ((CallChain) chain).state;
    TaskCall call = chain.call();
    CallOptions task = state.pipeline.settings.taskOptions().getOrDefault(state.spec.name(), CallOptions.none());
    Duration ttl = CallPolicy.or(CallPolicy.or(state.inv.options().cacheTtl(), task.cacheTtl()), state.spec.cacheTtl());
    if (ttl == null || call.model() == null) {
      return chain.proceed(call);
    }
    CacheMode mode = CallPolicy.or(CallPolicy.or(state.inv.options().cache(), task.cache()), CacheMode.USE);
    if (mode == CacheMode.BYPASS || state.mode == Mode.STREAM) {
      chain.attributes().put(ATTRIBUTE, "bypassed");
      return chain.proceed(call);
    }
    String key = key(state.spec, call, state.policy.sampling(state.pipeline.settings, call.provider(), call.model()));
    if (mode == CacheMode.REFRESH) {
      chain.attributes().put(ATTRIBUTE, "refreshed");
      return lead(chain, state, key, ttl, true, null);
    }
    boolean storeIt = mode != CacheMode.NO_STORE;
    return read(state, key).thenCompose(bytes -> {
      if (state.ended()) {
        return CompletableFuture.completedFuture(RepairLink.failed(state, new CancellationException()));
      }
      Outcome hit = hit(chain, state, bytes);
      if (hit != null) {
        return CompletableFuture.completedFuture(hit);
      }
      chain.attributes().put(ATTRIBUTE, "miss");
      CompletableFuture<byte[]> mine = new CompletableFuture<>();
      CompletableFuture<byte[]> leader = inFlight.putIfAbsent(key, mine);
      if (leader == null) {
        return lead(chain, state, key, ttl, storeIt, mine);
      }
      return onCallThread(state, leader).handle((entry, failure) -> entry).thenCompose(entry -> {
        Outcome shared = state.ended() ? null : hit(chain, state, entry);
        return shared != null ? CompletableFuture.completedFuture(shared) : lead(chain, state, key, ttl, storeIt, null);
      });
    });
  }

  /** The outcome of a stored entry that decodes and passes every check again, else {@code null}. */
  private <T> Outcome hit(Chain chain, CallState<T> state, byte[] entry) {
    if (entry == null || entry.length < 2 || entry[0] != FORMAT || entry.length < 2 + (entry[1] & 0xff)) {
      return null;
    }
    int savedLength = entry[1] & 0xff;
    String output = new String(entry, 2 + savedLength, entry.length - 2 - savedLength, StandardCharsets.UTF_8);
    Verdict<T> verdict;
    try {
      verdict = validator.check(output, state.spec.decoder(), state.inv.checks());
    } catch (RuntimeException e) { // a @Check that throws on this answer: ask the model instead
      return null;
    }
    if (!verdict.valid()) {
      return null;
    }
    chain.attributes().put(ATTRIBUTE, "hit");
    if (savedLength > 0) {
      chain.attributes().put(SAVED_USD, new String(entry, 2, savedLength, StandardCharsets.US_ASCII));
    }
    state.acceptedOutput = output;
    return Outcome.answered(verdict.value());
  }

  /** Asks the model; stores a validated answer when {@code storeIt}, and hands it to the calls waiting on {@code mine}. */
  private CompletableFuture<Outcome> lead(Chain chain, CallState<?> state, String key, Duration ttl, boolean storeIt,
      CompletableFuture<byte[]> mine) {
    Usage before = state.usage();
    CompletableFuture<Outcome> outcome;
    try {
      outcome = chain.proceed(chain.call()).toCompletableFuture();
    } catch (RuntimeException e) {
      release(key, mine, null);
      throw e;
    }
    return outcome.handle((o, failure) -> {
      byte[] entry = o instanceof Outcome.Answered && state.acceptedOutput != null
          ? entry(saved(state, before), state.acceptedOutput) : null;
      release(key, mine, entry);
      if (failure != null) {
        throw failure instanceof RuntimeException re ? re : new IllegalStateException(failure);
      }
      return new Object[] {o, entry};
    }).thenCompose(pair -> {
      Outcome o = (Outcome) pair[0];
      byte[] entry = (byte[]) pair[1];
      if (entry == null || !storeIt || state.ended()) {
        return CompletableFuture.completedFuture(o);
      }
      return write(state, key, entry, ttl).thenApply(stored -> {
        if (stored && !"refreshed".equals(chain.attributes().get(ATTRIBUTE))) {
          chain.attributes().put(ATTRIBUTE, "stored");
        }
        return o;
      });
    });
  }

  private void release(String key, CompletableFuture<byte[]> mine, byte[] entry) {
    if (mine != null) {
      inFlight.remove(key, mine);
      mine.complete(entry);
    }
  }

  /** The cost of the model turns since {@code before}, as text, or {@code null} when the model has no price. */
  private String saved(CallState<?> state, Usage before) {
    Usage now = state.usage();
    CallState.AttemptEntry last = state.lastAttempt();
    if (last == null) {
      return null;
    }
    BigDecimal cost = rateCard.cost(last.model, now.inputTokens() - before.inputTokens(),
        now.cachedInputTokens() - before.cachedInputTokens(), now.cacheWriteTokens() - before.cacheWriteTokens(),
        now.outputTokens() - before.outputTokens());
    return cost == null ? null : cost.toPlainString();
  }

  /** A stored entry: format byte, the saved cost's length and ASCII text, then the model's answer as UTF-8. */
  private static byte[] entry(String saved, String output) {
    byte[] s = saved == null || saved.length() > 255 ? new byte[0] : saved.getBytes(StandardCharsets.US_ASCII);
    byte[] o = output.getBytes(StandardCharsets.UTF_8);
    byte[] entry = new byte[2 + s.length + o.length];
    entry[0] = FORMAT;
    entry[1] = (byte) s.length;
    System.arraycopy(s, 0, entry, 2, s.length);
    System.arraycopy(o, 0, entry, 2 + s.length, o.length);
    return entry;
  }

  /** {@code llmtask:<task>:<hex HMAC>}; the task name keeps a shared store readable, the HMAC keeps prompts out. */
  String key(TaskSpec<?> spec, TaskCall call, Sampling sampling) {
    List<String> parts = new ArrayList<>(12);
    Collections.addAll(parts, call.task(), call.promptVersion(), schemaHash(spec), call.provider(), call.model(),
        call.systemPrompt(), call.userPrompt(), String.valueOf(sampling.temperature()), String.valueOf(sampling.topP()),
        String.valueOf(sampling.maxOutputTokens()), String.valueOf(sampling.seed()));
    if (sampling.stop() != null) { // each sequence a part of its own: no two lists encode alike
      parts.addAll(sampling.stop());
    }
    return "llmtask:" + call.task() + ":" + keys.ofParts(parts.toArray(String[]::new));
  }

  private String schemaHash(TaskSpec<?> spec) {
    return schemaHashes.computeIfAbsent(spec, s -> {
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(s.schema().openAi().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(s.schema().anthropic().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is not available", e);
      }
    });
  }

  // ---- the store, never failing the call ----

  private CompletableFuture<byte[]> read(CallState<?> state, String key) {
    return guarded(state, () -> store.get(key), null);
  }

  private CompletableFuture<Boolean> write(CallState<?> state, String key, byte[] entry, Duration ttl) {
    return guarded(state, () -> store.put(key, entry, ttl).thenApply(ignored -> Boolean.TRUE), Boolean.FALSE);
  }

  /** What the store's {@code operation} gives, or {@code onFailure} when it throws or fails. */
  private <V> CompletableFuture<V> guarded(CallState<?> state, Supplier<CompletionStage<V>> operation, V onFailure) {
    CompletableFuture<V> f;
    try {
      f = operation.get().toCompletableFuture();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return onCallThread(state, f).handle((value, failure) -> {
      if (failure != null) {
        storeFailed(failure);
        return onFailure;
      }
      storeAnswered();
      return value;
    });
  }

  /**
   * {@code f}, with the rest of the call continuing where it should: a blocking call waits on its
   * own thread (the deadline interrupts it), an async call continues on the runtime's scheduler,
   * never on the store's I/O thread.
   */
  private static <V> CompletableFuture<V> onCallThread(CallState<?> state, CompletableFuture<V> f) {
    if (f.isDone()) {
      return f;
    }
    if (state.onOwnerThread()) {
      state.block(true);
      try {
        return CompletableFuture.completedFuture(f.get());
      } catch (InterruptedException e) {
        state.interruptedWhileBlocked();
        return CompletableFuture.completedFuture(null);
      } catch (ExecutionException e) {
        return CompletableFuture.failedFuture(e.getCause());
      } finally {
        state.block(false);
      }
    }
    return f.whenCompleteAsync((v, e) -> { }, state.pipeline.scheduler);
  }

  private void storeFailed(Throwable failure) {
    if (storeDown.compareAndSet(false, true)) {
      LOG.warn("The response store {} failed ({}): cached tasks call the model, as cache misses, until it answers"
          + " again", store.getClass().getSimpleName(), Pipeline.unwrap(failure).getClass().getSimpleName());
    }
  }

  private void storeAnswered() {
    if (storeDown.get() && storeDown.compareAndSet(true, false)) {
      LOG.info("The response store {} answers again", store.getClass().getSimpleName());
    }
  }
}
