package dev.llmtask.internal.pipeline;

import dev.llmtask.CallStatus;
import dev.llmtask.Sampling;
import dev.llmtask.internal.pipeline.OutputValidator.Verdict;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ModelRequest.Repair;
import dev.llmtask.provider.ModelRequest.ToolDefinition;
import dev.llmtask.provider.ModelRequest.ToolTurn;
import dev.llmtask.provider.ProviderException;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.Outcome;
import dev.llmtask.spi.TaskCall;
import dev.llmtask.spi.TaskCall.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The innermost call link: checks each answer (schema decode, Bean Validation, {@code @Check}) and
 * re-asks the model with the violations until the answer is valid or the re-asks ({@code repairs})
 * run out. Each model turn goes through the exchange chain (retries, exchange interceptors, the
 * provider). A stream is never re-asked: its answer has already reached the caller. A turn in which
 * the model asks for tools is a tool round: {@link ToolRounds} runs them and the next turn carries
 * their results; tool rounds are capped separately and use up no re-asks.
 */
final class RepairLink implements CallInterceptor {
  static final String NO_MODEL = "no model: declare @LlmTask(model = \"…\") or set LlmRuntime.builder().defaultModel(\"…\")";

  private final OutputValidator validator;
  private final int maxOutputTokens;
  private final ToolRounds tools;
  private final int maxToolRounds;

  RepairLink(OutputValidator validator, int maxOutputTokens, ToolRounds tools, int maxToolRounds) {
    this.validator = validator;
    this.maxOutputTokens = maxOutputTokens;
    this.tools = tools;
    this.maxToolRounds = maxToolRounds;
  }

  @Override
  public CompletionStage<Outcome> intercept(Chain chain) {
    CallState<?> state = ((CallChain) chain).state;
    TaskCall call = chain.call();
    if (call.model() == null) {
      return CompletableFuture.completedFuture(Outcome.failed(CallStatus.BAD_REQUEST, NO_MODEL));
    }
    Sampling sampling = state.policy.sampling(state.pipeline.settings, call.provider(), call.model());
    if (!sampling.isEmpty()) {
      LlmProvider provider = state.pipeline.settings.providers().get(call.provider());
      try {
        if (provider != null) {
          provider.checkSampling(sampling); // the call's own options were not seen when the task was wired
        }
      } catch (IllegalArgumentException e) {
        return CompletableFuture.completedFuture(Outcome.failed(CallStatus.BAD_REQUEST,
            "the route " + call.provider() + "/" + call.model() + " cannot send the sampling settings: " + e.getMessage()));
      }
    }
    if (state.mode == Mode.STREAM && !state.spec.tools().isEmpty()) {
      return CompletableFuture.completedFuture(Outcome.failed(CallStatus.BAD_REQUEST,
          "a streamed call cannot use tools: call the task blocking or async"));
    }
    validator.prepare(state.spec.decoder()); // overlaps the first check's set-up with the exchange
    int maxRepairs = state.mode == Mode.STREAM ? 0 : state.policy.repairs();
    Turns turns = new Turns(sampling, sampling.maxOutputTokens() != null ? sampling.maxOutputTokens() : maxOutputTokens,
        tools.definitions(state.spec));
    return turns(state, call, turns, 0, maxRepairs);
  }

  /** Model turns from {@code round} on; loops without a stage per turn while replies are already there (blocking calls). */
  private <T> CompletableFuture<Outcome> turns(CallState<T> state, TaskCall call, Turns repairs, int round, int maxRepairs) {
    for (int r = round; ; r++) {
      ModelRequest request = new ModelRequest(state.spec.name(), call.model(), call.systemPrompt(), call.userPrompt(),
          state.spec.schema(), repairs.repairs, 0, repairs.maxOutputTokens, repairs.sampling, Map.of(), repairs.tools,
          repairs.toolTurns);
      CompletableFuture<ModelReply> reply = state.pipeline.exchange(state, call, request);
      if (!reply.isDone()) {
        int at = r;
        return reply.handle((value, failure) -> judge(state, value, failure, repairs, at, maxRepairs))
            .thenCompose(o -> o != null ? CompletableFuture.completedFuture(o) : turns(state, call, repairs, at + 1, maxRepairs));
      }
      Outcome o;
      try {
        o = judge(state, reply.join(), null, repairs, r, maxRepairs);
      } catch (CompletionException | CancellationException e) {
        o = judge(state, null, e, repairs, r, maxRepairs);
      }
      if (o != null) {
        return CompletableFuture.completedFuture(o);
      }
    }
  }

  /** The outcome of one turn, or {@code null} when a re-ask is due (its repair already added). */
  private <T> Outcome judge(CallState<T> state, ModelReply reply, Throwable failure, Turns turns, int round,
      int maxRepairs) {
    if (failure != null) {
      return failed(state, failure);
    }
    if (!reply.toolCalls().isEmpty() && !turns.tools.isEmpty()) {
      if (turns.toolTurns.size() >= maxToolRounds) {
        return Outcome.failed(CallStatus.INVALID_OUTPUT, "tool rounds exceeded: the model still asked for tools after "
            + maxToolRounds + " rounds (Toolbox.builder().maxRounds)");
      }
      turns.toolTurn(tools.run(state, reply, turns.repairs.size()));
      return null; // the model answers the tools' results in the next turn
    }
    switch (reply.finish()) {
      case REFUSED -> {
        return Outcome.failed(CallStatus.REFUSED, "the model refused to answer");
      }
      case FILTERED -> {
        return Outcome.failed(CallStatus.REFUSED, "the provider's content filter stopped the answer");
      }
      case TRUNCATED -> {
        return Outcome.failed(CallStatus.INVALID_OUTPUT,
            "truncated: the answer reached the output token limit (" + turns.maxOutputTokens + ")");
      }
      case COMPLETE -> { }
    }
    Verdict<T> verdict;
    try {
      verdict = validator.check(reply.output(), state.spec.decoder(), state.inv.checks());
    } catch (RuntimeException e) {
      return new Outcome.Failed(CallStatus.INVALID_OUTPUT, "a @Check method threw " + e.getClass().getSimpleName(), e);
    }
    if (verdict.unwrapped() != null) { // the attributes map is made only when a link sets one
      state.attributes().put(AnswerUnwrapping.ATTRIBUTE, verdict.unwrapped());
    }
    if (verdict.valid()) {
      state.acceptedOutput = reply.output();
      return Outcome.answered(verdict.value());
    }
    if (state.mode == Mode.STREAM) {
      return Outcome.failed(CallStatus.INVALID_OUTPUT, "the streamed answer is invalid (no re-ask mid-stream): " + verdict.reason());
    }
    turns.rejected(verdict.reason());
    if (turns.repairs.size() >= maxRepairs) {
      return Outcome.failed(CallStatus.INVALID_OUTPUT, turns.perAnswerReasons());
    }
    turns.reask(new Repair(reply.output(), verdict.feedback()));
    return null;
  }

  /** The re-asks of one pass through this link, and why each answer was rejected. */
  private static final class Turns {
    final Sampling sampling;
    final int maxOutputTokens;
    List<Repair> repairs = List.of(); // the first answer is usually valid: no lists until it is not
    List<String> reasons = List.of();
    final List<ToolDefinition> tools;
    List<ToolTurn> toolTurns = List.of();

    Turns(Sampling sampling, int maxOutputTokens, List<ToolDefinition> tools) {
      this.sampling = sampling;
      this.maxOutputTokens = maxOutputTokens;
      this.tools = tools;
    }

    void toolTurn(ToolTurn turn) {
      if (toolTurns.isEmpty()) {
        toolTurns = new ArrayList<>(2);
      }
      toolTurns.add(turn);
    }

    void rejected(String reason) {
      if (reasons.isEmpty()) {
        reasons = new ArrayList<>(2);
      }
      reasons.add(reason);
    }

    void reask(Repair repair) {
      if (repairs.isEmpty()) {
        repairs = new ArrayList<>(2);
      }
      repairs.add(repair);
    }

    /** One answer: its reason; after re-asks: {@code attempt 1: …; attempt 2: …}, one per answer. */
    String perAnswerReasons() {
      if (reasons.size() == 1) {
        return reasons.get(0);
      }
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < reasons.size(); i++) {
        b.append(i == 0 ? "" : "; ").append("attempt ").append(i + 1).append(": ").append(reasons.get(i));
      }
      return b.toString();
    }
  }

  /** The outcome a failed turn stands for. */
  static Outcome failed(CallState<?> state, Throwable failure) {
    var terminal = state.terminal;
    if (terminal != null) { // the deadline or the caller ended the call meanwhile
      return new Outcome.Failed(terminal.status() == CallStatus.OK ? CallStatus.CANCELLED : terminal.status(),
          terminal.failureReason(), null);
    }
    Throwable f = Pipeline.unwrap(failure);
    if (f instanceof ProviderException pe) {
      // An attempt bounded by the deadline times out with it; the HTTP client and the ticker race
      // to report that, so both must give the deadline's reason.
      boolean deadline = pe.status() == CallStatus.TIMEOUT && pe.httpStatus() == 0 && state.attemptEndsAtDeadline;
      return new Outcome.Failed(pe.status(), deadline ? state.timeoutReason() : pe.getMessage(), pe);
    }
    if (f instanceof LinkFailure lf) {
      return new Outcome.Failed(CallStatus.PROVIDER_ERROR, lf.getMessage(), lf.getCause());
    }
    if (f instanceof CancellationException) {
      return Outcome.failed(CallStatus.CANCELLED, "the caller cancelled the call");
    }
    // A provider must classify its failures; anything else is a provider bug, not worth retrying.
    return Outcome.failed(CallStatus.PROVIDER_ERROR, "unexpected failure: " + f.getClass().getSimpleName());
  }
}
