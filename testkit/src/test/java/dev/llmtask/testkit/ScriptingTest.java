package dev.llmtask.testkit;

import static dev.llmtask.testkit.TestHttp.anthropicBody;
import static dev.llmtask.testkit.TestHttp.openAiBody;
import static dev.llmtask.testkit.TestHttp.postAnthropic;
import static dev.llmtask.testkit.TestHttp.postOpenAi;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptingTest {

  private final LlmSimulator sim = LlmSimulator.start();

  @AfterEach
  void close() {
    sim.close();
  }

  @Test
  void matchedRepliesGoToTheRequestsTheyMatchInQueueOrder() throws Exception {
    sim.enqueue(SimulatedReply.status(500)) // global: only after the matched ones
        .enqueue(r -> "anthropic".equals(r.provider()), SimulatedReply.overloaded())
        .enqueue(r -> r.body().contains("stale service-account"), SimulatedReply.status(503))
        .enqueue(r -> "gpt-4o".equals(r.model()), SimulatedReply.status(401));

    String gpt4oBody = openAiBody("decide_rotation", Schemas.ROTATION).replace("gpt-4o-mini", "gpt-4o");
    List<Integer> statuses = new ArrayList<>();
    statuses.add(postOpenAi(sim, gpt4oBody).statusCode());
    statuses.add(postAnthropic(sim, anthropicBody("decide_rotation", Schemas.ROTATION)).statusCode());
    statuses.add(postOpenAi(sim, gpt4oBody).statusCode());
    statuses.add(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode());
    statuses.add(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode());

    // the first gpt-4o request matches the body rule, which was queued before the model rule
    assertThat(statuses).containsExactly(503, 529, 401, 500, 200);
    assertThat(sim.requests().get(0).model()).isEqualTo("gpt-4o");
    assertThat(sim.pendingReplies()).isZero();
  }

  @Test
  void repliesQueuedForAProviderGoOnlyToItsWireFormat(@TempDir Path dir) throws Exception {
    sim.enqueueFor("openai", SimulatedReply.status(503), SimulatedReply.status(503))
        .enqueueFor("anthropic", SimulatedReply.contextTooLong());

    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> anthropic = postAnthropic(sim, anthropicBody("decide_rotation", Schemas.ROTATION));
    statuses.add(anthropic.statusCode());
    statuses.add(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode());
    statuses.add(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode());
    statuses.add(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode());

    assertThat(statuses).containsExactly(400, 503, 503, 200);
    assertThat(TestHttp.json(anthropic.body()).at("/error/message").asText()).startsWith("prompt is too long");
    assertThat(sim.requestsTo("openai")).hasSize(3);
    assertThat(sim.requestsTo("anthropic")).hasSize(1);
    assertThatThrownBy(() -> sim.enqueueFor("mistral", SimulatedReply.status(503)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("speaks the \"openai\" and \"anthropic\" wire formats, not \"mistral\"");

    Path script = Files.writeString(dir.resolve("ctx.json"), "{\"replies\": [{\"fault\": \"context_too_long\"}]}");
    sim.loadScript(script);
    HttpResponse<String> openAi = postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION));
    assertThat(openAi.statusCode()).isEqualTo(400);
    assertThat(TestHttp.json(openAi.body()).at("/error/code").asText()).isEqualTo("context_length_exceeded");
  }

  @Test
  void taskRepliesAreMatchedRepliesAndKeepTheirOrder() throws Exception {
    sim.enqueue("decide_rotation", SimulatedReply.status(503))
        .enqueue(r -> r.streamed(), SimulatedReply.status(400))
        .enqueue("decide_rotation", SimulatedReply.status(429));

    List<Integer> statuses = new ArrayList<>();
    statuses.add(postOpenAi(sim, openAiBody("extract_ticket", Schemas.ROTATION)).statusCode());
    statuses.add(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode());
    statuses.add(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode());
    statuses.add(
        postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION).replaceFirst("\\{", "{\"stream\":true,"))
            .statusCode());

    assertThat(statuses).containsExactly(200, 503, 429, 400);
  }

  @Test
  void randomFaultsAreDeterministicForTheSeed() throws Exception {
    List<Integer> first = statusesWithRandomFaults(7L);
    List<Integer> again = statusesWithRandomFaults(7L);
    List<Integer> otherSeed = statusesWithRandomFaults(8L);

    assertThat(again).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
    long faults = first.stream().filter(s -> s == 503).count();
    assertThat(faults).as("about 30%% of 40 requests: %s", first).isBetween(5L, 20L);
    assertThat(first).containsOnly(200, 503);
  }

  @Test
  void queuedRepliesWinOverRandomFaultsAndDoNotUseADraw() throws Exception {
    sim.randomFault(1.0, 1L, SimulatedReply.status(503)).enqueue(SimulatedReply.status(401));

    assertThat(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode()).isEqualTo(401);
    assertThat(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode()).isEqualTo(503);
    sim.reset();
    assertThat(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode()).isEqualTo(200);
  }

  @Test
  void randomFaultRejectsAProbabilityOutside0To1() {
    assertThatThrownBy(() -> sim.randomFault(1.5, 1L, SimulatedReply.status(503)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probability");
    assertThatThrownBy(() -> sim.randomFault(Double.NaN, 1L, SimulatedReply.status(503)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scriptFileQueuesMatchedRepliesFaultsAndModifiers(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("s.json");
    Files.writeString(
        script,
        """
        {"replies": [
          {"provider": "anthropic", "fault": "overloaded"},
          {"model": "gpt-4o-mini", "streamed": true, "fault": "cut_stream",
           "json": {"decision": "eligible"}, "afterDeltas": 1, "chunkSize": 5},
          {"task": "decide_rotation", "bodyContains": "stale", "status": 429,
           "type": "insufficient_quota", "code": "insufficient_quota", "message": "You exceeded your current quota."},
          {"json": "not json at all", "usage": {"input": 10, "output": 3}, "headers": {"x-should-retry": "false"}}
        ],
         "randomFaults": [{"probability": 1, "seed": 3, "reply": {"status": 502}}]}
        """);

    assertThat(sim.loadScript(script)).isEqualTo(5);
    int anthropic = postAnthropic(sim, anthropicBody("decide_rotation", Schemas.ROTATION)).statusCode();
    Sse.Read cut = Sse.read(Sse.openAi(sim, Sse.openAiStreamBody("decide_rotation", Schemas.ROTATION, true)));
    HttpResponse<String> quota = postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION));
    HttpResponse<String> verbatim = postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION));
    int random = postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode();

    assertThat(anthropic).isEqualTo(529);
    assertThat(cut.brokenOff()).isTrue();
    assertThat(cut.events()).hasSize(2);
    assertThat(TestHttp.json(quota.body()).at("/error/code").asText()).isEqualTo("insufficient_quota");
    assertThat(TestHttp.json(verbatim.body()).at("/choices/0/message/content").asText()).isEqualTo("not json at all");
    assertThat(TestHttp.json(verbatim.body()).at("/usage/prompt_tokens").asInt()).isEqualTo(10);
    assertThat(verbatim.headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(random).isEqualTo(502);
  }

  @Test
  void aMalformedScriptIsNamedAndQueuesNothing(@TempDir Path dir) throws Exception {
    assertThat(scriptError(dir, "{\"replies\": [{\"status\": 429}, {\"json\": {}, \"refusal\": \"no\"}]}"))
        .isEqualTo("script replies[1]: needs exactly one of json, generated, refusal, truncated, status, fault; got [json, refusal]");
    assertThat(scriptError(dir, "{\"replies\": [{\"fault\": \"explode\"}]}"))
        .startsWith("script replies[0]: unknown fault \"explode\"");
    assertThat(scriptError(dir, "{\"replies\": [{\"status\": 200}]}"))
        .isEqualTo("script replies[0]: an error status must be 400..599, got 200");
    assertThat(scriptError(dir, "{\"replies\": [{\"fault\": \"cut_stream\", \"afterDeltas\": 1}]}"))
        .isEqualTo("script replies[0]: this fault needs \"json\", the streamed answer");
    assertThat(scriptError(dir, "{\"replies\": [{\"generated\": true, \"delayMs\": \"soon\"}]}"))
        .isEqualTo("script replies[0]: \"delayMs\" must be a number");
    assertThat(scriptError(dir, "{\"randomFaults\": [{\"probability\": 2, \"reply\": {\"status\": 503}}]}"))
        .isEqualTo("script randomFaults[0]: probability must be within 0..1");
    assertThat(scriptError(dir, "[1, 2]")).isEqualTo("script: expected an object {\"replies\": [...]}");
    assertThat(scriptError(dir, "{\"replies\": [")).startsWith("script: not JSON");
    assertThat(sim.pendingReplies()).isZero();
    assertThatThrownBy(() -> sim.loadScript(dir.resolve("missing.json")))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("missing.json");
  }

  private String scriptError(Path dir, String text) throws Exception {
    Path script = Files.writeString(dir.resolve("bad.json"), text);
    Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> sim.loadScript(script));
    assertThat(error).isInstanceOf(IllegalArgumentException.class);
    return error.getMessage();
  }

  private List<Integer> statusesWithRandomFaults(long seed) throws Exception {
    sim.reset();
    sim.randomFault(0.3, seed, SimulatedReply.status(503));
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> response = postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION));
      statuses.add(response.statusCode());
    }
    return statuses;
  }
}
