package dev.llmtask.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's first command runs this Main; here it runs with no API key, against the simulator. */
class MainTest {
  @Test
  void runsEveryExampleAgainstTheSimulatorAndPrintsResultsAndOneRecordPerCall() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int ok = Main.run(Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(ok).isEqualTo(6);
    assertThat(out).contains("embedded simulator");
    // set apart from the build's own output by a heading first
    assertThat(out.lines().filter(l -> !l.isBlank()).findFirst()).contains("=== llmtask examples ===");
    // the 90-day answer was rejected by the business check and re-asked
    assertThat(out).contains("RotationDecision[decision=ELIGIBLE, rotationWindowDays=30, sourceLineIds=[P-7]]");
    assertThat(out).contains("trace_id=trace_acct_10234_01 task=decide_rotation provider=openai model=gpt-4o-mini"
        + " prompt_version=rotation_decision@2 status=ok attempts=2");
    // act once: the retry after the uncertain timeout returned the job the first attempt created
    assertThat(out).contains("first attempt timed out after 100 ms")
        .contains("retry returned job_acct_10234_001 (created by this call: false); jobs created: 1");
    // the 503 was retried
    assertThat(out).contains("task=extract_ticket").contains("(2 attempts)").contains("priority=HIGH");
    // the draft was printed piece by piece as it streamed, then validated
    assertThat(out).contains("   | Hello from Luna support,\n   | yes: under policy line P-7")
        .contains("   -> COMPLETED: ")
        .contains("task=draft_reply provider=openai model=gpt-4o-mini prompt_version=draft_reply@1 status=ok attempts=1");
    // the 401 ended AUTH_ERROR after one attempt
    assertThat(out).contains("LlmTaskException status=AUTH_ERROR attempts=1");
    assertThat(out).contains("-> cache=hit, 0 attempts, saved $0.00063")
        .contains("trace_id=trace_acct_10234_06 task=extract_ticket").contains("attr.cache=hit attr.cache_saved_usd=0.00063");
    // three 503s on OpenAI, then the fallback route answered, each attempt priced on its own model
    assertThat(out).contains("from anthropic/claude-3-5-haiku-latest")
        .contains("      attempt openai/gpt-4o-mini PROVIDER_ERROR cost_usd=0\n".repeat(3)
            + "      attempt anthropic/claude-3-5-haiku-latest OK cost_usd=0.00096")
        .contains("trace_id=trace_acct_10234_05 task=decide_rotation provider=anthropic model=claude-3-5-haiku-latest"
            + " prompt_version=rotation_decision@2 status=ok attempts=4")
        .contains("attr.routes=openai/gpt-4o-mini=provider_error,anthropic/claude-3-5-haiku-latest=ok");
    // a budget: the first call alerts at 50 and 80 %, the second is refused before any request
    assertThat(out).contains("   alert: budget at 50 % (850 of 1000 tokens)\n   alert: budget at 80 % (850 of 1000 tokens)\n")
        .contains("LlmTaskException status=BUDGET_EXCEEDED, requests sent for the two calls: 1")
        .contains("trace_id=trace_acct_10234_08 task=extract_ticket");
    // the model decided and asked for the rotation job: authorized before the run and the replay, created once
    assertThat(out).contains("   authorizer: create_rotation_job for rotate_acct_10234_2026_11 -> allowed\n"
            + "   -> first call TIMEOUT: the job was created, the answer came too late; retry, same key\n"
            + "   authorizer: create_rotation_job for rotate_acct_10234_2026_11 -> allowed\n"
            + "   -> RotationOutcome[decision=ELIGIBLE, jobId=job_acct_10234_001], replayed: true; jobs created: 1")
        .contains("trace_id=trace_acct_10234_10 task=rotate provider=openai model=gpt-4o-mini prompt_version=rotate_key@1"
            + " status=ok attempts=2")
        .contains("idempotency_key=rotate_acct_10234_2026_11")
        .contains("tool_calls=create_rotation_job:ok:action:replayed");
    assertThat(out.lines().filter(l -> l.contains("telemetry  trace_id=")).count()).isEqualTo(10);
  }
}
