package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.llmtask.processor.Sources.constant;
import static dev.llmtask.processor.Sources.generated;
import static dev.llmtask.processor.Sources.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** JSON Schemas for nested, nullable, wrapped, list, recursive and constrained answers. */
class SchemaTest {

  /** A type-use {@code @Nullable} (like JSpecify's). */
  private static final JavaFileObject TYPE_USE_NULLABLE = Sources.source("com.example.Nullable", """
      package com.example;

      import java.lang.annotation.ElementType;
      import java.lang.annotation.Target;

      @Target(ElementType.TYPE_USE)
      public @interface Nullable {}
      """);

  /** A declaration {@code @Nullable} (like the old javax.annotation one), in another package. */
  private static final JavaFileObject DECLARATION_NULLABLE = Sources.source("org.acme.Nullable", """
      package org.acme;

      import java.lang.annotation.ElementType;
      import java.lang.annotation.Target;

      @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
      public @interface Nullable {}
      """);

  private static final String TICKET_DESK = """
      package com.example;

      import dev.llmtask.LlmTask;
      import dev.llmtask.UserPrompt;
      import java.util.List;
      import java.util.Optional;

      @LlmTask(promptVersion = "triage@1")
      public interface TicketDesk {
        enum Priority { low, normal, high }

        record Owner(String name, @org.acme.Nullable String email) {}

        record Tag(String label, Optional<Owner> owner) {}

        record Ticket(
            String title,
            Priority priority,
            Optional<String> note,
            @Nullable Integer score,
            @Nullable Priority fallback,
            Owner owner,
            List<Tag> tags,
            Optional<List<String>> labels,
            boolean urgent,
            double confidence) {}

        @UserPrompt("{{text}}")
        Ticket triage(String text);

        @UserPrompt("{{text}}")
        List<Tag> tags(String text);

        @UserPrompt("{{text}}")
        String summarize(String text);

        @UserPrompt("{{text}}")
        Priority classify(String text);

        @UserPrompt("{{text}}")
        int countOwners(String text);
      }
      """;

  private static final String PRIORITY = "{'type':'string','enum':['low','normal','high']}";
  private static final String OWNER = "{'type':'object','properties':{'name':{'type':'string'},"
      + "'email':{'type':['string','null']}},'required':['name','email'],'additionalProperties':false}";
  private static final String OWNER_REF = "{'$ref':'#/$defs/Owner'}";

  /** The Tag object with {@code owner} as the schema of Tag.owner's Owner (inlined or referenced). */
  private static String tag(String owner) {
    return "{'type':'object','properties':{'label':{'type':'string'},"
        + "'owner':{'anyOf':[" + owner + ",{'type':'null'}]}},'required':['label','owner'],"
        + "'additionalProperties':false}";
  }

  private static String ticketDeskCode() {
    Compilation c = Sources.compile(TYPE_USE_NULLABLE, DECLARATION_NULLABLE,
        Sources.source("com.example.TicketDesk", TICKET_DESK));
    assertThat(c).succeededWithoutWarnings();
    return generated(c, "com.example.TicketDesk_LlmTask");
  }

  @Test
  void nestedRecordsAreInlinedSharedOnesReferencedAndNullablesAreUnions() {
    String schema = constant(ticketDeskCode(), "TRIAGE_OPENAI_SCHEMA");
    assertThat(schema).isEqualTo(json("{'type':'object','properties':{"
        + "'title':{'type':'string'},"
        + "'priority':" + PRIORITY + ","
        + "'note':{'type':['string','null']},"
        + "'score':{'type':['integer','null']},"
        + "'fallback':{'anyOf':[" + PRIORITY + ",{'type':'null'}]},"
        + "'owner':" + OWNER_REF + ","
        + "'tags':{'type':'array','items':" + tag(OWNER_REF) + "},"
        + "'labels':{'type':['array','null'],'items':{'type':'string'}},"
        + "'urgent':{'type':'boolean'},"
        + "'confidence':{'type':'number'}},"
        + "'required':['title','priority','note','score','fallback','owner','tags','labels','urgent','confidence'],"
        + "'additionalProperties':false,'$defs':{'Owner':" + OWNER + "}}"));
  }

  @Test
  void listOfRecordsIsWrappedUnderItems() {
    String code = ticketDeskCode();
    assertThat(constant(code, "TAGS_OPENAI_SCHEMA")).isEqualTo(json("{'type':'object','properties':{"
        + "'items':{'type':'array','items':" + tag(OWNER) + "}},'required':['items'],'additionalProperties':false}"));
    assertThat(code).contains("private static final TaskSpec<List<TicketDesk.Tag>> TAGS = "
        + "TaskSpec.builder(\"tags\", OutputDecoder.listOf(TicketDesk.Tag.class, \"items\", AnswerConstraints.none()))");
  }

  @Test
  void stringIsWrappedUnderValue() {
    String code = ticketDeskCode();
    assertThat(constant(code, "SUMMARIZE_OPENAI_SCHEMA")).isEqualTo(json("{'type':'object','properties':{"
        + "'value':{'type':'string'}},'required':['value'],'additionalProperties':false}"));
    assertThat(code).contains("TaskSpec.builder(\"summarize\", OutputDecoder.wrapped(String.class, \"value\"))");
  }

  @Test
  void enumIsWrappedUnderValue() {
    String code = ticketDeskCode();
    assertThat(constant(code, "CLASSIFY_OPENAI_SCHEMA")).isEqualTo(json("{'type':'object','properties':{"
        + "'value':" + PRIORITY + "},'required':['value'],'additionalProperties':false}"));
    assertThat(code).contains(
        "TaskSpec.builder(\"classify\", OutputDecoder.wrapped(TicketDesk.Priority.class, \"value\"))");
  }

  @Test
  void primitiveIsWrappedAndBoxed() {
    String code = ticketDeskCode();
    assertThat(constant(code, "COUNT_OWNERS_OPENAI_SCHEMA")).isEqualTo(json("{'type':'object','properties':{"
        + "'value':{'type':'integer'}},'required':['value'],'additionalProperties':false}"));
    assertThat(code)
        .contains("private static final TaskSpec<Integer> COUNT_OWNERS = "
            + "TaskSpec.builder(\"count_owners\", OutputDecoder.wrapped(Integer.class, \"value\"))")
        .contains("public int countOwners(String text) {");
  }

  @Test
  void recursiveRecordsUseDefsAndRefs() {
    Compilation c = Sources.compile(Sources.source("com.example.Outline", """
        package com.example;

        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;
        import java.util.List;
        import java.util.Optional;

        @LlmTask(promptVersion = "outline@1")
        public interface Outline {
          record Node(String name, List<Node> children) {}

          record Dept(String name, List<Person> members) {}

          record Person(String name, Optional<Dept> leads) {}

          @UserPrompt("{{text}}")
          Node outline(String text);

          @UserPrompt("{{text}}")
          Dept org(String text);
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    String code = generated(c, "com.example.Outline_LlmTask");
    String node = "{'type':'object','properties':{'name':{'type':'string'},"
        + "'children':{'type':'array','items':{'$ref':'#/$defs/Node'}}},"
        + "'required':['name','children'],'additionalProperties':false}";
    assertThat(constant(code, "OUTLINE_OPENAI_SCHEMA")).isEqualTo(json(
        node.substring(0, node.length() - 1) + ",'$defs':{'Node':" + node + "}}"));

    String dept = "{'type':'object','properties':{'name':{'type':'string'},"
        + "'members':{'type':'array','items':{'$ref':'#/$defs/Person'}}},"
        + "'required':['name','members'],'additionalProperties':false}";
    String person = "{'type':'object','properties':{'name':{'type':'string'},"
        + "'leads':{'anyOf':[{'$ref':'#/$defs/Dept'},{'type':'null'}]}},"
        + "'required':['name','leads'],'additionalProperties':false}";
    assertThat(constant(code, "ORG_OPENAI_SCHEMA")).isEqualTo(json(
        dept.substring(0, dept.length() - 1) + ",'$defs':{'Dept':" + dept + ",'Person':" + person + "}}"));
  }

  @Test
  void aRecordUsedOnceIsInlinedAndOneUsedTwiceIsDefinedOnce() {
    String schema = constant(ticketDeskCode(), "TRIAGE_OPENAI_SCHEMA");
    // Owner appears twice (Ticket.owner and Tag.owner): one definition, two references
    assertThat(schema.split("\"email\":\\{", -1)).hasSize(2);
    assertThat(schema.split("#/\\$defs/Owner", -1)).hasSize(3);
    // Tag appears once: inlined
    assertThat(schema).contains("\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"object\"")
        .doesNotContain("$defs/Tag");
  }

  @Test
  void descriptionsComeFromJavadocUnlessAnAnnotationGivesOne() {
    Compilation c = Sources.compile(Sources.source("com.example.DocDesk", """
        package com.example;

        import com.fasterxml.jackson.annotation.JsonClassDescription;
        import com.fasterxml.jackson.annotation.JsonPropertyDescription;
        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;

        @LlmTask(promptVersion = "doc@1")
        public interface DocDesk {
          /**
           * A customer ticket, as read from the <b>inbox</b>.
           *
           * @param title the subject line, without {@code RE:} prefixes
           * @param urgency how soon
           *     to answer, 1 to 5
           * @param owner not used: the annotation wins
           */
          record Ticket(String title, int urgency, @JsonPropertyDescription("Who owns it") String owner, Note note) {}

          /** Ignored: the annotation wins. */
          @JsonClassDescription("A note on the ticket")
          record Note(String text) {}

          @UserPrompt("{{text}}")
          Ticket read(String text);
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(constant(generated(c, "com.example.DocDesk_LlmTask"), "READ_OPENAI_SCHEMA")).isEqualTo(json(
        "{'type':'object','description':'A customer ticket, as read from the inbox.','properties':{"
            + "'title':{'type':'string','description':'the subject line, without RE: prefixes'},"
            + "'urgency':{'type':'integer','description':'how soon to answer, 1 to 5'},"
            + "'owner':{'type':'string','description':'Who owns it'},"
            + "'note':{'type':'object','description':'A note on the ticket','properties':{'text':{'type':'string'}},"
            + "'required':['text'],'additionalProperties':false}},"
            + "'required':['title','urgency','owner','note'],'additionalProperties':false}"));
  }

  private static final String LIMITS = """
      package com.example;

      import com.fasterxml.jackson.annotation.JsonProperty;
      import com.fasterxml.jackson.annotation.JsonPropertyDescription;
      import dev.llmtask.LlmTask;
      import dev.llmtask.UserPrompt;
      import jakarta.validation.constraints.DecimalMax;
      import jakarta.validation.constraints.DecimalMin;
      import jakarta.validation.constraints.Email;
      import jakarta.validation.constraints.Negative;
      import jakarta.validation.constraints.NegativeOrZero;
      import jakarta.validation.constraints.NotEmpty;
      import jakarta.validation.constraints.Pattern;
      import jakarta.validation.constraints.Positive;
      import jakarta.validation.constraints.PositiveOrZero;
      import jakarta.validation.constraints.Size;
      import java.math.BigDecimal;
      import java.util.List;
      import java.util.Optional;

      @LlmTask(promptVersion = "limits@1")
      public interface LimitsDesk {
        record Limits(
            @DecimalMin(value = "0.5", inclusive = false) @DecimalMax("10") double ratio,
            @Positive long count,
            @NegativeOrZero int delta,
            @Negative BigDecimal loss,
            @Size(min = 1, max = 3) List<String> picks,
            @Pattern(regexp = "^P-\\\\d+$") String lineId,
            @Email String contact,
            @Size(min = 2, max = 40) @JsonPropertyDescription("Short title") String title,
            @JsonProperty("n") @PositiveOrZero Integer count2,
            @NotEmpty String note,
            Optional<@Size(max = 5) String> code) {}

        @UserPrompt("{{text}}")
        Limits limits(String text);
      }
      """;

  @Test
  void beanValidationConstraintsMapToOpenAiKeywords() {
    Compilation c = Sources.compile(Sources.source("com.example.LimitsDesk", LIMITS));
    assertThat(c).succeededWithoutWarnings();
    String code = generated(c, "com.example.LimitsDesk_LlmTask");
    assertThat(constant(code, "LIMITS_OPENAI_SCHEMA")).isEqualTo(json("{'type':'object','properties':{"
        + "'ratio':{'type':'number','exclusiveMinimum':0.5,'maximum':10},"
        + "'count':{'type':'integer','exclusiveMinimum':0},"
        + "'delta':{'type':'integer','maximum':0},"
        + "'loss':{'type':'number','exclusiveMaximum':0},"
        + "'picks':{'type':'array','items':{'type':'string'},'minItems':1,'maxItems':3},"
        + "'lineId':{'type':'string','pattern':'^(?:^P-\\\\d+$)$'},"
        + "'contact':{'type':'string','format':'email'},"
        + "'title':{'type':'string','description':'Short title'},"
        + "'n':{'type':'integer','minimum':0},"
        + "'note':{'type':'string'},"
        + "'code':{'type':['string','null']}},"
        + "'required':['ratio','count','delta','loss','picks','lineId','contact','title','n','note','code'],"
        + "'additionalProperties':false}"));
  }

  @Test
  void anthropicSchemaAlsoCarriesStringLengths() {
    Compilation c = Sources.compile(Sources.source("com.example.LimitsDesk", LIMITS));
    String anthropic = constant(generated(c, "com.example.LimitsDesk_LlmTask"), "LIMITS_ANTHROPIC_SCHEMA");
    assertThat(anthropic)
        .contains(json("'title':{'type':'string','description':'Short title','minLength':2,'maxLength':40}"))
        .contains(json("'note':{'type':'string','minLength':1}"))
        .contains(json("'code':{'type':['string','null'],'maxLength':5}"))
        .contains(json("'ratio':{'type':'number','exclusiveMinimum':0.5,'maximum':10}"))
        .contains(json("'required':['ratio','count','delta','loss','picks','lineId','contact','title','n','note','code'],"
            + "'additionalProperties':false"));
  }
}
