package dev.llmtask.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.testkit.LlmSimulator;
import org.jboss.weld.bootstrap.spi.BeanDiscoveryMode;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Weld SE: a generated client injects into an application bean and calls the simulator. */
class WeldSeTest {
  static final LlmSimulator SIMULATOR = LlmSimulator.start();

  @AfterAll
  static void stop() {
    SIMULATOR.close();
  }

  @BeforeEach
  void reset() {
    SIMULATOR.reset();
  }

  private static WeldContainer start(Weld weld) {
    long started = System.nanoTime();
    WeldContainer container = weld.initialize();
    System.out.printf("Weld SE container started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    return container;
  }

  @Test
  void annotatedDiscoveryInjectsTheGeneratedClient() {
    // the test classes' beans.xml says bean-discovery-mode="annotated": @Singleton alone is not bean-defining
    try (WeldContainer container = start(new Weld())) {
      assertThat(container.select(Greeter.class).get().greet("Ada")).isNotBlank();
      assertThat(SIMULATOR.requests("greet")).hasSize(1);
      assertThat(container.select(GreetingDesk.class).get()).isSameAs(container.select(GreetingDesk.class).get());
    }
  }

  @Test
  void aClientCompiledWithoutJakartaInjectIsASingletonBuiltWithTheProducedRuntime() {
    try (WeldContainer container = start(new Weld())) {
      PlainClient client = container.select(PlainClient.class).get();
      assertThat(client).isSameAs(container.select(PlainClient.class).get());
      assertThat(client.runtime()).isSameAs(container.select(dev.llmtask.LlmRuntime.class).get());
    }
  }

  @Test
  void discoveryModeAllKeepsOneBeanPerClient() {
    Weld weld = new Weld().disableDiscovery().setBeanDiscoveryMode(BeanDiscoveryMode.ALL)
        .addBeanClasses(Greeter.class, RuntimeProducer.class, GreetingDesk_LlmTask.class);
    try (WeldContainer container = start(weld)) {
      assertThat(container.select(GreetingDesk.class).isResolvable()).isTrue();
      assertThat(container.select(Greeter.class).get().greet("Bo")).isNotBlank();
    }
  }
}
