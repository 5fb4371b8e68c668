package dev.llmtask.quarkus;

import dev.llmtask.testkit.LlmSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the loopback simulator before the application and points the producer's base URL at it. */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {
  private LlmSimulator simulator;

  @Override
  public Map<String, String> start() {
    simulator = LlmSimulator.start();
    return Map.of("llmtask.openai.base-url", simulator.openAiBaseUrl().toString());
  }

  @Override
  public void stop() {
    simulator.close();
  }
}
