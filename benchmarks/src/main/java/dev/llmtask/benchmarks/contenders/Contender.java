package dev.llmtask.benchmarks.contenders;

import dev.llmtask.benchmarks.rotation.RotationDecision;
import java.util.concurrent.CompletableFuture;

/**
 * One way to make the benchmark's call. A blocking contender is driven by one thread per concurrent
 * call; an asynchronous one by a single thread keeping that many futures in flight.
 */
public interface Contender {

  /** Row label in the report. */
  String name();

  /** True when {@link #callAsync()} is the natural way to drive it. */
  boolean async();

  /** Makes one call and waits for its decoded answer. */
  RotationDecision call() throws Exception;

  /** Starts one call without blocking; only contenders whose {@link #async()} is true have it. */
  default CompletableFuture<RotationDecision> callAsync() {
    throw new UnsupportedOperationException(name() + " is a blocking contender; drive it with call()");
  }
}
