package dev.llmtask.quarkus;

import dev.llmtask.LlmResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** An application bean that injects a generated client. */
@ApplicationScoped
public class Greeter {
  private final GreetingDesk desk;

  @Inject
  Greeter(GreetingDesk desk) {
    this.desk = desk;
  }

  public LlmResult<GreetingDesk.Greeting> greet(String name) {
    return desk.greet(name);
  }
}
