package dev.llmtask.examples;

import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmStream;
import dev.llmtask.LlmTaskException;
import dev.llmtask.LlmTasks;
import dev.llmtask.RateCard;
import dev.llmtask.StreamEvent;
import dev.llmtask.action.ActionOutcome;
import dev.llmtask.budget.Budget;
import dev.llmtask.budget.BudgetPeriod;
import dev.llmtask.budget.BudgetPolicy;
import dev.llmtask.action.IdempotentActions;
import dev.llmtask.action.InMemoryActionStore;
import dev.llmtask.cache.caffeine.CaffeineResponseStore;
import dev.llmtask.examples.rotation.Decision;
import dev.llmtask.examples.rotation.RotationDecision;
import dev.llmtask.examples.rotation.RotationAgent;
import dev.llmtask.examples.rotation.RotationDesk;
import dev.llmtask.examples.rotation.RotationJobs;
import dev.llmtask.examples.rotation.RotationTools;
import dev.llmtask.examples.rotation.RotationJobs.JobRequest;
import dev.llmtask.examples.replies.ReplyDesk;
import dev.llmtask.examples.rotation.RotationJobs.RotationJob;
import dev.llmtask.examples.tickets.SupportTicket;
import dev.llmtask.examples.tickets.TicketDesk;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import dev.llmtask.tool.ToolAuthorizer;
import dev.llmtask.tool.Toolbox;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs the support-console examples. With {@code LLM_API_KEY} set it calls a real OpenAI-compatible
 * endpoint ({@code LLM_BASE_URL}, default OpenAI; {@code LLM_MODEL} to change the model); without
 * it, the embedded simulator answers, scripted to show a re-ask, a retry, a streamed draft, a
 * named failure and a fallback from OpenAI to Anthropic (the simulator speaks both).
 */
public final class Main {
  static final String POLICY = """
      P-7: Stale service-account keys must rotate within a 30-day window.
      P-9: User passwords expire after 90 days.""";
  static final String QUESTION = "Can I rotate the stale service-account key?";
  static final String FALLBACK = "anthropic/claude-3-5-haiku-latest";
  static final String TICKET_MESSAGE = "Hi, this is acct_10234. Our CI keeps failing since yesterday because the "
      + "service-account key looks stale. Can you help us rotate it soon?";

  private Main() {}

  public static void main(String[] args) {
    run(System.getenv(), System.out);
  }

  /** Runs every example against the endpoint the environment names; returns the number of calls that ended OK. */
  public static int run(Map<String, String> env, PrintStream out) {
    String key = env.get("LLM_API_KEY");
    List<CallRecord> telemetry = new CopyOnWriteArrayList<>();
    boolean simulated = key == null || key.isBlank();
    out.println();
    out.println("=== llmtask examples ===");
    LlmSimulator simulator = simulated ? LlmSimulator.start() : null;
    try {
      OpenAiProvider.Builder provider = OpenAiProvider.builder();
      if (simulated) {
        script(simulator);
        provider.baseUrl(simulator.openAiBaseUrl());
        out.println("No LLM_API_KEY set: answering from the embedded simulator at " + simulator.openAiBaseUrl());
      } else {
        provider.baseUrl(URI.create(env.getOrDefault("LLM_BASE_URL", OpenAiProvider.DEFAULT_BASE_URL.toString())))
            .apiKey(key.strip());
        out.println("LLM_API_KEY is set: calling " + env.getOrDefault("LLM_BASE_URL", OpenAiProvider.DEFAULT_BASE_URL.toString()));
      }
      LlmRuntime.Builder runtime = LlmRuntime.builder()
          .provider(provider.build())
          .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
          .rateCard(RateCard.illustrative())
          .responseCache(CaffeineResponseStore.create())
          .telemetry(telemetry::add);
      String model = env.get("LLM_MODEL");
      CallOptions.Builder decide = CallOptions.builder();
      if (model != null && !model.isBlank()) {
        CallOptions withModel = CallOptions.builder().model(model.strip()).build();
        runtime.taskOptions("extract_ticket", withModel).taskOptions("draft_reply", withModel);
        decide.model(model.strip());
      }
      if (simulated) {
        // a second provider, and a fallback route for decide_rotation: when OpenAI keeps failing, ask Anthropic
        runtime.provider("anthropic", AnthropicProvider.builder().baseUrl(simulator.anthropicBaseUrl()).build());
        decide.fallbacks(FALLBACK);
      }
      runtime.taskOptions("decide_rotation", decide.build());
      Printer printer = new Printer(out, telemetry);
      int ok = examples(runtime.build(), simulated, printer);
      if (simulated) {
        ok += budget(simulator, printer);
        ok += rotateWithTools(simulator, printer);
      }
      out.println();
      out.println("Two more examples, each on the simulator and an embedded PostgreSQL (run with -Dexec.mainClass=…):");
      out.println("  dev.llmtask.examples.batch.NightlyEnrichment  1,000 tickets through the Batch API, outcome counts and cost");
      out.println("  dev.llmtask.examples.summary.SummaryJobMain    a document summary as a durable background job");
      return ok;
    } finally {
      if (simulator != null) {
        simulator.close();
      }
    }
  }

  private static int examples(LlmRuntime runtime, boolean simulated, Printer printer) {
    PrintStream out = printer.out;
    RotationDesk desk = LlmTasks.create(RotationDesk.class, runtime);
    TicketDesk tickets = LlmTasks.create(TicketDesk.class, runtime);
    ReplyDesk replies = LlmTasks.create(ReplyDesk.class, runtime);
    int ok = 0;

    out.println();
    out.println("1. decide_rotation for acct_10234 under policy P-7 (30-day window)");
    RotationDecision decision = desk.decideRotation(QUESTION, "acct_10234", 12, true, POLICY, "trace_acct_10234_01");
    out.println("   -> " + decision);
    printer.telemetry();
    ok++;
    actOnce(decision, out);

    out.println();
    out.println("2. extract_ticket from a customer message");
    LlmResult<SupportTicket> ticket = tickets.extractTicket(TICKET_MESSAGE, "trace_acct_10234_02");
    out.println("   -> " + ticket.value() + " (" + ticket.record().attempts() + " attempts)");
    printer.telemetry();
    ok++;

    out.println();
    out.println("2b. the same message again: answered from the response cache, no model call");
    LlmResult<SupportTicket> again = tickets.extractTicket(TICKET_MESSAGE, "trace_acct_10234_06");
    out.println("   -> cache=" + again.record().attributes().get("cache") + ", " + again.record().attempts()
        + " attempts, saved $" + again.record().attributes().get("cache_saved_usd"));
    printer.telemetry();

    out.println();
    out.println("3. draft_reply, streamed as it is written");
    LlmStream<String> draft = replies.draftReply(QUESTION, decision.toString(), "trace_acct_10234_04");
    out.print("   | ");
    draft.onEvent(event -> {
      if (event instanceof StreamEvent.Delta<String> delta) {
        out.print(delta.text().replace("\n", "\n   | "));
      }
    });
    String text = draft.await();
    out.println();
    out.println("   -> " + draft.state() + ": " + text.length() + " chars, validated");
    printer.telemetry();
    ok++;

    if (simulated) {
      out.println();
      out.println("4. a failure is one named status, never a hang or a retried 401");
      try {
        desk.decideRotation(QUESTION, "acct_10234", 12, true, POLICY, "trace_acct_10234_03");
      } catch (LlmTaskException e) {
        out.println("   -> LlmTaskException status=" + e.status() + " attempts=" + e.record().attempts()
            + " (an AUTH_ERROR never falls back: another route cannot fix a key)");
      }
      printer.telemetry();

      out.println();
      out.println("5. decide_rotation falls back: OpenAI answers 503 three times, then " + FALLBACK + " answers");
      RotationDecision fellBack = desk.decideRotation(QUESTION, "acct_10234", 12, true, POLICY, "trace_acct_10234_05");
      CallRecord record = printer.records.get(printer.records.size() - 1);
      out.println("   -> " + fellBack + " from " + record.provider() + "/" + record.model());
      for (CallRecord.Attempt a : record.attemptDetails()) {
        out.println("      attempt " + a.route() + " " + a.outcome() + " cost_usd=" + a.costUsd().toPlainString());
      }
      printer.telemetry();
      ok++;
    }
    return ok;
  }

  /**
   * Step 6: a daily budget of 1000 tokens on a runtime of its own. The first call's real usage (850
   * tokens) crosses the 50 % and 80 % alerts; the second call's estimate no longer fits, so it is
   * refused before any request.
   */
  private static int budget(LlmSimulator sim, Printer printer) {
    PrintStream out = printer.out;
    out.println();
    out.println("6. a daily budget of 1000 tokens: the first call alerts, the second is refused and never sent");
    LlmRuntime limited = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).build())
        .rateCard(RateCard.illustrative())
        .maxOutputTokens(200)
        .budgets(BudgetPolicy.builder()
            .budget(Budget.global(BudgetPeriod.DAY).maxTokens(1000))
            .alertListener(alert -> out.println("   alert: budget at " + alert.thresholdPercent() + " % ("
                + alert.spent().tokens() + " of 1000 tokens)"))
            .build())
        .telemetry(printer.records::add)
        .build();
    TicketDesk tickets = LlmTasks.create(TicketDesk.class, limited);
    int before = sim.requests().size();
    LlmResult<SupportTicket> first = tickets.extractTicket(TICKET_MESSAGE, "trace_acct_10234_07");
    out.println("   -> " + first.value().priority() + " (" + (first.record().inputTokens() + first.record().outputTokens())
        + " tokens)");
    try {
      tickets.extractTicket(TICKET_MESSAGE, "trace_acct_10234_08");
    } catch (LlmTaskException e) {
      out.println("   -> LlmTaskException status=" + e.status() + ", requests sent for the two calls: "
          + (sim.requests().size() - before));
    }
    printer.telemetry();
    return 1;
  }

  /**
   * Step 7: the model decides and acts. {@code rotate} may call the action {@code create_rotation_job};
   * the authorizer allows it for a window of at most 30 days. The first call's answer comes after its
   * deadline (the job was created: an uncertain timeout); the application retries with the same key,
   * the model asks for the same job, and the runtime returns the stored job instead of creating another.
   */
  private static int rotateWithTools(LlmSimulator sim, Printer printer) {
    PrintStream out = printer.out;
    out.println();
    out.println("7. rotate: the model decides and asks for create_rotation_job; authorized, created once, the call retried");
    String createJob = "{\"accountId\":\"acct_10234\",\"rotationWindowDays\":30,\"sourceLineIds\":[\"P-7\"]}";
    String answer = "{\"decision\":\"eligible\",\"job_id\":\"job_acct_10234_001\"}";
    sim.enqueue("rotate", SimulatedReply.toolCall("create_rotation_job", createJob).withUsage(320, 40, 0))
        .enqueue("rotate", SimulatedReply.json(answer).withUsage(380, 20, 0).withDelay(Duration.ofMillis(2500)))
        .enqueue("rotate", SimulatedReply.toolCall("create_rotation_job", createJob).withUsage(320, 40, 0))
        .enqueue("rotate", SimulatedReply.json(answer).withUsage(380, 20, 0));
    RotationJobs jobs = new RotationJobs(Duration.ofMillis(20));
    LlmRuntime agentRuntime = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).build())
        .rateCard(RateCard.illustrative())
        .taskOptions("rotate", CallOptions.builder().timeout(Duration.ofSeconds(1)).build())
        .tools(Toolbox.builder()
            .add(RotationTools.class, jobs::create)
            .actions(IdempotentActions.using(new InMemoryActionStore())) // JdbcActionStore in production
            .authorizer(request -> {
              boolean allowed = request.arguments() instanceof JobRequest job && job.rotationWindowDays() <= 30;
              out.println("   authorizer: " + request.tool() + " for " + request.idempotencyKey() + " -> "
                  + (allowed ? "allowed" : "denied"));
              return allowed ? ToolAuthorizer.Decision.allow()
                  : ToolAuthorizer.Decision.deny("rotation windows over 30 days need a change ticket");
            })
            .build())
        .telemetry(printer.records::add)
        .build();
    RotationAgent agent = LlmTasks.create(RotationAgent.class, agentRuntime);
    try {
      agent.rotate(QUESTION, "acct_10234", POLICY, "rotate_acct_10234_2026_11", "trace_acct_10234_09");
    } catch (LlmTaskException e) {
      out.println("   -> first call " + e.status() + ": the job was created, the answer came too late; retry, same key");
    }
    LlmResult<RotationAgent.RotationOutcome> retried =
        agent.rotate(QUESTION, "acct_10234", POLICY, "rotate_acct_10234_2026_11", "trace_acct_10234_10");
    out.println("   -> " + retried.value() + ", replayed: " + retried.record().toolCalls().get(0).replayed()
        + "; jobs created: " + jobs.created());
    printer.telemetry();
    return 1;
  }

  /** Prints each step's telemetry records after the step's own output, so streamed text and records never interleave. */
  private record Printer(PrintStream out, List<CallRecord> records) {
    void telemetry() {
      for (CallRecord r : records) {
        out.println("  telemetry  " + r.toLogLine());
      }
      records.clear();
    }
  }

  /**
   * Step 1b, act: the decision passed its check, so create the rotation job, once. The caller gives
   * up waiting before the slow job service answers (an uncertain timeout: was a job created?) and
   * retries with the same idempotency key; the retry returns the job the first attempt created.
   * The body is safe on takeover too: it records the job id as a checkpoint before creating the
   * job, so a run that takes over the claim of one that died finds that job instead of creating a
   * second one.
   */
  private static void actOnce(RotationDecision decision, PrintStream out) {
    out.println();
    out.println("1b. create_rotation_job once for that decision, key rotate_acct_10234_2026_11");
    if (decision.decision() != Decision.ELIGIBLE) {
      out.println("   -> nothing to do: the decision is " + decision.decision());
      return;
    }
    RotationJobs jobs = new RotationJobs(Duration.ofMillis(500));
    IdempotentActions actions = IdempotentActions.using(new InMemoryActionStore()); // JdbcActionStore in production
    JobRequest request = JobRequest.of("acct_10234", decision);
    CountDownLatch reachedService = new CountDownLatch(1);
    Supplier<ActionOutcome<RotationJob>> createOnce = () -> actions.once(
        "create_rotation_job", "rotate_acct_10234_2026_11", request, RotationJob.class, ctx -> {
          reachedService.countDown();
          if (ctx.takeover() && ctx.lastCheckpoint().isPresent()) {
            Optional<RotationJob> created = jobs.find(ctx.lastCheckpoint().get());
            if (created.isPresent()) {
              return created.get(); // the run that died created it: finish that one, create no other
            }
          }
          String id = jobs.reserveId(request);
          ctx.checkpoint(id); // before the side effect, so that a takeover can look the job up
          return jobs.create(id, request);
        });
    try {
      CompletableFuture<ActionOutcome<RotationJob>> first = CompletableFuture.supplyAsync(createOnce);
      reachedService.await();
      first.get(100, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      out.println("   -> first attempt timed out after 100 ms: unknown whether a job was created");
    } catch (ExecutionException e) {
      throw new IllegalStateException("the first attempt failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the first attempt ran", e);
    }
    ActionOutcome<RotationJob> retry = createOnce.get();
    out.println("   -> retry returned " + retry.value().id() + " (created by this call: " + retry.created()
        + "); jobs created: " + jobs.created());
  }

  /**
   * Simulator script: a 90-day answer the policy check rejects, a 503, correct answers, a streamed draft, a 401,
   * and three 503s from OpenAI that send the last call to Anthropic.
   */
  private static void script(LlmSimulator sim) {
    sim.enqueue("decide_rotation", SimulatedReply.json(
            "{\"decision\":\"eligible\",\"rotation_window_days\":90,\"source_line_ids\":[\"P-7\"]}")
            .withUsage(250, 80, 0))
        .enqueue("decide_rotation", SimulatedReply.json(
            "{\"decision\":\"eligible\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}")
            .withUsage(310, 80, 0))
        .enqueue("extract_ticket", SimulatedReply.status(503))
        .enqueue("extract_ticket", SimulatedReply.json(
            "{\"account_id\":\"acct_10234\",\"priority\":\"high\",\"summary\":\"CI fails: stale service-account key"
                + " needs rotation\",\"tags\":[\"credentials\",\"rotation\"]}").withUsage(180, 45, 0))
        .enqueue("draft_reply", SimulatedReply.json("{\"value\":\"Hello from Luna support,\\nyes: under policy line"
            + " P-7 your stale service-account key of acct_10234 can be rotated, within a 30-day window.\\n"
            + "Reply here if you want us to start the rotation.\"}").withChunkSize(12).withChunkDelay(Duration.ofMillis(15)))
        .enqueue("decide_rotation", SimulatedReply.status(401))
        // the provider's retry-after-ms keeps the two retries of the 503 short and the run deterministic
        .enqueueFor("openai", SimulatedReply.status(503).withHeader("retry-after-ms", "20"),
            SimulatedReply.status(503).withHeader("retry-after-ms", "20"), SimulatedReply.status(503))
        .enqueue("extract_ticket", SimulatedReply.json(
            "{\"account_id\":\"acct_10234\",\"priority\":\"high\",\"summary\":\"CI fails: stale service-account key"
                + " needs rotation\",\"tags\":[\"credentials\"]}").withUsage(700, 150, 0))
        .enqueueFor("anthropic", SimulatedReply.json(
            "{\"decision\":\"eligible\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}")
            .withUsage(300, 60, 0));
  }
}
