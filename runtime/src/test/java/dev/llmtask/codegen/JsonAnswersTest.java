package dev.llmtask.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonAnswersTest {
  enum Priority { low, normal, high }

  record Tag(String name) {}

  private static <T> T decode(OutputDecoder<T> decoder, String json) throws IOException {
    try (JsonParser p = JsonAnswers.parser(json)) {
      return decoder.decode(p);
    }
  }

  @Test
  void wrappedScalarsAndListsDecodeAndNothingElseIsAccepted() throws IOException {
    assertThat(decode(OutputDecoder.wrapped(String.class, "value"), "{\"value\":\"Dear customer\"}")).isEqualTo("Dear customer");
    assertThat(decode(OutputDecoder.wrapped(Priority.class, "value"), "{ \"value\" : \"high\" }")).isEqualTo(Priority.high);
    assertThat(decode(OutputDecoder.listOf(Tag.class, "items"), "{\"items\":[{\"name\":\"a\"},{\"name\":\"b\"}]}"))
        .containsExactly(new Tag("a"), new Tag("b"));
    assertThat(decode(OutputDecoder.listOf(Tag.class, "items"), "{\"items\":[]}")).isEqualTo(List.of());

    assertThatThrownBy(() -> decode(OutputDecoder.wrapped(String.class, "value"), "{\"text\":\"x\"}"))
        .isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(() -> decode(OutputDecoder.wrapped(String.class, "value"), "{\"value\":\"x\",\"more\":1}"))
        .isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(() -> decode(OutputDecoder.wrapped(String.class, "value"), "{\"value\":null}"))
        .isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(() -> decode(OutputDecoder.wrapped(Priority.class, "value"), "{\"value\":\"urgent\"}"))
        .isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(() -> decode(OutputDecoder.wrapped(String.class, "value"), "{\"value\":\"x\"} {}"))
        .isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void recordsAreDecodedStrictly() {
    OutputDecoder<Tag> tag = OutputDecoder.of(Tag.class);
    assertThatThrownBy(() -> decode(tag, "{\"name\":\"a\",\"extra\":1}")).isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(() -> decode(tag, "{}")).isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(() -> decode(tag, "{\"name\":\"a\"} trailing")).isInstanceOf(IOException.class);
  }
}
