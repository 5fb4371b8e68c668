package dev.llmtask.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** An application bean that injects a generated client. */
@ApplicationScoped
public class Greeter {
  @Inject
  GreetingDesk desk;

  public String greet(String name) {
    return desk.greet(name).text();
  }
}
