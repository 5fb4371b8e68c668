package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.testing.compile.Compilation;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTasks;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Task parameters of every accepted type, rendered into the prompt by the generated code at run time. */
class PromptParametersTest {
  private static final String DESK = """
      package com.example;

      import com.fasterxml.jackson.annotation.JsonProperty;
      import dev.llmtask.LlmTask;
      import dev.llmtask.SystemPrompt;
      import dev.llmtask.UserPrompt;
      import java.util.List;
      import java.util.Optional;

      @LlmTask(promptVersion = "reply@1")
      public interface ReplyDesk {
        enum Tier { @JsonProperty("gold") GOLD, SILVER }

        record Customer(String name, Tier tier, Optional<String> email) {}

        record Ticket(String subject, int number, Customer customer, List<String> tags) {}

        @SystemPrompt("Customer {{ticket.customer.name}} ({{ticket.customer.tier}}), ticket #{{ticket.number}}")
        @UserPrompt("{{ticket}}|{{tags}}|{{note}}|{{tier}}|{{count}}|{{ticket.subject}}")
        String reply(Ticket ticket, List<String> tags, Optional<String> note, Tier tier, long count);
      }
      """;

  private static Compilation compilation;
  private static Class<?> desk;
  private static Class<?> ticket;
  private static Class<?> customer;
  private static Class<?> tier;

  @BeforeAll
  static void compile() throws Exception {
    Compilation c = Sources.compile(Sources.source("com.example.ReplyDesk", DESK));
    compilation = c;
    assertThat(c).succeededWithoutWarnings();
    ClassLoader loader = new CompiledClasses(c);
    desk = loader.loadClass("com.example.ReplyDesk");
    ticket = loader.loadClass("com.example.ReplyDesk$Ticket");
    customer = loader.loadClass("com.example.ReplyDesk$Customer");
    tier = loader.loadClass("com.example.ReplyDesk$Tier");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object tier(String name) {
    return Enum.valueOf((Class) tier, name);
  }

  private static Object ticket(Object customerValue) throws Exception {
    return ticket.getConstructors()[0].newInstance("Key rotation", 7, customerValue, List.of("iam"));
  }

  private static Object customer() throws Exception {
    return customer.getConstructors()[0].newInstance("Dana", tier("GOLD"), Optional.empty());
  }

  private static Object call(RotationDeskTest.ScriptedProvider provider, Object... args) throws Exception {
    LlmRuntime runtime = LlmRuntime.builder().provider(provider).defaultModel("m").build();
    Object instance = LlmTasks.create(desk, runtime);
    Method reply = desk.getMethod("reply", ticket, List.class, Optional.class, tier, long.class);
    try {
      return reply.invoke(instance, args);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void recordsAndListsAreCanonicalJsonOptionalsTheirValueOrNothingAndPathsReadComponents() throws Exception {
    RotationDeskTest.ScriptedProvider provider = new RotationDeskTest.ScriptedProvider("{\"value\":\"ok\"}");
    assertThat(call(provider, ticket(customer()), List.of("a", "b"), Optional.empty(), tier("SILVER"), 3L))
        .isEqualTo("ok");

    assertThat(provider.requests.get(0).systemPrompt()).isEqualTo("Customer Dana (gold), ticket #7");
    assertThat(provider.requests.get(0).userPrompt()).isEqualTo(
        "{\"customer\":{\"email\":null,\"name\":\"Dana\",\"tier\":\"gold\"},\"number\":7,\"subject\":\"Key rotation\","
            + "\"tags\":[\"iam\"]}|[\"a\",\"b\"]||SILVER|3|Key rotation");
  }

  @Test
  void pathsAreAccessorCallsWithEachStepCheckedForNull() {
    assertThat(Sources.generated(compilation, "com.example.ReplyDesk_LlmTask"))
        .contains("PromptText.of(\"ticket.customer.name\", PromptText.nonNull(\"ticket.customer\", "
            + "PromptText.nonNull(\"ticket\", ticket).customer()).name())")
        .contains("PromptText.of(\"ticket.number\", PromptText.nonNull(\"ticket\", ticket).number())")
        .contains("PromptText.of(\"ticket\", ticket)");
  }

  @Test
  void aPresentOptionalRendersAsItsValue() throws Exception {
    RotationDeskTest.ScriptedProvider provider = new RotationDeskTest.ScriptedProvider("{\"value\":\"ok\"}");
    call(provider, ticket(customer()), List.of(), Optional.of("call back"), tier("GOLD"), 0L);
    assertThat(provider.requests.get(0).userPrompt()).contains("|[]|call back|gold|0|");
  }

  /** The example of docs/declaring-tasks.md renders exactly the prompts the doc shows. */
  @Test
  void theDocumentedExampleRendersAsTheDocShows() throws Exception {
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "declaring-tasks.md"));
    java.util.regex.Matcher example = java.util.regex.Pattern.compile(
        "```java\n(?:import [^\n]*\n)*\n?(@LlmTask\\(promptVersion = \"reply@1\"\\)\npublic interface TicketReplies.*?)```\n"
            + ".*?the system prompt is `([^`]*)` and the user prompt is:\n\n```text\n(.*?)\n```",
        java.util.regex.Pattern.DOTALL).matcher(doc);
    assertThat(example.find()).as("the TicketReplies example in docs/declaring-tasks.md").isTrue();
    Compilation c = Sources.compile(Sources.source("com.example.TicketReplies", """
        package com.example;

        import com.fasterxml.jackson.annotation.*;
        import dev.llmtask.*;
        import java.util.*;

        """ + example.group(1)));
    assertThat(c).succeededWithoutWarnings();
    ClassLoader loader = new CompiledClasses(c);
    Class<?> replies = loader.loadClass("com.example.TicketReplies");
    Class<?> ticketType = loader.loadClass("com.example.TicketReplies$Ticket");
    Class<?> customerType = loader.loadClass("com.example.TicketReplies$Customer");
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object gold = Enum.valueOf((Class) loader.loadClass("com.example.TicketReplies$Tier"), "GOLD");
    Object dana = customerType.getConstructors()[0].newInstance("Dana", gold);
    Object keyRotation = ticketType.getConstructors()[0].newInstance("Key rotation", dana, List.of("iam"));

    RotationDeskTest.ScriptedProvider provider = new RotationDeskTest.ScriptedProvider("{\"value\":\"ok\"}");
    Object instance = LlmTasks.create(replies, LlmRuntime.builder().provider(provider).defaultModel("m").build());
    replies.getMethod("draftReply", ticketType, Optional.class).invoke(instance, keyRotation, Optional.empty());

    assertThat(provider.requests.get(0).systemPrompt()).isEqualTo(example.group(2));
    assertThat(provider.requests.get(0).userPrompt()).isEqualTo(example.group(3));
  }

  @Test
  void aNullStepOfAPathIsNamedWithoutAnyValue() {
    RotationDeskTest.ScriptedProvider provider = new RotationDeskTest.ScriptedProvider("{\"value\":\"ok\"}");
    assertThatThrownBy(() -> call(provider, ticket(null), List.of(), Optional.empty(), tier("GOLD"), 0L))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("'ticket.customer' is null, and the prompt reads a component of it");
    assertThat(provider.requests).isEmpty();
  }
}
