package dev.llmtask.codegen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.util.Collection;
import java.util.Optional;

/**
 * Renders one task argument into prompt text. The processor accepts only the types below, so the
 * generated code never reaches {@code toString()} of anything else:
 * <ul>
 *   <li>a {@code String} as itself; a primitive, its box or a {@code char} as {@code String.valueOf};
 *   <li>an enum as its JSON value (its {@code @JsonProperty} name, otherwise its constant name);
 *   <li>a record or a {@code List} as canonical JSON: Jackson's JSON with every object's keys sorted;
 *   <li>{@code Optional.empty()} as nothing, a present {@code Optional} as its value by these rules.
 * </ul>
 */
public final class PromptText {
  private PromptText() {}

  /**
   * The text of an argument, or of a component reached by a {@code {{parameter.component}}} path.
   *
   * @param name the parameter name or path, for the error message (never the value)
   * @throws NullPointerException naming the parameter when the argument is null
   */
  public static String of(String name, Object value) {
    if (value == null) {
      throw new NullPointerException("task parameter '" + name + "' is used in the prompt and must not be null");
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Optional<?> optional) {
      return optional.isPresent() ? of(name, optional.get()) : "";
    }
    if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
      return String.valueOf(value);
    }
    if (value instanceof Enum<?>) {
      return canonicalTree(name, value).asText();
    }
    if (value instanceof Record || value instanceof Collection<?>) {
      try {
        return Canonical.WRITER.writeValueAsString(canonicalTree(name, value));
      } catch (JsonProcessingException e) {
        throw cannotRender(name, value, e);
      }
    }
    return String.valueOf(value);
  }

  /**
   * {@code value} itself, for one step of a {@code {{parameter.component}}} path.
   *
   * @param path the path up to this value, for the error message
   * @throws NullPointerException naming the path when the value is null
   */
  public static <T> T nonNull(String path, T value) {
    if (value == null) {
      throw new NullPointerException("'" + path + "' is null, and the prompt reads a component of it");
    }
    return value;
  }

  private static JsonNode canonicalTree(String name, Object value) {
    try {
      return Json.MAPPER.valueToTree(value);
    } catch (IllegalArgumentException e) {
      throw cannotRender(name, value, e);
    }
  }

  // Jackson's message names the type and the property, never a value.
  private static IllegalArgumentException cannotRender(String name, Object value, Exception cause) {
    return new IllegalArgumentException("task parameter '" + name + "' of type " + value.getClass().getName()
        + " cannot be written as JSON for the prompt", cause);
  }

  /** Loaded on the first enum, record or list argument: Jackson as the answers use it, Optional included. */
  private static final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new Jdk8Module()).build();
  }

  /** Writes every object's keys sorted. */
  private static final class Canonical {
    static final ObjectWriter WRITER = Json.MAPPER.writer().with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);
  }
}
