package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.testing.compile.Compilation;
import dev.llmtask.CallOptions;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.LlmTasks;
import dev.llmtask.budget.Budget;
import dev.llmtask.budget.BudgetPeriod;
import dev.llmtask.budget.BudgetPolicy;
import dev.llmtask.budget.UnpricedModelRule;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code @Tenant} parameter: the generated code passes it to the call, so per-tenant budgets count the
 * call under it; it may be used in a prompt, and need not be; the call's {@code CallOptions} tenant wins.
 */
class TenantParameterTest {
  private static final String DESK = """
      package com.example;

      import dev.llmtask.CallOptions;
      import dev.llmtask.LlmTask;
      import dev.llmtask.Tenant;
      import dev.llmtask.UserPrompt;

      @LlmTask(promptVersion = "support@1", model = "m")
      public interface SupportDesk {
        @UserPrompt("Answer for account {{account}}: {{question}}")
        String answer(String question, @Tenant String account);

        @UserPrompt("Summarize: {{text}}")
        String summarize(String text, @Tenant String tenant, CallOptions options);
      }
      """;

  private static Compilation compilation;
  private static Class<?> desk;

  @BeforeAll
  static void compile() throws Exception {
    compilation = Sources.compile(Sources.source("com.example.SupportDesk", DESK));
    assertThat(compilation).succeededWithoutWarnings(); // an unused @Tenant parameter is no error
    desk = new CompiledClasses(compilation).loadClass("com.example.SupportDesk");
  }

  @Test
  void theGeneratedCodePassesTheTenantToTheCall() {
    String code = Sources.generated(compilation, "com.example.SupportDesk_LlmTask");
    assertThat(code).contains(".tenant(account)").contains(".tenant(tenant)\n        .options(options)");
  }

  @Test
  void eachTenantHasItsOwnBudgetAndTheCallOptionsTenantWins() throws Exception {
    // every scripted reply uses 330 tokens; an attempt reserves about 70 (its prompt and the 50-token cap)
    RotationDeskTest.ScriptedProvider provider = new RotationDeskTest.ScriptedProvider(
        "{\"value\":\"a\"}", "{\"value\":\"b\"}", "{\"value\":\"c\"}");
    LlmRuntime runtime = LlmRuntime.builder().provider(provider).defaultModel("m").maxOutputTokens(50)
        .budgets(BudgetPolicy.builder().budget(Budget.perTenant(BudgetPeriod.DAY).maxTokens(350))
            .unpricedModels(UnpricedModelRule.COUNT_TOKENS_ONLY).alertAt().build())
        .build();
    Object client = LlmTasks.create(desk, runtime);
    Method answer = desk.getMethod("answer", String.class, String.class);
    Method summarize = desk.getMethod("summarize", String.class, String.class, CallOptions.class);

    assertThat(answer.invoke(client, "Where is my invoice?", "acme")).isEqualTo("a");
    assertThat(provider.requests.get(0).userPrompt()).isEqualTo("Answer for account acme: Where is my invoice?");

    LlmTaskException refused = failure(() -> answer.invoke(client, "And the next one?", "acme"));
    assertThat(refused.record().status()).isEqualTo(CallStatus.BUDGET_EXCEEDED);
    assertThat(refused.record().failureReason()).contains("tenant acme");
    assertThat(provider.requests).as("the refused call sent nothing").hasSize(1);

    assertThat(answer.invoke(client, "Where is my invoice?", "globex")).as("globex has its own budget")
        .isEqualTo("b");
    assertThat(summarize.invoke(client, "text", "acme", CallOptions.builder().tenant("initech").build()))
        .as("the options' tenant, not the parameter's").isEqualTo("c");
    assertThat(failure(() -> summarize.invoke(client, "text", "initech", CallOptions.builder().tenant("acme").build()))
        .record().failureReason()).contains("tenant acme");
    assertThat(provider.requests).hasSize(3);
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static LlmTaskException failure(Call call) {
    Throwable thrown = catchThrowable(call::run);
    assertThat(thrown).isInstanceOf(InvocationTargetException.class);
    assertThat(thrown.getCause()).isInstanceOf(LlmTaskException.class);
    return (LlmTaskException) thrown.getCause();
  }
}
