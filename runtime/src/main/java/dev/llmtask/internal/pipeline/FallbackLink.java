package dev.llmtask.internal.pipeline;

import dev.llmtask.CallStatus;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.Outcome;
import dev.llmtask.spi.TaskCall;
import dev.llmtask.spi.TaskCall.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The call link that moves a call along its fallback chain: the first route (the call's provider and
 * model), then each declared {@code provider/model}, each with its own retries and re-asks (the links
 * inside this one), all within the call's one deadline. A route is skipped when its circuit is open
 * ({@link RouteBreakers}), when its model's known context window cannot fit the estimated prompt, or,
 * after a {@code CONTEXT_TOO_LONG}, when its window is no larger than the route that refused. The call
 * moves on only on a status of the task's {@code fallbackOn}, never past the deadline, and a stream only
 * while no delta has reached the caller (it then restarts on the next route, never continues).
 *
 * <p>When the chain does more than the first route, the {@value #ATTRIBUTE} attribute lists each route and
 * what came of it, e.g. {@code openai/gpt-4o-mini=provider_error,anthropic/claude-3-5-haiku-latest=ok}.
 */
final class FallbackLink implements CallInterceptor {
  /** The call attribute that lists the routes of a call that fell back or skipped one. */
  static final String ATTRIBUTE = "routes";
  private static final int MAX_ATTRIBUTE = 200;

  private final RouteBreakers breakers;

  FallbackLink(RouteBreakers breakers) {
    this.breakers = breakers;
  }

  @Override
  public CompletionStage<Outcome> intercept(Chain chain) {
    CallChain c = (CallChain) chain;
    CallState<?> state = c.state;
    TaskCall first = chain.call();
    if (state.policy.fallbacks().isEmpty() || first.model() == null) {
      return c.proceedInternal(first); // one route: nothing to fall back to
    }
    List<Route> routes = new ArrayList<>(1 + state.policy.fallbacks().size());
    routes.add(new Route(first.provider(), first.model()));
    routes.addAll(state.policy.fallbacks());
    return new Walk(state, c, routes).from(0);
  }

  /** One call's way along its routes. */
  private final class Walk {
    private final CallState<?> state;
    private final CallChain chain;
    private final List<Route> routes;
    private final StringBuilder trail = new StringBuilder();
    private Outcome.Failed last;
    private int tried;
    private long estimate = -1;
    /** After a route said the prompt is too long: its window; later routes must be larger. */
    private long contextFloor;
    private int circuitsOpen;

    Walk(CallState<?> state, CallChain chain, List<Route> routes) {
      this.state = state;
      this.chain = chain;
      this.routes = routes;
    }

    /** Tries the routes from {@code index} on; loops without a stage per route while outcomes are already there. */
    CompletableFuture<Outcome> from(int index) {
      for (int i = index; i < routes.size(); i++) {
        Route route = routes.get(i);
        if (!fits(route)) {
          note(route, "too_small");
          continue;
        }
        if (tried > 0 && !mayStartAnother()) {
          return CompletableFuture.completedFuture(last);
        }
        if (!breakers.tryAcquire(route)) {
          note(route, "circuit_open");
          circuitsOpen++;
          continue;
        }
        tried++;
        TaskCall call = i == 0 ? chain.call() : chain.call().withProvider(route.provider()).withModel(route.model());
        int sentBefore = state.attempts.get();
        CompletableFuture<Outcome> outcome = chain.proceedInternal(call);
        if (!outcome.isDone()) {
          int at = i;
          return outcome.thenCompose(o -> {
            Outcome end = judge(route, o, sentBefore);
            return end != null ? CompletableFuture.completedFuture(end) : from(at + 1);
          });
        }
        Outcome end = judge(route, outcome.join(), sentBefore);
        if (end != null) {
          return CompletableFuture.completedFuture(end);
        }
      }
      return CompletableFuture.completedFuture(exhausted());
    }

    /**
     * The call's outcome after {@code route} answered {@code o}, or {@code null} to try the next route;
     * {@code sentBefore} is the call's provider-request count before the route started.
     */
    private Outcome judge(Route route, Outcome o, int sentBefore) {
      CallStatus status = o instanceof Outcome.Failed f ? f.status() : CallStatus.OK;
      breakers.record(route, status, state.attempts.get() > sentBefore);
      boolean trigger = state.policy.fallbackOn().contains(status);
      if (trigger || trail.length() > 0) {
        note(route, status.wireName());
      }
      if (!trigger) {
        return o;
      }
      Outcome.Failed f = (Outcome.Failed) o;
      last = f;
      if (f.status() == CallStatus.CONTEXT_TOO_LONG) {
        OptionalLong window = window(route.model());
        contextFloor = Math.max(contextFloor, window.orElse(0));
      }
      return state.ended() || state.remainingNanos() <= 0 ? o : null;
    }

    /** Whether another route may start: the call is still running, and a stream has shown nothing yet. */
    private boolean mayStartAnother() {
      if (state.ended() || state.remainingNanos() <= 0) {
        return false;
      }
      if (state.mode == Mode.STREAM) {
        if (!state.front.restart()) {
          return false; // part of the answer reached the caller: never continue it on another model
        }
        state.streamOpened = false;
        state.streamEnded = false;
      }
      return true;
    }

    /** Whether the route's model can take the prompt, as far as its context window is known. */
    private boolean fits(Route route) {
      OptionalLong window = window(route.model());
      if (window.isEmpty()) {
        return true;
      }
      return window.getAsLong() > contextFloor && window.getAsLong() >= estimate();
    }

    /** The prompt's tokens, estimated at 4 characters a token over the prompts and the schema. */
    private long estimate() {
      if (estimate < 0) {
        long chars = state.inv.userPrompt().length() + state.spec.schema().openAi().length()
            + (state.inv.systemPrompt() == null ? 0 : state.inv.systemPrompt().length());
        estimate = (chars + 3) / 4;
      }
      return estimate;
    }

    private OptionalLong window(String model) {
      RuntimeSettings settings = state.pipeline.settings;
      Long configured = settings.contextWindows().get(model);
      return configured != null ? OptionalLong.of(configured) : settings.rateCard().maxInputTokens(model);
    }

    private void note(Route route, String what) {
      String entry = (trail.length() == 0 ? "" : ",") + route + "=" + what;
      if (trail.length() + entry.length() <= MAX_ATTRIBUTE) {
        trail.append(entry);
        state.attributes().put(ATTRIBUTE, trail.toString());
      }
    }

    /** Every route failed or was skipped. */
    private Outcome exhausted() {
      if (tried == 0 && circuitsOpen == 0) {
        return Outcome.failed(CallStatus.CONTEXT_TOO_LONG, "the prompt (about " + estimate() + " tokens) fits no"
            + " route's known context window (" + trail + ")");
      }
      if (tried == 0) {
        StringBuilder open = new StringBuilder();
        for (Route r : routes) {
          Duration left = breakers.remainingCooldown(r);
          if (!left.isZero()) {
            open.append(open.length() == 0 ? "" : ", ").append(r).append(" for ").append(left.toMillis()).append(" ms");
          }
        }
        return Outcome.failed(CallStatus.PROVIDER_ERROR, "no route can take the call (" + trail
            + "): circuits open after repeated failures: " + open);
      }
      return new Outcome.Failed(last.status(), "every route failed (" + trail + "); the last: " + last.reason(),
          last.cause());
    }
  }
}
