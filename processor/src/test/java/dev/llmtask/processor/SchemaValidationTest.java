package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.llmtask.processor.Sources.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sample answers validated against the generated schemas with an independent JSON Schema validator
 * (networknt, draft 2020-12): good answers pass, and each kind of bad answer fails in both dialects.
 */
class SchemaValidationTest {
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  /** The two generated schemas of a task. */
  enum Dialect {
    OPENAI, ANTHROPIC
  }

  private static Compilation rotation;
  private static Compilation tickets;

  private static final String TICKETS = """
      package com.example;

      import dev.llmtask.LlmTask;
      import dev.llmtask.UserPrompt;
      import jakarta.validation.constraints.Size;
      import java.util.List;
      import java.util.Optional;

      @LlmTask(promptVersion = "extract_ticket@1")
      public interface TicketDesk {
        enum Priority { low, normal, high }

        record Person(@Size(min = 2) String name, Optional<String> email) {}

        record Ticket(String title, Priority priority, Person reporter, Optional<Person> assignee,
            List<String> tags) {}

        @UserPrompt("{{text}}")
        Ticket extractTicket(String text);
      }
      """;

  @BeforeAll
  static void compile() {
    rotation = Sources.compile(Sources.decision(), Sources.rotationDecision(), Sources.rotationDesk());
    assertThat(rotation).succeededWithoutWarnings();
    tickets = Sources.compile(Sources.source("com.example.TicketDesk", TICKETS));
    assertThat(tickets).succeededWithoutWarnings();
  }

  private static Schema rotationSchema(Dialect dialect) {
    return REGISTRY.getSchema(Sources.staticString(rotation, "com.example.RotationDesk_LlmTask",
        "DECIDE_ROTATION_" + dialect + "_SCHEMA"), InputFormat.JSON);
  }

  private static Schema ticketSchema(Dialect dialect) {
    return REGISTRY.getSchema(Sources.staticString(tickets, "com.example.TicketDesk_LlmTask",
        "EXTRACT_TICKET_" + dialect + "_SCHEMA"), InputFormat.JSON);
  }

  private static List<Error> errors(Schema schema, String singleQuotedJson) {
    return schema.validate(json(singleQuotedJson), InputFormat.JSON);
  }

  private static final String GOOD_DECISION =
      "{'decision':'eligible','rotation_window_days':30,'source_line_ids':['P-7']}";

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aGoodAnswerPasses(Dialect dialect) {
    assertThat(errors(rotationSchema(dialect), GOOD_DECISION)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aMissingPropertyFails(Dialect dialect) {
    assertThat(errors(rotationSchema(dialect), "{'decision':'eligible','source_line_ids':['P-7']}"))
        .extracting(Error::getKeyword).containsExactly("required");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anExtraPropertyFails(Dialect dialect) {
    assertThat(errors(rotationSchema(dialect), GOOD_DECISION.replace("}", ",'confidence':0.9}")))
        .extracting(Error::getKeyword).containsExactly("additionalProperties");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aValueOutsideTheEnumFails(Dialect dialect) {
    assertThat(errors(rotationSchema(dialect), GOOD_DECISION.replace("'eligible'", "'maybe'")))
        .extracting(Error::getKeyword).containsExactly("enum");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aNumberBelowMinFails(Dialect dialect) {
    assertThat(errors(rotationSchema(dialect), GOOD_DECISION.replace("30", "-1")))
        .extracting(Error::getKeyword).containsExactly("minimum");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anEmptyListUnderNotEmptyFails(Dialect dialect) {
    assertThat(errors(rotationSchema(dialect), GOOD_DECISION.replace("['P-7']", "[]")))
        .extracting(Error::getKeyword).containsExactly("minItems");
  }

  private static final String GOOD_TICKET = "{'title':'Key rotation','priority':'high',"
      + "'reporter':{'name':'Dana','email':null},'assignee':{'name':'Lee','email':'lee@example.com'},'tags':['iam']}";

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void sharedRecordsAreCheckedThroughTheirReference(Dialect dialect) {
    Schema schema = ticketSchema(dialect);
    assertThat(Sources.staticString(tickets, "com.example.TicketDesk_LlmTask", "EXTRACT_TICKET_" + dialect + "_SCHEMA"))
        .contains("\"$defs\":{\"Person\":");
    assertThat(errors(schema, GOOD_TICKET)).isEmpty();
    assertThat(errors(schema, GOOD_TICKET.replace("'assignee':{'name':'Lee','email':'lee@example.com'}",
        "'assignee':null"))).isEmpty();
    assertThat(errors(schema, GOOD_TICKET.replace("{'name':'Dana','email':null}", "{'name':'Dana'}")))
        .extracting(Error::getKeyword).containsExactly("required");
    assertThat(errors(schema, GOOD_TICKET.replace("'email':'lee@example.com'", "'email':7")))
        .isNotEmpty();
  }

  @Test
  void stringLengthsAreEnforcedByTheAnthropicSchemaOnly() {
    String shortName = GOOD_TICKET.replace("'Dana'", "'D'");
    assertThat(errors(ticketSchema(Dialect.ANTHROPIC), shortName)).extracting(Error::getKeyword)
        .containsExactly("minLength");
    assertThat(errors(ticketSchema(Dialect.OPENAI), shortName)).isEmpty();
  }

  private static final String ORDERS = """
      package com.example;

      import dev.llmtask.LlmTask;
      import dev.llmtask.UserPrompt;
      import jakarta.validation.constraints.Pattern;

      @LlmTask(promptVersion = "order_ref@1")
      public interface OrderDesk {
        record OrderRef(@Pattern(regexp = "A-\\\\d+") String id) {}

        @UserPrompt("{{text}}")
        OrderRef orderRef(String text);
      }
      """;

  /** Bean Validation matches {@code @Pattern} against the whole string, so the schema must too. */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aPatternMatchesTheWholeStringLikeBeanValidation(Dialect dialect) {
    Compilation orders = Sources.compile(Sources.source("com.example.OrderDesk", ORDERS));
    assertThat(orders).succeededWithoutWarnings();
    Schema schema = REGISTRY.getSchema(Sources.staticString(orders, "com.example.OrderDesk_LlmTask",
        "ORDER_REF_" + dialect + "_SCHEMA"), InputFormat.JSON);
    assertThat(errors(schema, "{'id':'A-12'}")).isEmpty();
    assertThat(errors(schema, "{'id':'xA-1y'}")).extracting(Error::getKeyword).containsExactly("pattern");
    assertThat(errors(schema, "{'id':'A-1y'}")).extracting(Error::getKeyword).containsExactly("pattern");
  }
}
