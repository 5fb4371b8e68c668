package dev.llmtask.codegen;

import dev.llmtask.CallRecord;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmStream;
import dev.llmtask.RateCard;
import dev.llmtask.Sampling;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Task calls that are not sent now: for modules that submit many calls of one task through a
 * provider's Batch API and check the answers later. The processor-generated code stays the source
 * of truth: {@link #capture} runs a call of a generated task method but, instead of sending it,
 * keeps its {@link TaskSpec} and {@link Invocation}; {@link #plan} resolves the route, model and
 * sampling settings a synchronous call's first turn would use (with the invocation's prompts and the
 * spec's schema, everything a {@code ModelRequest} needs), and {@link #check} puts an answer through
 * the same decode, Bean Validation and {@code @Check} steps as a synchronous call.
 *
 * <p>Application code does not use this class; the batch module does.
 */
public final class DeferredCalls {
  private static final ThreadLocal<Capture> CAPTURE = new ThreadLocal<>();

  private DeferredCalls() {}

  /** A captured call of a task method: its task and its invocation. */
  public record Captured<T>(TaskSpec<T> spec, Invocation<T> invocation) {
    public Captured {
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(invocation, "invocation");
    }
  }

  /**
   * What the first turn of a synchronous call would send, resolved by the runtime's policy
   * precedence (call options, per-task configuration, model override, annotation, defaults).
   *
   * @param provider the name of the provider the call goes to (the runtime's default provider)
   * @param model the model
   * @param maxOutputTokens the output token cap
   * @param sampling the other sampling settings
   */
  public record Plan(String provider, String model, int maxOutputTokens, Sampling sampling) {}

  /**
   * The verdict on an answer.
   *
   * @param value the decoded, valid value, or {@code null} when invalid
   * @param violations what is wrong, without answer text; empty when valid
   * @param feedback what a re-ask would tell the model (may quote the answer: never log it)
   */
  public record Checked<T>(T value, List<String> violations, String feedback) {
    public Checked {
      violations = List.copyOf(violations);
    }

    public boolean valid() {
      return violations.isEmpty();
    }

    /** The violations joined, for telemetry: never answer text. */
    public String reason() {
      return String.join("; ", violations);
    }
  }

  /**
   * Runs {@code taskMethodCall}, which must call exactly one method of a generated task client,
   * and returns that call, unsent.
   *
   * @throws IllegalArgumentException when the supplier calls no task method
   */
  @SuppressWarnings("unchecked")
  public static <T> Captured<T> capture(Supplier<?> taskMethodCall) {
    Objects.requireNonNull(taskMethodCall, "taskMethodCall");
    Capture previous = CAPTURE.get();
    Capture capture = new Capture();
    CAPTURE.set(capture);
    try {
      taskMethodCall.get();
    } catch (CapturedSignal signal) {
      return (Captured<T>) capture.captured;
    } finally {
      if (previous == null) {
        CAPTURE.remove();
      } else {
        CAPTURE.set(previous);
      }
    }
    throw new IllegalArgumentException("the function given for a deferred call made no task call: it must call one"
        + " method of a client created with LlmTasks.create(…), returning the task's value");
  }

  /**
   * What the first turn of a synchronous call would send on {@code runtime}.
   *
   * @throws IllegalStateException when the call resolves to no model
   */
  public static <T> Plan plan(LlmRuntime runtime, Captured<T> call) {
    return TaskRunners.runnerOf(runtime).plan(call.spec(), call.invocation());
  }

  /** Checks {@code answer} (the model's answer text) exactly as a synchronous call on {@code runtime} would. */
  public static <T> Checked<T> check(LlmRuntime runtime, Captured<T> call, String answer) {
    return TaskRunners.runnerOf(runtime).check(call.spec(), call.invocation(), answer);
  }

  /** Delivers {@code record} to the runtime's telemetry sinks. */
  public static void deliver(LlmRuntime runtime, CallRecord record) {
    TaskRunners.runnerOf(runtime).deliver(Objects.requireNonNull(record, "record"));
  }

  /** The runtime's rate card. */
  public static RateCard rateCard(LlmRuntime runtime) {
    return TaskRunners.runnerOf(runtime).rateCard();
  }

  /** The capturing runner while {@link #capture} runs on this thread, else {@code null}. */
  static TaskRunner capturing() {
    Capture capture = CAPTURE.get();
    return capture == null ? null : capture;
  }

  /** Unwinds the generated method once its call is captured; no stack trace (it is no error). */
  private static final class CapturedSignal extends RuntimeException {
    CapturedSignal() {
      super("captured", null, false, false);
    }
  }

  private static final class Capture implements TaskRunner {
    private Captured<?> captured;

    private <T> CapturedSignal keep(TaskSpec<T> spec, Invocation<T> invocation) {
      captured = new Captured<>(spec, invocation);
      return new CapturedSignal();
    }

    @Override
    public <T> LlmResult<T> call(TaskSpec<T> spec, Invocation<T> invocation) {
      throw keep(spec, invocation);
    }

    @Override
    public <T> CompletableFuture<LlmResult<T>> callAsync(TaskSpec<T> spec, Invocation<T> invocation) {
      throw keep(spec, invocation);
    }

    @Override
    public <T> LlmStream<T> stream(TaskSpec<T> spec, Invocation<T> invocation) {
      throw keep(spec, invocation);
    }

    @Override
    public void checkRoutes(TaskSpec<?> spec) {
      // a client created inside a capture is checked when it is created outside one
    }
  }
}
