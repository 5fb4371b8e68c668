package dev.llmtask.action;

import static dev.llmtask.action.ActionFixtures.ACTION;
import static dev.llmtask.action.ActionFixtures.CUSTOMER_NOTE;
import static dev.llmtask.action.ActionFixtures.JOB;
import static dev.llmtask.action.ActionFixtures.KEY;
import static dev.llmtask.action.ActionFixtures.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmtask.action.ActionFailedException.Reason;
import dev.llmtask.action.ActionFixtures.CreateJob;
import dev.llmtask.action.ActionFixtures.Job;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link IdempotentActions} guarantees, run against each {@link ActionStore}. */
abstract class ActionStoreContract {
  /** A store with no entries. */
  abstract ActionStore newStore();

  ActionStore store;
  final AtomicInteger runs = new AtomicInteger();

  @BeforeEach
  void freshStore() {
    store = newStore();
  }

  IdempotentActions.Builder actions() {
    return IdempotentActions.builder(store);
  }

  ActionBody<Job> createJob() {
    return () -> {
      runs.incrementAndGet();
      return JOB;
    };
  }

  @Test
  void firstCallRunsTheActionAndEveryRepeatGetsTheStoredResult() {
    IdempotentActions actions = IdempotentActions.using(store);

    ActionOutcome<Job> first = actions.once(ACTION, KEY, REQUEST, Job.class, createJob());
    ActionOutcome<Job> again = actions.once(ACTION, KEY, REQUEST, Job.class, createJob());

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.value()).isEqualTo(first.value()).isEqualTo(JOB);
    assertThat(runs).hasValue(1);
    assertThat(again.toString()).doesNotContain("job_acct_10234_001");
  }

  @Test
  void keysAreScopedByActionName() {
    IdempotentActions actions = IdempotentActions.using(store);

    actions.once(ACTION, KEY, REQUEST, Job.class, createJob());
    ActionOutcome<Job> other = actions.once("notify_account_owner", KEY, REQUEST, Job.class, createJob());

    assertThat(other.created()).isTrue();
    assertThat(runs).hasValue(2);
  }

  @Test
  void sixtyFourConcurrentCallsWithOneKeyRunTheActionOnceAndAllGetItsResult() throws Exception {
    int callers = 64;
    IdempotentActions actions = actions().waitFor(Duration.ofSeconds(30)).build();
    ConcurrentLinkedQueue<Long> latencyMs = new ConcurrentLinkedQueue<>();
    CountDownLatch allCalling = new CountDownLatch(callers);
    long began = System.nanoTime();

    List<ActionOutcome<Job>> outcomes = runConcurrently(callers, () -> {
      long t0 = System.nanoTime();
      allCalling.countDown();
      ActionOutcome<Job> outcome = actions.once(ACTION, KEY, REQUEST, Job.class, () -> {
        runs.incrementAndGet();
        // the job service answers only once every caller is inside once(), however slowly threads start
        assertThat(allCalling.await(20, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        return JOB;
      });
      latencyMs.add((System.nanoTime() - t0) / 1_000_000);
      return outcome;
    });

    assertThat(runs).hasValue(1);
    assertThat(outcomes).extracting(ActionOutcome::value).containsOnly(JOB).hasSize(callers);
    assertThat(outcomes).filteredOn(ActionOutcome::created).hasSize(1);
    List<Long> sorted = latencyMs.stream().sorted().toList();
    System.out.printf("figures %s: %d callers, %d run, wall %d ms, per-call latency min %d ms, median %d ms, max %d ms%n",
        getClass().getSimpleName(), callers, runs.get(), (System.nanoTime() - began) / 1_000_000, sorted.get(0),
        sorted.get(callers / 2), sorted.get(callers - 1));
  }

  @Test
  void sameKeyWithAnotherRequestIsAReuseErrorAndLeavesTheFirstResultUntouched() {
    IdempotentActions actions = IdempotentActions.using(store);
    actions.once(ACTION, KEY, REQUEST, Job.class, createJob());

    CreateJob other = new CreateJob("acct_99999", "P-7", CUSTOMER_NOTE);
    assertThatThrownBy(() -> actions.once(ACTION, KEY, other, Job.class, createJob()))
        .isInstanceOf(IdempotencyKeyReuseException.class)
        .hasMessageContaining(KEY).hasMessageContaining(ACTION)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("acct_99999", CUSTOMER_NOTE, "job_acct"));

    ActionOutcome<Job> again = actions.once(ACTION, KEY, REQUEST, Job.class, createJob());
    assertThat(again.created()).isFalse();
    assertThat(again.value()).isEqualTo(JOB);
    assertThat(runs).hasValue(1);
  }

  @Test
  void theFingerprintIgnoresPropertyOrder() {
    IdempotentActions actions = IdempotentActions.using(store);
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("account_id", "acct_10234");
    ab.put("policy_line", "P-7");
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("policy_line", "P-7");
    ba.put("account_id", "acct_10234");

    actions.once(ACTION, KEY, ab, Job.class, createJob());
    ActionOutcome<Job> again = actions.once(ACTION, KEY, ba, Job.class, createJob());

    assertThat(again.created()).isFalse();
    assertThat(runs).hasValue(1);
  }

  @Test
  void aCallThatFindsTheKeyInProgressWaitsThenSaysSo() {
    ActionEntry other = store.claim(ACTION, KEY, fingerprintOf(REQUEST), "other-owner", Duration.ofMinutes(5));
    assertThat(other.claimedBy("other-owner")).isTrue();
    IdempotentActions actions = actions().waitFor(Duration.ofMillis(150)).build();

    long t0 = System.nanoTime();
    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Job.class, createJob()))
        .isInstanceOf(ActionInProgressException.class)
        .hasMessageContaining("in progress");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    assertThat(runs).hasValue(0);
  }

  @Test
  void aWaitingCallGetsTheResultOnceTheRunningCallFinishes() throws Exception {
    IdempotentActions actions = actions().waitFor(Duration.ofSeconds(10)).build();
    CountDownLatch acting = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<ActionOutcome<Job>> first = pool.submit(() -> actions.once(ACTION, KEY, REQUEST, Job.class, () -> {
        acting.countDown();
        finish.await();
        return JOB;
      }));
      assertThat(acting.await(10, TimeUnit.SECONDS)).isTrue();
      new Thread(() -> sleepThen(200, finish::countDown)).start();

      ActionOutcome<Job> waited = actions.once(ACTION, KEY, REQUEST, Job.class, createJob());

      assertThat(waited.created()).isFalse();
      assertThat(waited.value()).isEqualTo(JOB);
      assertThat(first.get(10, TimeUnit.SECONDS).created()).isTrue();
      assertThat(runs).hasValue(0);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClaimWhoseOwnerDiedIsTakenOverAfterItsLeaseAndNotBefore() {
    Duration lease = Duration.ofMillis(800);
    store.claim(ACTION, KEY, fingerprintOf(REQUEST), "dead-owner", lease);
    long claimedAt = System.nanoTime();

    assertThatThrownBy(() -> actions().waitFor(Duration.ZERO).build().once(ACTION, KEY, REQUEST, Job.class, createJob()))
        .isInstanceOf(ActionInProgressException.class);
    ActionOutcome<Job> taken = actions().waitFor(Duration.ofSeconds(10)).build()
        .once(ACTION, KEY, REQUEST, Job.class, createJob());

    assertThat(Duration.ofNanos(System.nanoTime() - claimedAt)).isGreaterThanOrEqualTo(lease);
    assertThat(taken.created()).isTrue();
    assertThat(runs).hasValue(1);
  }

  @Test
  void anExpiredClaimIsNotTakenOverWithAnotherRequest() {
    store.claim(ACTION, KEY, fingerprintOf(REQUEST), "dead-owner", Duration.ofMillis(1));
    sleepThen(50, () -> {});

    CreateJob other = new CreateJob("acct_99999", "P-7", "x");
    assertThatThrownBy(() -> IdempotentActions.using(store).once(ACTION, KEY, other, Job.class, createJob()))
        .isInstanceOf(IdempotencyKeyReuseException.class);
    assertThat(runs).hasValue(0);
  }

  @Test
  void aCallThatOutlivesItsLeaseAndIsTakenOverIsToldItMayHaveRunTwice() throws Exception {
    IdempotentActions actions = actions().lease(Duration.ofMillis(200)).waitFor(Duration.ofSeconds(10)).build();
    CountDownLatch acting = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<ActionOutcome<Job>> slow = pool.submit(() -> actions.once(ACTION, KEY, REQUEST, Job.class, () -> {
        acting.countDown();
        secondDone.await();
        return new Job("job_acct_10234_slow", "acct_10234");
      }));
      assertThat(acting.await(10, TimeUnit.SECONDS)).isTrue();
      ActionOutcome<Job> second = actions.once(ACTION, KEY, REQUEST, Job.class, createJob());
      secondDone.countDown();

      assertThat(second.created()).isTrue();
      assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ActionFailedException.class)
          .satisfies(e -> assertThat(((ActionFailedException) e.getCause()).reason()).isEqualTo(Reason.LEASE_LOST));
      // the store keeps the result of the call that held the claim
      assertThat(actions.once(ACTION, KEY, REQUEST, Job.class, createJob()).value()).isEqualTo(JOB);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFirstRunIsAttemptOneWithNoCheckpointAndNoTakeover() {
    List<String> seen = new ArrayList<>();
    IdempotentActions.using(store).once(ACTION, KEY, REQUEST, Job.class, ctx -> {
      seen.add(ctx.takeover() + " " + ctx.attempt() + " " + ctx.fencingToken() + " " + ctx.lastCheckpoint());
      ctx.checkpoint("job created: job_acct_10234_001");
      seen.add(ctx.lastCheckpoint().orElseThrow());
      return JOB;
    });

    assertThat(seen).containsExactly("false 1 1 Optional.empty", "job created: job_acct_10234_001");
  }

  @Test
  void aTakeoverOfADeadRunSeesItsCheckpointAndAHigherFencingToken() {
    String dead = "dead-owner";
    ActionEntry first = store.claim(ACTION, KEY, fingerprintOf(REQUEST), dead, Duration.ofMillis(100));
    assertThat(store.checkpoint(ACTION, KEY, dead, "job created: job_acct_10234_001")).isTrue();
    sleepThen(150, () -> {});

    List<ActionContext> contexts = new ArrayList<>();
    ActionOutcome<Job> taken = actions().waitFor(Duration.ofSeconds(5)).build().once(ACTION, KEY, REQUEST, Job.class, ctx -> {
      contexts.add(ctx);
      runs.incrementAndGet();
      // the dead run created the job: finish it instead of creating a second one
      return ctx.lastCheckpoint().map(c -> new Job(c.substring(c.indexOf(": ") + 2), "acct_10234")).orElseThrow();
    });

    assertThat(taken.value()).isEqualTo(JOB);
    assertThat(contexts).singleElement().satisfies(ctx -> {
      assertThat(ctx.takeover()).isTrue();
      assertThat(ctx.attempt()).isEqualTo(2);
      assertThat(ctx.fencingToken()).isGreaterThan(first.fence());
      assertThat(ctx.lastCheckpoint()).contains("job created: job_acct_10234_001");
    });
  }

  @Test
  void aLateWriteFromAFencedOffRunIsRefused() {
    String fencedOff = "owner-that-lost-its-lease";
    store.claim(ACTION, KEY, fingerprintOf(REQUEST), fencedOff, Duration.ofMillis(50));
    sleepThen(100, () -> {});
    ActionEntry taken = store.claim(ACTION, KEY, fingerprintOf(REQUEST), "new-owner", Duration.ofSeconds(30));
    assertThat(taken.claimedBy("new-owner")).isTrue();

    assertThat(store.checkpoint(ACTION, KEY, fencedOff, "late checkpoint")).isFalse();
    assertThat(store.finish(ACTION, KEY, fencedOff, ActionEntry.State.COMPLETED, "{}", null)).isFalse();
    assertThat(store.release(ACTION, KEY, fencedOff)).isFalse();
    ActionEntry now = store.claim(ACTION, KEY, fingerprintOf(REQUEST), "third", Duration.ofSeconds(30));
    assertThat(now.owner()).isEqualTo("new-owner");
    assertThat(now.checkpoint()).isNull();
    assertThat(now.state()).isEqualTo(ActionEntry.State.CLAIMED);
  }

  @Test
  void aRunThatLostItsClaimIsStoppedAtItsNextCheckpoint() throws Exception {
    IdempotentActions actions = actions().lease(Duration.ofMillis(100)).waitFor(Duration.ofSeconds(5)).build();
    CountDownLatch acting = new CountDownLatch(1);
    CountDownLatch takenOver = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<ActionOutcome<Job>> slow = pool.submit(() -> actions.once(ACTION, KEY, REQUEST, Job.class, ctx -> {
        acting.countDown();
        takenOver.await();
        ctx.checkpoint("job created: job_acct_10234_slow");
        runs.incrementAndGet();
        return new Job("job_acct_10234_slow", "acct_10234");
      }));
      assertThat(acting.await(10, TimeUnit.SECONDS)).isTrue();
      ActionOutcome<Job> second = actions.once(ACTION, KEY, REQUEST, Job.class, ctx -> {
        assertThat(ctx.takeover()).isTrue();
        return JOB;
      });
      takenOver.countDown();

      assertThat(second.value()).isEqualTo(JOB);
      assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ActionFailedException.class)
          .satisfies(e -> assertThat(((ActionFailedException) e.getCause()).reason()).isEqualTo(Reason.LEASE_LOST));
      assertThat(runs).hasValue(0); // the fenced-off run stopped before its side effect
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRunThatFailsAfterACheckpointLeavesItForTheRetry() {
    IdempotentActions actions = IdempotentActions.using(store);
    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Job.class, ctx -> {
      ctx.checkpoint("job created: job_acct_10234_001");
      throw new IllegalStateException("the job service timed out after creating the job");
    })).isInstanceOf(IllegalStateException.class);

    List<String> seen = new ArrayList<>();
    actions.once(ACTION, KEY, REQUEST, Job.class, ctx -> {
      seen.add(ctx.takeover() + " " + ctx.lastCheckpoint().orElse("none"));
      return JOB;
    });

    assertThat(seen).containsExactly("true job created: job_acct_10234_001");
  }

  @Test
  void aCheckpointIsBoundedAndNeverInAnEntrysText() {
    IdempotentActions actions = IdempotentActions.using(store);
    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Job.class, ctx -> {
      ctx.checkpoint("x".repeat(ActionContext.MAX_CHECKPOINT_LENGTH + 1));
      return JOB;
    })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1000 characters");
    store.claim(ACTION, "other", fingerprintOf(REQUEST), "o", Duration.ofSeconds(5));
    store.checkpoint(ACTION, "other", "o", CUSTOMER_NOTE);
    assertThat(store.claim(ACTION, "other", fingerprintOf(REQUEST), "p", Duration.ofSeconds(5)).toString())
        .doesNotContain(CUSTOMER_NOTE);
  }

  @Test
  void aFailureReleasesTheClaimByDefaultSoTheRetryRunsAgain() {
    IdempotentActions actions = IdempotentActions.using(store);
    IllegalStateException down = new IllegalStateException("job service unavailable");

    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Job.class, () -> {
      runs.incrementAndGet();
      throw down;
    })).isSameAs(down);
    ActionOutcome<Job> retry = actions.once(ACTION, KEY, REQUEST, Job.class, createJob());

    assertThat(retry.created()).isTrue();
    assertThat(runs).hasValue(2);
  }

  @Test
  void aFailureTheRuleRecordsIsReplayedWithoutRunningAgain() {
    IdempotentActions actions = actions().recordFailureWhen(e -> e instanceof IllegalArgumentException).build();

    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Job.class, () -> {
      runs.incrementAndGet();
      throw new IllegalArgumentException("account closed: " + CUSTOMER_NOTE);
    })).isInstanceOf(IllegalArgumentException.class);

    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Job.class, createJob()))
        .isInstanceOfSatisfying(ActionFailedException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.FAILED_EARLIER);
          assertThat(e.failureType()).isEqualTo(IllegalArgumentException.class.getName());
          assertThat(e.getMessage()).contains(KEY).doesNotContain(CUSTOMER_NOTE);
        });
    assertThat(runs).hasValue(1);
  }

  @Test
  void aCheckedExceptionIsWrappedAndReleasesTheClaim() {
    IdempotentActions actions = IdempotentActions.using(store);
    IOException io = new IOException("connection reset");

    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Job.class, () -> {
      throw io;
    })).isInstanceOfSatisfying(ActionFailedException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.THREW);
      assertThat(e.getCause()).isSameAs(io);
      assertThat(e.failureType()).isEqualTo(IOException.class.getName());
    });
    assertThat(actions.once(ACTION, KEY, REQUEST, Job.class, createJob()).created()).isTrue();
  }

  @Test
  void badKeysAndActionNamesAreRejectedBeforeAnythingIsClaimed() {
    IdempotentActions actions = IdempotentActions.using(store);
    String oversized = "k".repeat(IdempotentActions.MAX_KEY_LENGTH + 1);

    assertThatThrownBy(() -> actions.once(ACTION, (String) null, REQUEST, Job.class, createJob()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
    assertThatThrownBy(() -> actions.once(ACTION, "  ", REQUEST, Job.class, createJob()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    assertThatThrownBy(() -> actions.once(ACTION, oversized, REQUEST, Job.class, createJob()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 characters; at most 255")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(oversized));
    assertThatThrownBy(() -> actions.once(ACTION, "rotate\nacct", REQUEST, Job.class, createJob()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
    assertThatThrownBy(() -> actions.once("create rotation job", KEY, REQUEST, Job.class, createJob()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("action name");
    assertThat(runs).hasValue(0);

    // the longest allowed key works, and the key was never claimed by the failed calls
    String longest = "k".repeat(IdempotentActions.MAX_KEY_LENGTH);
    assertThat(actions.once(ACTION, longest, REQUEST, Job.class, createJob()).created()).isTrue();
    assertThat(actions.once(ACTION, KEY, REQUEST, Job.class, createJob()).created()).isTrue();
  }

  /** Jackson cannot write a bean with no properties. */
  static final class Opaque {
    private final String secret = CUSTOMER_NOTE;

    @Override
    public String toString() {
      return secret;
    }
  }

  @Test
  void aRequestThatCannotBeFingerprintedIsRejectedAndClaimsNothing() {
    IdempotentActions actions = IdempotentActions.using(store);

    assertThatThrownBy(() -> actions.once(ACTION, KEY, new Opaque(), Job.class, createJob()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be written as JSON")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CUSTOMER_NOTE));

    assertThat(actions.once(ACTION, KEY, REQUEST, Job.class, createJob()).created()).isTrue();
  }

  @Test
  void aResultThatCannotBeStoredFailsLoudlyAndTheActionDoesNotRunTwice() {
    IdempotentActions actions = IdempotentActions.using(store);
    ActionBody<Opaque> body = () -> {
      runs.incrementAndGet();
      return new Opaque();
    };

    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Opaque.class, body))
        .isInstanceOfSatisfying(ActionFailedException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.RESULT_NOT_STORABLE);
          assertThat(e.getMessage()).contains(Opaque.class.getName()).doesNotContain(CUSTOMER_NOTE);
        });
    // nothing stays claimed: the repeat is told at once, without waiting for a lease
    assertThatThrownBy(() -> actions().waitFor(Duration.ZERO).build().once(ACTION, KEY, REQUEST, Opaque.class, body))
        .isInstanceOfSatisfying(ActionFailedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.FAILED_EARLIER));
    assertThat(runs).hasValue(1);
  }

  /** Jackson writes it (a getter) but cannot read it back (no creator). */
  static final class WriteOnly {
    public String getId() {
      return "job_acct_10234_001";
    }
  }

  @Test
  void aResultThatCannotBeReadBackIsNotStored() {
    IdempotentActions actions = IdempotentActions.using(store);

    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, WriteOnly.class, WriteOnly::new))
        .isInstanceOfSatisfying(ActionFailedException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.RESULT_NOT_STORABLE);
          assertThat(e.failureType()).contains(WriteOnly.class.getName(), "UnrecognizedPropertyException");
          // Jackson's own message would quote the stored JSON; it is not chained
          assertThat(e).hasNoCause().message().doesNotContain("job_acct_10234_001");
        });
  }

  @Test
  void aFinishedKeyIsFreeAgainAfterItsRetentionAndNotBefore() {
    IdempotentActions actions = actions().retention(Duration.ofSeconds(1)).build();

    actions.once(ACTION, KEY, REQUEST, Job.class, createJob());
    assertThat(actions.once(ACTION, KEY, REQUEST, Job.class, createJob()).created()).isFalse();
    sleepThen(1_100, () -> {});
    // after retention, even another request may use the key
    ActionOutcome<Job> later = actions.once(ACTION, KEY, new CreateJob("acct_10234", "P-9", ""), Job.class, createJob());

    assertThat(later.created()).isTrue();
    assertThat(runs).hasValue(2);
  }

  @Test
  void aNullResultIsStoredAndReplayed() {
    IdempotentActions actions = IdempotentActions.using(store);
    ActionBody<Job> nothing = () -> {
      runs.incrementAndGet();
      return null;
    };

    assertThat(actions.once(ACTION, KEY, REQUEST, Job.class, nothing).value()).isNull();
    ActionOutcome<Job> again = actions.once(ACTION, KEY, REQUEST, Job.class, nothing);

    assertThat(again.created()).isFalse();
    assertThat(again.value()).isNull();
    assertThat(runs).hasValue(1);
  }

  /** Runs {@code call} on {@code callers} threads released at the same moment; returns their results. */
  static <T> List<T> runConcurrently(int callers, Callable<T> call) throws Exception {
    CyclicBarrier start = new CyclicBarrier(callers);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        futures.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return call.call();
        }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  static String fingerprintOf(Object request) {
    return new RequestFingerprint(new ObjectMapper()).of(request);
  }

  static void sleepThen(long ms, Runnable then) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    then.run();
  }
}
