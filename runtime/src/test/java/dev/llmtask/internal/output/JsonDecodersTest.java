package dev.llmtask.internal.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.llmtask.codegen.OutputDecoder;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonDecodersTest {
  enum Priority { low, normal, high }

  record Tag(String name) {}

  private static <T> T decode(OutputDecoder<T> decoder, String json) throws IOException {
    try (JsonParser p = JsonDecoders.parser(json)) {
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

  @Test
  void wrappedTextDeltasUnescapeAcrossPieceBoundaries() {
    WrappedTextDeltas d = new WrappedTextDeltas("value");
    String json = "{\"value\":\"Line 1\\nQuote \\\"x\\\" \\u00e9 \\ud83d\\ude00 end\"}";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < json.length(); i += 3) {
      out.append(d.feed(json.substring(i, Math.min(json.length(), i + 3))));
    }
    assertThat(out.toString()).isEqualTo("Line 1\nQuote \"x\" é 😀 end");
  }
}
