package dev.llmtask.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.LlmTasks;
import dev.llmtask.TelemetrySink;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.ExchangeInterceptor;
import dev.llmtask.spring.scan.FaqDesk;
import dev.llmtask.spring.scan.FaqService;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.RecordedRequest;
import dev.llmtask.testkit.SimulatedReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The starter's property binding, its start-up failures on bad properties, and its back-off. */
class LlmTaskAutoConfigurationTest {
  static final String KEY = "sk-test-never-shown-0123456789";

  static LlmSimulator simulator;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LlmTaskAutoConfiguration.class));

  @BeforeAll
  static void start() {
    simulator = LlmSimulator.start();
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @BeforeEach
  void reset() {
    simulator.reset();
  }

  private ApplicationContextRunner twoProviders() {
    return runner.withPropertyValues(
        "llmtask.providers.main.kind=openai",
        "llmtask.providers.main.base-url=" + simulator.openAiBaseUrl(),
        "llmtask.providers.main.api-key=" + KEY,
        "llmtask.providers.claude.kind=anthropic",
        "llmtask.providers.claude.base-url=" + simulator.anthropicBaseUrl(),
        "llmtask.providers.claude.api-key=" + KEY);
  }

  @Test
  void twoProvidersBindWithTheDefaultOneCalledAndPerTaskOverridesApplied() {
    twoProviders().withPropertyValues(
            "llmtask.default-provider=claude",
            "llmtask.providers.claude.default-model=claude-haiku-4-5",
            "llmtask.tasks.greet.model=claude-sonnet-4-5",
            "llmtask.tasks.greet.max-retries=0",
            "llmtask.tasks.[summarize].timeout=3s")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(LlmRuntime.class)
              .hasSingleBean(GreetingDesk.class).hasSingleBean(SummaryDesk.class);
          GreetingDesk desk = context.getBean(GreetingDesk.class);
          assertThat(desk.greet("Ada").text()).isNotBlank();
          RecordedRequest request = simulator.requests("greet").get(0);
          assertThat(request.provider()).isEqualTo("anthropic");
          assertThat(request.model()).isEqualTo("claude-sonnet-4-5");

          // max-retries=0: one 503 ends the call, where the annotation's default would retry twice
          simulator.enqueue("greet", SimulatedReply.status(503));
          assertThatThrownBy(() -> desk.greet("Bo")).isInstanceOfSatisfying(LlmTaskException.class,
              e -> assertThat(e.record().attempts()).isEqualTo(1));
        });
  }

  @Test
  void aTaskFallsBackToTheSecondProviderWithTheRoutesAndTaskSampling() {
    twoProviders().withPropertyValues(
            "llmtask.default-provider=main",
            "llmtask.tasks.greet.max-retries=0",
            "llmtask.tasks.greet.fallbacks=claude/claude-haiku-4-5",
            "llmtask.tasks.greet.sampling.max-output-tokens=300",
            "llmtask.routes.[claude/claude-haiku-4-5].temperature=0.25",
            "llmtask.circuit-breaker.failures=3")
        .run(context -> {
          assertThat(context).hasNotFailed();
          simulator.enqueue("greet", SimulatedReply.status(503));
          assertThat(context.getBean(GreetingDesk.class).greet("Ada").text()).isNotBlank();
          List<RecordedRequest> requests = simulator.requests("greet");
          assertThat(requests).extracting(RecordedRequest::provider).containsExactly("openai", "anthropic");
          assertThat(requests.get(0).json().path("max_completion_tokens").asInt()).isEqualTo(300);
          assertThat(requests.get(0).json().has("temperature")).isFalse();
          assertThat(requests.get(1).model()).isEqualTo("claude-haiku-4-5");
          assertThat(requests.get(1).json().path("max_tokens").asInt()).isEqualTo(300);
          assertThat(requests.get(1).json().path("temperature").asDouble()).isEqualTo(0.25);
        });
  }

  @Test
  void aFallbackToAProviderThatIsNotConfiguredFailsNamingIt() {
    runner.withPropertyValues("llmtask.providers.main.kind=openai", "llmtask.tasks.greet.fallbacks=claude/claude-haiku-4-5")
        .run(context -> startupFailure(context, "llmtask.tasks.greet.fallbacks").hasMessageContaining("[main, openai]"));
  }

  @Test
  void aBadSamplingValueFailsNamingIt() {
    runner.withPropertyValues("llmtask.providers.main.kind=openai", "llmtask.tasks.greet.sampling.temperature=5")
        .run(context -> startupFailure(context, "llmtask.tasks.greet.sampling.temperature")
            .hasMessageContaining("between 0 and 2"));
  }

  @Test
  void aLinkBeanRoutesToTheSecondProviderByItsName() {
    twoProviders().withPropertyValues("llmtask.default-provider=claude")
        .withBean(CallInterceptor.class, () -> chain -> chain.proceed(chain.call().withProvider("main").withModel("gpt-4o")))
        .run(context -> {
          context.getBean(SummaryDesk.class).summarize("a long text");
          RecordedRequest request = simulator.requests().get(0);
          assertThat(request.provider()).isEqualTo("openai");
          assertThat(request.model()).isEqualTo("gpt-4o");
        });
  }

  @Test
  void sinkAndExchangeLinkBeansAreUsedAndTheModelOverrideApplies() {
    List<CallRecord> records = new CopyOnWriteArrayList<>();
    AtomicInteger exchanges = new AtomicInteger();
    runner.withPropertyValues("llmtask.providers.solo.kind=openai",
            "llmtask.providers.solo.base-url=" + simulator.openAiBaseUrl(),
            "llmtask.model-override=gpt-4.1-mini")
        .withBean(TelemetrySink.class, () -> records::add)
        .withBean(ExchangeInterceptor.class, () -> chain -> {
          exchanges.incrementAndGet();
          return chain.proceed(chain.request());
        })
        .run(context -> {
          context.getBean(SummaryDesk.class).summarize("text");
          assertThat(exchanges).hasValue(1);
          assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.task()).isEqualTo("summarize");
            assertThat(r.status()).isEqualTo(CallStatus.OK);
            assertThat(r.model()).isEqualTo("gpt-4.1-mini");
          });
        });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsRuntimeAndTheClientsUseThatOne() {
    runner.withUserConfiguration(OwnRuntime.class)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(LlmRuntime.class);
          assertThat(context.getBean(LlmRuntime.class)).isSameAs(context.getBean(OwnRuntime.class).runtime);
          context.getBean(GreetingDesk.class).greet("Ada");
          assertThat(simulator.requests("greet")).hasSize(1);
        });
  }

  @Test
  void aClientTheApplicationDefinesItselfIsNotRegisteredAgain() {
    runner.withUserConfiguration(OwnRuntime.class, OwnClient.class)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(GreetingDesk.class).hasSingleBean(SummaryDesk.class);
          assertThat(context.getBean(GreetingDesk.class)).isSameAs(context.getBean(OwnClient.class).desk);
        });
  }

  @Test
  void aClientFoundByComponentScanIsNotRegisteredAgain() {
    runner.withPropertyValues("llmtask.providers.main.kind=openai",
            "llmtask.providers.main.base-url=" + simulator.openAiBaseUrl())
        .withUserConfiguration(ScannedTasks.class)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(FaqDesk.class);
          assertThat(context.getBeanNamesForType(FaqDesk.class)).containsExactly("faqDesk_LlmTask"); // the scan's
          assertThat(context.getBean(FaqService.class).answer("Where is my invoice?")).isNotBlank();
          assertThat(simulator.requests("answer")).hasSize(1);
        });
  }

  /** The context failed on {@code property}, with a message that starts with it and never shows the key. */
  static AbstractThrowableAssert<?, ? extends Throwable> startupFailure(AssertableApplicationContext context,
      String property) {
    assertThat(context).hasFailed();
    Throwable failure = context.getStartupFailure();
    while (failure.getCause() != null && !(failure instanceof InvalidLlmTaskPropertyException)) {
      failure = failure.getCause();
    }
    assertThat(failure).isInstanceOf(InvalidLlmTaskPropertyException.class);
    assertThat(((InvalidLlmTaskPropertyException) failure).property()).isEqualTo(property);
    return assertThat(failure).hasMessageStartingWith(property + ": ").hasMessageNotContaining(KEY);
  }

  @Test
  void noProviderFailsNamingTheProperty() {
    runner.run(context -> startupFailure(context, "llmtask.providers").hasMessageContaining("kind=openai"));
  }

  @Test
  void severalProvidersWithoutADefaultFailNamingDefaultProvider() {
    twoProviders().run(context -> startupFailure(context, "llmtask.default-provider")
        .hasMessageContaining("[claude, main]"));
  }

  @Test
  void anUnknownDefaultProviderFailsListingTheProviders() {
    twoProviders().withPropertyValues("llmtask.default-provider=mian")
        .run(context -> startupFailure(context, "llmtask.default-provider").hasMessageContaining("'mian'"));
  }

  @Test
  void aProviderWithoutKindFails() {
    runner.withPropertyValues("llmtask.providers.main.base-url=" + simulator.openAiBaseUrl())
        .run(context -> startupFailure(context, "llmtask.providers.main.kind").hasMessageContaining("anthropic"));
  }

  @Test
  void aMalformedKeyFailsNamingThePropertyWithoutEchoingTheKey() {
    runner.withPropertyValues("llmtask.providers.main.kind=openai", "llmtask.providers.main.api-key=" + KEY + " x")
        .run(context -> startupFailure(context, "llmtask.providers.main.api-key").hasMessageNotContaining(KEY));
  }

  @Test
  void aTaskThatDoesNotExistFailsListingTheTasks() {
    runner.withPropertyValues("llmtask.providers.main.kind=openai", "llmtask.tasks.great.timeout=5s")
        .run(context -> startupFailure(context, "llmtask.tasks.great")
            .hasMessageContaining("[answer, greet, summarize]"));
  }

  @Test
  void aNegativeRetryCapFailsNamingTheTaskProperty() {
    runner.withPropertyValues("llmtask.providers.main.kind=openai", "llmtask.tasks.greet.max-retries=-1")
        .run(context -> startupFailure(context, "llmtask.tasks.greet.max-retries"));
  }

  @Test
  void aDefaultModelOnAProviderCallsDoNotGoToFails() {
    twoProviders().withPropertyValues("llmtask.default-provider=main",
            "llmtask.providers.claude.default-model=claude-haiku-4-5")
        .run(context -> startupFailure(context, "llmtask.providers.claude.default-model")
            .hasMessageContaining("llmtask.tasks.<task>.model"));
  }

  @Test
  void thePriceFilePricesTheCalls(@TempDir Path dir) throws IOException {
    Path prices = Files.writeString(dir.resolve("prices.json"), """
        {"gpt-4o-mini": {"input_cost_per_token": 0.00000015, "output_cost_per_token": 0.0000006,
                         "litellm_provider": "openai"}}
        """);
    List<CallRecord> records = new CopyOnWriteArrayList<>();
    runner.withPropertyValues("llmtask.providers.main.kind=openai",
            "llmtask.providers.main.base-url=" + simulator.openAiBaseUrl(), "llmtask.price-file=" + prices)
        .withBean(TelemetrySink.class, () -> records::add)
        .run(context -> {
          context.getBean(SummaryDesk.class).summarize("text");
          assertThat(records).singleElement().satisfies(r -> assertThat(r.costUsd()).isPositive());
        });
  }

  @Test
  void anUnreadablePriceFileFailsNamingIt() {
    runner.withPropertyValues("llmtask.providers.main.kind=openai", "llmtask.price-file=/nonexistent/prices.json")
        .run(context -> startupFailure(context, "llmtask.price-file"));
  }

  @Test
  void theStartupReportNamesThePropertyAndWhatToDo() {
    runner.withPropertyValues("llmtask.providers.a.kind=openai", "llmtask.providers.b.kind=anthropic")
        .run(context -> {
          FailureAnalysis analysis = new InvalidLlmTaskPropertyFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis.getDescription())
              .isEqualTo("The llmtask property llmtask.default-provider is not valid: is required when there are"
                  + " several providers [a, b]: name the one calls go to");
          assertThat(analysis.getAction()).startsWith("Update llmtask.default-provider");
        });
  }

  @Test
  void theProviderPropertiesNeverShowTheKey() {
    assertThat(new LlmTaskProperties.Provider(LlmTaskProperties.Kind.OPENAI, KEY, null, null).toString())
        .doesNotContain(KEY).contains("***");
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRuntime {
    final LlmRuntime runtime = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(simulator.openAiBaseUrl()).build()).build();

    @Bean
    LlmRuntime myRuntime() {
      return runtime;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ComponentScan(basePackageClasses = FaqDesk.class)
  static class ScannedTasks {}

  @Configuration(proxyBeanMethods = false)
  static class OwnClient {
    GreetingDesk desk;

    @Bean
    GreetingDesk myGreetingDesk(LlmRuntime runtime) {
      desk = LlmTasks.create(GreetingDesk.class, runtime);
      return desk;
    }
  }
}
