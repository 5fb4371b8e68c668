package dev.llmtask.codegen;

import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmStream;
import dev.llmtask.Sampling;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the processor knows at compile time about one task method: its contract (name,
 * prompt version, model, timeout, retry and re-ask caps), its output schemas and its decoder.
 * Generated code holds one per task method in a {@code static final} field and calls it with the
 * runtime and an {@link Invocation}.
 *
 * @param <T> the task's answer type
 */
public final class TaskSpec<T> {
  /** Marks an int policy left to the runtime's configuration or default. */
  public static final int INHERIT = -1;

  private final String name;
  private final String declaredBy;
  private final String promptVersion;
  private final String model;
  private final Duration timeout;
  private final int maxRetries;
  private final int repairs;
  private final OutputSchema schema;
  private final OutputDecoder<T> decoder;
  private final Duration cacheTtl;
  private final List<String> fallbacks;
  private final Set<CallStatus> fallbackOn;
  private final Sampling sampling;
  private final List<ToolSet<?>> tools;

  private TaskSpec(Builder<T> b) {
    this.name = b.name;
    this.declaredBy = b.declaredBy;
    this.promptVersion = Objects.requireNonNull(b.promptVersion, "promptVersion");
    this.model = b.model;
    this.timeout = b.timeout;
    this.maxRetries = b.maxRetries;
    this.repairs = b.repairs;
    this.schema = Objects.requireNonNull(b.schema, "schema");
    this.decoder = b.decoder;
    this.cacheTtl = b.cacheTtl;
    this.fallbacks = b.fallbacks;
    this.fallbackOn = b.fallbackOn;
    this.sampling = b.sampling;
    this.tools = b.tools;
  }

  /** Starts a spec for the task {@code name} whose answers {@code decoder} decodes. */
  public static <T> Builder<T> builder(String name, OutputDecoder<T> decoder) {
    return new Builder<>(name, decoder);
  }

  /** Runs the call and returns the validated value; failures throw {@link dev.llmtask.LlmTaskException}. */
  public T call(LlmRuntime runtime, Invocation<T> invocation) {
    return callForResult(runtime, invocation).value();
  }

  /** Runs the call and returns the validated value with its record. */
  public LlmResult<T> callForResult(LlmRuntime runtime, Invocation<T> invocation) {
    return TaskRunners.of(runtime).call(this, invocation);
  }

  /** Runs the call asynchronously; the future fails with {@link dev.llmtask.LlmTaskException}. */
  public CompletableFuture<T> callAsync(LlmRuntime runtime, Invocation<T> invocation) {
    CompletableFuture<LlmResult<T>> call = callForResultAsync(runtime, invocation);
    CompletableFuture<T> value = call.thenApply(LlmResult::value);
    // a derived stage does not pass cancellation back; do it, so cancel(true) stops the call
    value.whenComplete((v, failure) -> {
      if (value.isCancelled()) {
        call.cancel(true);
      }
    });
    return value;
  }

  /** Runs the call asynchronously, completing with the validated value and its record. */
  public CompletableFuture<LlmResult<T>> callForResultAsync(LlmRuntime runtime, Invocation<T> invocation) {
    return TaskRunners.of(runtime).callAsync(this, invocation);
  }

  /** Starts a streamed call; the returned stream is already running. */
  public LlmStream<T> stream(LlmRuntime runtime, Invocation<T> invocation) {
    return TaskRunners.of(runtime).stream(this, invocation);
  }

  /**
   * Checks that {@code runtime} can serve this task's routes: every provider they name is registered,
   * and each accepts the task's sampling settings. Generated constructors call it, so a task naming a
   * provider the runtime lacks fails when it is created, not at its first call.
   *
   * @throws IllegalStateException naming the task, the route and what to change
   */
  public void checkRoutes(LlmRuntime runtime) {
    TaskRunners.of(runtime).checkRoutes(this);
  }

  public String name() {
    return name;
  }

  /** {@code com.example.RotationDesk#decideRotation}, for messages. */
  public String declaredBy() {
    return declaredBy;
  }

  public String promptVersion() {
    return promptVersion;
  }

  /** The declared model, or {@code null} to use the runtime's default. */
  public String model() {
    return model;
  }

  /** The declared overall timeout, or {@code null} to use the runtime's default. */
  public Duration timeout() {
    return timeout;
  }

  /** The declared retry cap, or {@link #INHERIT}. */
  public int maxRetries() {
    return maxRetries;
  }

  /** The declared re-ask cap, or {@link #INHERIT}. */
  public int repairs() {
    return repairs;
  }

  public OutputSchema schema() {
    return schema;
  }

  /** The declared fallback routes ({@code provider/model}), in order; empty when none. */
  public List<String> fallbacks() {
    return fallbacks;
  }

  /** The declared fallback statuses, or {@code null} for the runtime's defaults. */
  public Set<CallStatus> fallbackOn() {
    return fallbackOn;
  }

  /** The declared sampling settings (each unset one inherits). */
  public Sampling sampling() {
    return sampling;
  }

  /** The tool sets the task may use ({@code @LlmTask(tools = …)}); empty when none. */
  public List<ToolSet<?>> tools() {
    return tools;
  }

  public OutputDecoder<T> decoder() {
    return decoder;
  }

  /** The TTL of {@code @Cached}, or {@code null} when the declaration does not cache the task. */
  public Duration cacheTtl() {
    return cacheTtl;
  }

  @Override
  public String toString() {
    return "TaskSpec[" + name + " " + promptVersion + "]";
  }

  /** Builder of {@link TaskSpec}; generated code calls it once per task, in a static initializer. */
  public static final class Builder<T> {
    private final String name;
    private final OutputDecoder<T> decoder;
    private String declaredBy = "";
    private String promptVersion;
    private String model;
    private Duration timeout;
    private int maxRetries = INHERIT;
    private int repairs = INHERIT;
    private OutputSchema schema;
    private Duration cacheTtl;
    private List<String> fallbacks = List.of();
    private Set<CallStatus> fallbackOn;
    private Sampling sampling = Sampling.none();
    private List<ToolSet<?>> tools = List.of();

    private Builder(String name, OutputDecoder<T> decoder) {
      this.name = Objects.requireNonNull(name, "name");
      this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    public Builder<T> declaredBy(String declaredBy) {
      this.declaredBy = Objects.requireNonNull(declaredBy, "declaredBy");
      return this;
    }

    public Builder<T> promptVersion(String promptVersion) {
      this.promptVersion = promptVersion;
      return this;
    }

    public Builder<T> model(String model) {
      this.model = model;
      return this;
    }

    public Builder<T> timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder<T> maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    public Builder<T> repairs(int repairs) {
      this.repairs = repairs;
      return this;
    }

    public Builder<T> schema(OutputSchema schema) {
      this.schema = schema;
      return this;
    }

    /** The TTL of {@code @Cached}. */
    public Builder<T> cacheTtl(Duration cacheTtl) {
      this.cacheTtl = cacheTtl;
      return this;
    }

    /** The fallback routes, each {@code provider/model}. */
    public Builder<T> fallbacks(String... routes) {
      this.fallbacks = List.of(routes);
      return this;
    }

    /** The statuses that move a call to the next route. */
    public Builder<T> fallbackOn(CallStatus... statuses) {
      Set<CallStatus> set = EnumSet.noneOf(CallStatus.class);
      set.addAll(List.of(statuses));
      this.fallbackOn = Set.copyOf(set);
      return this;
    }

    /** The sampling settings the annotation writes. */
    public Builder<T> sampling(Sampling sampling) {
      this.sampling = Objects.requireNonNull(sampling, "sampling");
      return this;
    }

    /** The tool sets the task may use. */
    public Builder<T> tools(ToolSet<?>... tools) {
      this.tools = List.of(tools);
      return this;
    }

    public TaskSpec<T> build() {
      return new TaskSpec<>(this);
    }
  }
}
