package dev.llmtask.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

class LlmSimulatorExtensionTest {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final List<LlmSimulator> SHARED_SEEN = new CopyOnWriteArrayList<>();
  private static final List<LlmSimulator> FRESH_SEEN = new CopyOnWriteArrayList<>();

  @Test
  void injectsOneStartedSimulatorPerClassResetsBetweenTestsAndClosesAtTheEnd() throws Exception {
    SHARED_SEEN.clear();
    FRESH_SEEN.clear();

    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(Scenario.class)).execute();

    results.testEvents().failed().stream()
        .forEach(failure -> System.err.println(failure.getPayload().orElse(null)));
    results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3).failed(0));
    assertThat(SHARED_SEEN).hasSize(3);
    assertThat(SHARED_SEEN).allSatisfy(sim -> assertThat(sim).isSameAs(SHARED_SEEN.get(0)));
    assertThat(FRESH_SEEN).hasSize(1).doesNotContain(SHARED_SEEN.get(0));
    assertThatThrownBy(() -> post(SHARED_SEEN.get(0)))
        .as("the shared simulator is closed after the class")
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> post(FRESH_SEEN.get(0)))
        .as("the fresh simulator is closed after its test")
        .isInstanceOf(IOException.class);
  }

  @Test
  void strictByDefaultUnusedRepliesFailTheTestNamingTheirTask() {
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(StrictScenario.class)).execute();

    results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
    Throwable failure = results.testEvents().failed().stream().findFirst().orElseThrow()
        .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
    assertThat(failure).isInstanceOf(AssertionError.class).hasMessage(
        "2 scripted replies were never used: for task \"decide_rotaton\" (no request used this task name;"
            + " requested: [decide_rotation]); for any task. Check the task names, or annotate the test with"
            + " @LenientLlmSimulator to allow unused replies.");
  }

  static int post(LlmSimulator sim, String task) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(sim.openAiBaseUrl() + "/chat/completions"))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[],"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"" + task + "\","
                + "\"strict\":true,\"schema\":{\"type\":\"object\",\"properties\":{},\"required\":[],"
                + "\"additionalProperties\":false}}}}"))
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** Run through EngineTestKit above, not directly. */
  @ExtendWith(LlmSimulatorExtension.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class StrictScenario {
    @Test
    @Order(1)
    void aMisspeltTaskNameFails(LlmSimulator simulator) throws Exception {
      simulator.enqueue("decide_rotaton", SimulatedReply.status(500)).enqueue(SimulatedReply.status(503))
          .enqueue("decide_rotation", SimulatedReply.status(502));
      assertThat(post(simulator, "decide_rotation")).isEqualTo(502);
    }

    @Test
    @Order(2)
    void everyReplyUsedPasses(LlmSimulator simulator) throws Exception {
      simulator.enqueue(SimulatedReply.status(503));
      assertThat(post(simulator)).isEqualTo(503);
    }

    @Test
    @Order(3)
    @LenientLlmSimulator
    void theOptOutAllowsUnusedReplies(LlmSimulator simulator) {
      simulator.enqueue("never_called", SimulatedReply.status(500));
    }
  }

  static int post(LlmSimulator sim) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(sim.openAiBaseUrl() + "/chat/completions"))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[]}"))
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** Run through EngineTestKit above, not directly (nested classes are not picked up by Surefire). */
  @ExtendWith(LlmSimulatorExtension.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class Scenario {

    private final LlmSimulator fromConstructor;

    Scenario(LlmSimulator simulator) {
      this.fromConstructor = simulator;
    }

    @Test
    @Order(1)
    @LenientLlmSimulator // leaves a reply unused on purpose: the next test must start clean
    void firstTestScriptsAndCalls(LlmSimulator simulator) throws Exception {
      SHARED_SEEN.add(simulator);
      assertThat(simulator).isSameAs(fromConstructor);
      simulator.enqueue(SimulatedReply.status(500)).enqueue(SimulatedReply.status(500));

      assertThat(post(simulator)).isEqualTo(500);
      assertThat(simulator.requests()).hasSize(1);
      assertThat(simulator.pendingReplies()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void secondTestStartsClean(LlmSimulator simulator) throws Exception {
      SHARED_SEEN.add(simulator);
      assertThat(simulator.requests()).isEmpty();
      assertThat(simulator.pendingReplies()).isZero();
      assertThat(post(simulator)).isEqualTo(200);
    }

    @Test
    @Order(3)
    void freshSimulatorOnRequest(
        LlmSimulator shared, @FreshLlmSimulator(seed = 7) LlmSimulator fresh) throws Exception {
      SHARED_SEEN.add(shared);
      FRESH_SEEN.add(fresh);
      assertThat(fresh).isNotSameAs(shared);
      assertThat(fresh.seed()).isEqualTo(7);
      assertThat(fresh.port()).isNotEqualTo(shared.port());
      assertThat(post(fresh)).isEqualTo(200);
      assertThat(shared.requests()).isEmpty();
    }
  }
}
