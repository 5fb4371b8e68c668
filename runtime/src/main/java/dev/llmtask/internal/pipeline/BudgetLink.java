package dev.llmtask.internal.pipeline;

import dev.llmtask.CallStatus;
import dev.llmtask.RateCard;
import dev.llmtask.budget.Budget;
import dev.llmtask.budget.BudgetAlert;
import dev.llmtask.budget.BudgetPeriod;
import dev.llmtask.budget.BudgetPolicy;
import dev.llmtask.budget.BudgetReservation;
import dev.llmtask.budget.BudgetScope;
import dev.llmtask.budget.Spend;
import dev.llmtask.budget.UnpricedModelRule;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ProviderException;
import dev.llmtask.spi.ExchangeInterceptor;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exchange link just before the provider: each attempt reserves its estimated spend in every
 * budget that applies, or is refused with {@code BUDGET_EXCEEDED} without a request. The estimate is
 * the prompt (system, user, schema and re-ask texts) at 4 characters a token plus the request's
 * output token cap, priced by the rate card; when the attempt ends, the reservation is settled with
 * the reply's real usage, or released when it failed. Alerts go out when a window's spend crosses a
 * threshold, once per window and threshold.
 */
final class BudgetLink implements ExchangeInterceptor {
  private final BudgetPolicy policy;
  private final RateCard rates;
  /** Window key and threshold of the alerts sent; calendar windows are dropped when their period ended. */
  private final Set<String> alerted = ConcurrentHashMap.newKeySet();

  BudgetLink(BudgetPolicy policy, RateCard rates) {
    this.policy = policy;
    this.rates = rates;
  }

  @Override
  public CompletionStage<ModelReply> intercept(Chain chain) {
    ExchangeChain c = (ExchangeChain) chain;
    CallState<?> state = c.state;
    List<Window> windows = windows(state, chain.call().task());
    if (windows.isEmpty()) {
      return c.proceedInternal(chain.request());
    }
    ModelRequest request = chain.request();
    long promptTokens = promptTokens(request);
    long tokens = promptTokens + request.maxOutputTokens();
    BigDecimal usd = rates.cost(request.model(), promptTokens, 0, request.maxOutputTokens());
    if (usd == null && policy.unpricedModels() == UnpricedModelRule.REFUSE) {
      return refused("the rate card has no price for model " + request.model() + " and the budget policy refuses"
          + " unpriced models: add its price to the rate card, or set unpricedModels(COUNT_TOKENS_ONLY)");
    }
    Spend estimate = Spend.of(usd == null ? BigDecimal.ZERO : usd, tokens);
    Instant now = policy.clock().instant();
    List<BudgetReservation> held = new ArrayList<>(windows.size());
    for (Window w : windows) {
      BudgetPeriod period = w.budget.period();
      BudgetReservation r;
      try {
        r = policy.store().reserve(w.key, period.rollingWindow(), now, period.endAfter(now), estimate, w.budget.limit());
      } catch (RuntimeException e) { // the budget cannot be checked: not sent, never passed
        release(windows, held, now);
        return CompletableFuture.failedFuture(new ProviderException(CallStatus.PROVIDER_ERROR, false, 0, null,
            "the budget store failed (" + e.getClass().getSimpleName() + "): the attempt was not sent", null));
      }
      if (r == null) {
        release(windows, held, now);
        return refused("the " + w.describe() + " cannot take this attempt's estimate of " + tokens + " tokens"
            + (usd == null ? "" : " and $" + estimate.usd().toPlainString()) + " in " + w.window);
      }
      held.add(r);
      alert(w, r.total());
    }
    CompletableFuture<ModelReply> reply = c.proceedInternal(request);
    return reply.whenComplete((answer, failure) -> {
      Instant end = policy.clock().instant();
      Spend actual = failure != null || answer == null ? Spend.ZERO : actual(request.model(), answer.usage());
      for (int i = 0; i < held.size(); i++) {
        Window w = windows.get(i);
        try {
          alert(w, policy.store().settle(held.get(i), actual, w.budget.period().rollingWindow(), end));
        } catch (RuntimeException e) {
          // the reservation stays counted: the budget errs on the safe side, and the call's outcome stands
        }
      }
    });
  }

  /** The budgets that apply to this call, each with its window now. */
  private List<Window> windows(CallState<?> state, String task) {
    Instant now = policy.clock().instant();
    // the call's CallOptions, then the @Tenant parameter, then the task's taskOptions
    String tenant = state.inv.options().tenant();
    if (tenant == null) {
      tenant = state.inv.tenant();
    }
    if (tenant == null) {
      dev.llmtask.CallOptions taskOptions = state.pipeline.settings.taskOptions().get(state.spec.name());
      tenant = taskOptions == null ? null : taskOptions.tenant();
    }
    List<Window> out = new ArrayList<>(policy.budgets().size());
    for (Budget b : policy.budgets()) {
      String scope = switch (b.scope()) {
        case GLOBAL -> "global";
        case TASK -> b.taskName().equals(task) ? "task:" + task : null;
        case TENANT -> tenant == null ? null : "tenant:" + tenant;
      };
      if (scope != null) {
        String window = b.period().windowAt(now);
        // the budget's own description keeps two budgets of one scope and period apart
        out.add(new Window(b, b.scope() == BudgetScope.TENANT ? tenant : null, window, scope,
            scope + "|" + window + "|" + b));
      }
    }
    return out;
  }

  private Spend actual(String model, ModelReply.Usage usage) {
    BigDecimal usd = rates.cost(model, usage.inputTokens(), usage.cachedInputTokens(), usage.outputTokens());
    return Spend.of(usd == null ? BigDecimal.ZERO : usd, usage.inputTokens() + usage.outputTokens());
  }

  private void release(List<Window> windows, List<BudgetReservation> held, Instant now) {
    for (int i = 0; i < held.size(); i++) {
      try {
        policy.store().settle(held.get(i), Spend.ZERO, windows.get(i).budget.period().rollingWindow(), now);
      } catch (RuntimeException e) {
        // stays counted until its window ends: safe, never an overspend
      }
    }
  }

  /** Tells the listener of each threshold the window's spend reached for the first time. */
  private void alert(Window w, Spend total) {
    int percent = total.percentOf(w.budget.limit());
    boolean rolling = w.budget.period().rollingWindow() != null;
    for (int threshold : policy.alertThresholds()) {
      String key = w.key + "@" + threshold;
      if (percent < threshold) {
        if (rolling && alerted.remove(key)) { // a rolling window that fell back below may cross again
          clearMark(w, threshold);
        }
        continue;
      }
      // once per JVM here, once per fleet in a shared store
      if (alerted.add(key) && firstMark(w, threshold)) {
        if (!rolling) {
          forgetEndedWindows(w);
        }
        try {
          policy.alertListener().thresholdCrossed(new BudgetAlert(w.budget, w.tenant, w.window, threshold, total));
        } catch (RuntimeException e) {
          // a failing listener must not fail the call
        }
      }
    }
  }

  /** Whether this alert is the first of its window in the store; a store that fails leaves it to this runtime. */
  private boolean firstMark(Window w, int threshold) {
    Instant now = policy.clock().instant();
    BudgetPeriod period = w.budget.period();
    Instant expires = period.rollingWindow() != null ? now.plus(period.rollingWindow()) : period.endAfter(now);
    try {
      return policy.store().markAlerted(w.key, threshold, expires);
    } catch (RuntimeException e) {
      return true;
    }
  }

  private void clearMark(Window w, int threshold) {
    try {
      policy.store().clearAlert(w.key, threshold);
    } catch (RuntimeException e) {
      // the mark expires with its window
    }
  }

  /** Drops the alert marks of this budget's earlier calendar windows, so the set does not grow without end. */
  private void forgetEndedWindows(Window w) {
    String scope = w.scope + "|";
    String current = w.key + "@";
    String budget = "|" + w.budget + "@";
    alerted.removeIf(k -> k.startsWith(scope) && k.contains(budget) && !k.startsWith(current));
  }

  /** The estimate of the prompt's tokens, which the budget and rate-limit links reserve before an attempt. */
  static long promptTokens(ModelRequest request) {
    return (promptChars(request) + 3L) / 4;
  }

  /** The characters of everything the request sends the model; 4 make a token in the estimates. */
  private static int promptChars(ModelRequest request) {
    long chars = request.userPrompt().length() + request.schema().openAi().length()
        + (request.systemPrompt() == null ? 0 : request.systemPrompt().length());
    for (ModelRequest.Repair r : request.repairs()) {
      chars += r.answer().length() + r.feedback().length();
    }
    return (int) Math.min(Integer.MAX_VALUE, chars);
  }

  private static CompletableFuture<ModelReply> refused(String reason) {
    return CompletableFuture.failedFuture(new ProviderException(CallStatus.BUDGET_EXCEEDED, false, 0, null,
        "budget exceeded: " + reason, null));
  }

  /** One budget's window for this call. */
  private record Window(Budget budget, String tenant, String window, String scope, String key) {
    String describe() {
      return "budget (" + budget + (tenant == null ? "" : ", tenant " + tenant) + ")";
    }
  }
}
