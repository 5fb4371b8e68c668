package dev.llmtask.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromptTextTest {
  enum Priority { LOW, @JsonProperty("urgent") HIGH }

  record Customer(String name, int tier) {}

  record Ticket(String subject, Priority priority, Customer customer, List<String> tags, Optional<String> note) {}

  @Test
  void stringsPrimitivesAndBoxesRenderAsTheirText() {
    assertThat(PromptText.of("q", "Why?")).isEqualTo("Why?");
    assertThat(PromptText.of("n", 42)).isEqualTo("42");
    assertThat(PromptText.of("ratio", 0.5d)).isEqualTo("0.5");
    assertThat(PromptText.of("flag", true)).isEqualTo("true");
    assertThat(PromptText.of("c", 'x')).isEqualTo("x");
  }

  @Test
  void anEnumRendersAsItsJsonValue() {
    assertThat(PromptText.of("p", Priority.LOW)).isEqualTo("LOW");
    assertThat(PromptText.of("p", Priority.HIGH)).isEqualTo("urgent");
  }

  @Test
  void recordsRenderAsCanonicalJsonWithSortedKeysAtEveryLevel() {
    Ticket ticket = new Ticket("Key rotation", Priority.HIGH, new Customer("Dana", 2), List.of("iam", "keys"),
        Optional.empty());
    assertThat(PromptText.of("ticket", ticket)).isEqualTo("{\"customer\":{\"name\":\"Dana\",\"tier\":2},"
        + "\"note\":null,\"priority\":\"urgent\",\"subject\":\"Key rotation\",\"tags\":[\"iam\",\"keys\"]}");
    assertThat(PromptText.of("ticket", ticket)).doesNotContain("Ticket[");
  }

  @Test
  void listsRenderAsJsonArrays() {
    assertThat(PromptText.of("tags", List.of("a", "b"))).isEqualTo("[\"a\",\"b\"]");
    assertThat(PromptText.of("people", List.of(new Customer("Lee", 1))))
        .isEqualTo("[{\"name\":\"Lee\",\"tier\":1}]");
  }

  @Test
  void anEmptyOptionalRendersAsNothingAndAPresentOneAsItsValue() {
    assertThat(PromptText.of("note", Optional.empty())).isEmpty();
    assertThat(PromptText.of("note", Optional.of("late"))).isEqualTo("late");
    assertThat(PromptText.of("customer", Optional.of(new Customer("Lee", 1)))).isEqualTo("{\"name\":\"Lee\",\"tier\":1}");
  }

  @Test
  void nullIsRejectedNamingTheParameterOrPathButNotTheValue() {
    assertThatThrownBy(() -> PromptText.of("ticket.subject", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("task parameter 'ticket.subject' is used in the prompt and must not be null");
    assertThatThrownBy(() -> PromptText.nonNull("ticket.customer", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("'ticket.customer' is null, and the prompt reads a component of it");
    Customer c = new Customer("Dana", 1);
    assertThat(PromptText.nonNull("ticket.customer", c)).isSameAs(c);
  }
}
