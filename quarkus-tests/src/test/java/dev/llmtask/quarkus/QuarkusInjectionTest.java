package dev.llmtask.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** ArC discovers the generated client (a @Singleton bean) and injects it; a call reaches the simulator. */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
class QuarkusInjectionTest {
  @Inject
  Greeter greeter;

  @Inject
  GreetingDesk desk;

  @ConfigProperty(name = "llmtask.openai.base-url")
  String simulatorUrl;

  @Test
  void aGeneratedClientInjectsIntoAnArcBeanAndCallsTheSimulator() {
    LlmResult<GreetingDesk.Greeting> result = greeter.greet("Ada");
    assertThat(result.value().text()).isNotBlank();
    assertThat(result.record().status()).isEqualTo(CallStatus.OK);
    assertThat(result.record().provider()).isEqualTo("openai");
    assertThat(simulatorUrl).startsWith("http://127.0.0.1:");
    assertThat(desk).isInstanceOf(GreetingDesk_LlmTask.class);
  }
}
