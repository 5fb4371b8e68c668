package dev.llmtask.internal.pipeline;

import dev.llmtask.LlmResult;
import dev.llmtask.LlmStream;
import dev.llmtask.codegen.DeferredCalls;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskRunner;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ProviderException;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.ExchangeInterceptor;
import dev.llmtask.spi.Outcome;
import dev.llmtask.spi.TaskCall;
import dev.llmtask.spi.TaskCall.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one engine of every task call, blocking, async or streamed: a chain of call links around a
 * chain of exchange links, built-ins and the user's interceptors alike. The order is assembled here
 * and nowhere else:
 *
 * <pre>
 * call links      RecordLink        one record per call, the deadline (outermost, so always)
 *                 user CallInterceptors, in the order registered
 *                 FallbackLink      the task's routes in order, with their circuit breakers
 *                 CacheLink         the response cache, when a store is configured
 *                 RepairLink        answer checks, re-asks and tool rounds (ToolRounds); each model turn runs the exchange links
 * exchange links  RetryLink         classified retries with backoff (Failsafe)
 *                 user ExchangeInterceptors, in the order registered
 *                 BudgetLink        reserves each attempt's estimated spend, or refuses it (when budgets are set)
 *                 RateLimitLink     takes a permit of the attempt's route and waits for it (when rate limits are set)
 *                 ProviderLink      the HTTP exchange, as the call's mode needs it
 * </pre>
 *
 * Only the links that must look at the mode: {@link ProviderLink} (which exchange), {@link RetryLink}
 * and {@link CallState#delay} (how to wait), {@link RepairLink} (no re-ask for a stream).
 */
final class Pipeline implements TaskRunner {
  /** How long an idle scheduler thread lives; a busy runtime keeps its threads, an unused one lets them end. */
  private static final Duration SCHEDULER_IDLE = Duration.ofSeconds(5);

  final RuntimeSettings settings;
  final String defaultProviderName;
  final RecordLink recordLink;
  private final CallInterceptor[] callLinks;
  /** The call links from this index on are built in (fallback, repair): they return failed outcomes, never throw. */
  private final int innerBuiltIns;
  private final ExchangeInterceptor[] exchangeLinks;
  /** The exchange links from this index on are built in (budgets, provider): they return failed stages, never throw. */
  private final int exchangeBuiltIns;
  /** Schedules retries, waits and the deadline tick; never blocks, so two threads serve any number of calls. */
  final ScheduledExecutorService scheduler;
  /** Failsafe's view of it: attempts due now run on the calling thread. */
  final InlineFirstScheduler failsafeScheduler;
  /** Watches the deadlines and stream idle timers of the calls in flight. */
  final CallTicker ticker;
  /** Checks every answer; shared with deferred calls, so a batch answer is judged as a synchronous one. */
  private final OutputValidator validator = new OutputValidator();
  private final TelemetryDispatcher telemetry;
  /** Runs the tools of the tasks that declare them. */
  final ToolRounds toolRounds;

  Pipeline(RuntimeSettings settings) {
    this.settings = settings;
    this.defaultProviderName = settings.provider().name();
    this.telemetry = new TelemetryDispatcher(settings.sinks());
    this.recordLink = new RecordLink(settings.rateCard(),
        settings.fingerprintKey() == null ? null : new Fingerprints(settings.fingerprintKey()), telemetry);

    List<CallInterceptor> calls = new ArrayList<>();
    calls.add(recordLink);
    calls.addAll(settings.callInterceptors());
    this.innerBuiltIns = calls.size();
    calls.add(new FallbackLink(new RouteBreakers(settings.breakerFailures(), settings.breakerCooldown())));
    if (settings.responseStore() != null) {
      calls.add(new CacheLink(settings.responseStore(), cacheKey(settings), settings.rateCard(), validator));
    }
    this.toolRounds = new ToolRounds(settings.toolbox(), validator);
    calls.add(new RepairLink(validator, settings.maxOutputTokens(), toolRounds,
        settings.toolbox() == null ? dev.llmtask.tool.Toolbox.DEFAULT_MAX_ROUNDS : settings.toolbox().maxRounds()));
    this.callLinks = calls.toArray(CallInterceptor[]::new);

    List<ExchangeInterceptor> exchanges = new ArrayList<>();
    exchanges.add(new RetryLink(new Backoff(settings.backoffBase(), settings.backoffCap())));
    exchanges.addAll(settings.exchangeInterceptors());
    this.exchangeBuiltIns = exchanges.size();
    if (settings.budgets() != null) {
      exchanges.add(new BudgetLink(settings.budgets(), settings.rateCard()));
    }
    if (settings.rateLimits() != null) {
      exchanges.add(new RateLimitLink(settings.rateLimits()));
    }
    exchanges.add(new ProviderLink(settings.providers()));
    this.exchangeLinks = exchanges.toArray(ExchangeInterceptor[]::new);

    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "llmtask-scheduler-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.setRemoveOnCancelPolicy(true); // a cancelled retry delay leaves the queue at once
    // idle threads end, so a runtime that is no longer used holds no thread and can be collected
    pool.setKeepAliveTime(SCHEDULER_IDLE.toMillis(), TimeUnit.MILLISECONDS);
    pool.allowCoreThreadTimeOut(true);
    this.scheduler = pool;
    this.failsafeScheduler = new InlineFirstScheduler(pool);
    this.ticker = new CallTicker(pool);
  }

  /** The fingerprint key, else (a store of this process only) a random key of this runtime. */
  private static byte[] cacheKey(RuntimeSettings settings) {
    if (settings.fingerprintKey() != null) {
      return settings.fingerprintKey();
    }
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return key;
  }

  /**
   * Checks, when a task is created, that this runtime can serve its routes: each names a registered
   * provider, and that provider accepts the sampling settings the task's routes will send (the call's own
   * options are checked at the call).
   *
   * @throws IllegalStateException naming the task, the route and what to change
   */
  @Override
  public void checkRoutes(TaskSpec<?> spec) {
    validator.needs(spec.decoder()); // a task checked by Hibernate Validator: start its bootstrap now
    for (dev.llmtask.codegen.ToolSet<?> set : spec.tools()) {
      for (dev.llmtask.codegen.ToolSpec<?, ?> tool : set.tools()) {
        if (tool.decoder() != null) {
          validator.needs(tool.decoder());
        }
      }
    }
    CallPolicy policy;
    try {
      policy = CallPolicy.resolve(spec, dev.llmtask.CallOptions.none(), settings);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(spec.declaredBy() + ": " + e.getMessage(), e);
    }
    List<Route> routes = new ArrayList<>();
    if (policy.model() != null) {
      routes.add(new Route(defaultProviderName, policy.model()));
    }
    routes.addAll(policy.fallbacks());
    toolRounds.check(spec);
    for (Route route : routes) {
      LlmProvider provider = settings.providers().get(route.provider());
      if (provider == null) {
        throw new IllegalStateException(spec.declaredBy() + " (task " + spec.name() + "): the route " + route
            + " names no provider registered with this runtime; register it with LlmRuntime.builder().provider(\""
            + route.provider() + "\", …) or change the route (registered: " + settings.providers().keySet() + ")");
      }
      try {
        provider.checkSampling(policy.sampling(settings, route.provider(), route.model()));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(spec.declaredBy() + " (task " + spec.name() + "), route " + route + ": "
            + e.getMessage(), e);
      }
    }
  }

  /** The first turn of a blocking call, resolved as {@link CallState} and {@link RepairLink} resolve it, unsent. */
  @Override
  public <T> DeferredCalls.Plan plan(TaskSpec<T> spec, Invocation<T> invocation) {
    CallPolicy policy = CallPolicy.resolve(spec, invocation.options(), settings);
    if (policy.model() == null) {
      throw new IllegalStateException(spec.declaredBy() + " (task " + spec.name() + "): " + RepairLink.NO_MODEL);
    }
    dev.llmtask.Sampling sampling = policy.sampling(settings, defaultProviderName, policy.model());
    int maxOutputTokens = sampling.maxOutputTokens() != null ? sampling.maxOutputTokens() : settings.maxOutputTokens();
    return new DeferredCalls.Plan(defaultProviderName, policy.model(), maxOutputTokens, sampling);
  }

  @Override
  public <T> DeferredCalls.Checked<T> check(TaskSpec<T> spec, Invocation<T> invocation, String answer) {
    OutputValidator.Verdict<T> verdict = validator.check(answer, spec.decoder(), invocation.checks());
    return new DeferredCalls.Checked<>(verdict.valid() ? verdict.value() : null, verdict.violations(),
        verdict.feedback());
  }

  @Override
  public void deliver(dev.llmtask.CallRecord record) {
    telemetry.deliver(record);
  }

  @Override
  public dev.llmtask.RateCard rateCard() {
    return settings.rateCard();
  }

  /** A blocking call, run on the caller's thread; failures throw {@link dev.llmtask.LlmTaskException} with the caller's stack. */
  @Override
  public <T> LlmResult<T> call(TaskSpec<T> spec, Invocation<T> invocation) {
    CallState<T> state = new CallState<>(this, spec, invocation, Mode.BLOCKING);
    try {
      runCallLink(state, 0, state.call);
    } finally {
      state.releaseOwner();
    }
    return state.awaitResult(); // complete here unless a user link went asynchronous
  }

  /**
   * An async call. The future fails with {@link dev.llmtask.LlmTaskException}; cancelling it cancels
   * the HTTP exchange and records the call {@link dev.llmtask.CallStatus#CANCELLED}.
   */
  @Override
  public <T> CompletableFuture<LlmResult<T>> callAsync(TaskSpec<T> spec, Invocation<T> invocation) {
    CallState<T> state = new CallState<>(this, spec, invocation, Mode.ASYNC);
    state.result.whenComplete((value, failure) -> {
      if (state.result.isCancelled()) {
        state.cancel();
      }
    });
    runCallLink(state, 0, state.call);
    return state.result;
  }

  /** A streamed call; the returned stream is already running. */
  @Override
  public <T> LlmStream<T> stream(TaskSpec<T> spec, Invocation<T> invocation) {
    CallState<T> state = new CallState<>(this, spec, invocation, Mode.STREAM);
    StreamFront<T> front = new StreamFront<>(state);
    state.front = front;
    runCallLink(state, 0, state.call);
    return front;
  }

  /** Runs the call link at {@code index}; a user link's exception or failed stage becomes a failed outcome naming it. */
  CompletableFuture<Outcome> runCallLink(CallState<?> state, int index, TaskCall call) {
    CallInterceptor link = callLinks[index];
    CallChain chain = new CallChain(state, index, call);
    if (index == 0 || index >= innerBuiltIns) {
      return link.intercept(chain).toCompletableFuture(); // built-ins never throw; they return failed outcomes
    }
    CompletionStage<Outcome> stage;
    try {
      stage = link.intercept(chain);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(RepairLink.failed(state, new LinkFailure("call interceptor", link, e)));
    }
    if (stage == null) {
      return CompletableFuture.completedFuture(RepairLink.failed(state,
          new LinkFailure("call interceptor", link, new NullPointerException("null stage"))));
    }
    return stage.toCompletableFuture().handle((outcome, failure) -> {
      if (failure != null) {
        return RepairLink.failed(state, new LinkFailure("call interceptor", link, unwrap(failure)));
      }
      return outcome != null ? outcome
          : RepairLink.failed(state, new LinkFailure("call interceptor", link, new NullPointerException("null outcome")));
    });
  }

  /** One model turn: the exchange chain from its first link (retries) to the provider. */
  CompletableFuture<ModelReply> exchange(CallState<?> state, TaskCall call, ModelRequest request) {
    return runExchangeLink(state, 0, call, request, 0);
  }

  /** Runs the exchange link at {@code index}; a user link's exception other than a classified provider failure becomes a {@link LinkFailure}. */
  CompletableFuture<ModelReply> runExchangeLink(CallState<?> state, int index, TaskCall call, ModelRequest request, int attempt) {
    ExchangeInterceptor link = exchangeLinks[index];
    ExchangeChain chain = new ExchangeChain(state, index, call, request, attempt);
    if (index == 0 || index >= exchangeBuiltIns) {
      return link.intercept(chain).toCompletableFuture();
    }
    CompletionStage<ModelReply> stage;
    try {
      stage = link.intercept(chain);
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new LinkFailure("exchange interceptor", link, e));
    }
    if (stage == null) {
      return CompletableFuture.failedFuture(new LinkFailure("exchange interceptor", link, new NullPointerException("null stage")));
    }
    CompletableFuture<ModelReply> f = stage.toCompletableFuture();
    if (f.isDone() && !f.isCompletedExceptionally()) {
      return f;
    }
    return f.handle((reply, failure) -> {
      Throwable t = failure == null ? null : unwrap(failure);
      if (t == null && reply == null) {
        t = new LinkFailure("exchange interceptor", link, new NullPointerException("null reply"));
      } else if (t != null && !(t instanceof ProviderException) && !(t instanceof LinkFailure)
          && !(t instanceof java.util.concurrent.CancellationException)) {
        t = new LinkFailure("exchange interceptor", link, t);
      }
      if (t != null) {
        throw t instanceof RuntimeException re ? new CompletionException(re) : new CompletionException(t);
      }
      return reply;
    });
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
