package dev.llmtask.codegen;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.util.List;

/**
 * Jackson-based decoders for answers. Strict on purpose: unknown properties, missing properties,
 * nulls for primitives, floats for ints and strings for numbers are all invalid output, because the
 * schema the model was given forbids them.
 */
final class JsonAnswers {
  /** The one strict mapper; thread-safe once configured, and never handed out so that nobody can reconfigure it. */
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new Jdk8Module())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private JsonAnswers() {}

  /** A parser over an answer's text, for a decoder. */
  static JsonParser parser(String answer) throws IOException {
    return MAPPER.createParser(answer);
  }

  /**
   * The reader fetches its deserializer on first use rather than here: this runs when a generated
   * client's class initializes, in a fresh JVM before its first request, while the runtime builds
   * the deserializer on a background thread as the first exchange is in flight.
   */
  static <T> OutputDecoder<T> root(Class<T> type, AnswerConstraints<?> constraints) {
    ObjectReader reader = MAPPER.reader().without(DeserializationFeature.EAGER_DESERIALIZER_FETCH).forType(type);
    return new Validated<>(parser -> reader.readValue(parser), type, constraints);
  }

  /**
   * A decoder of records: their constraints as generated code, or else (null) Bean Validation metadata the
   * validator can prepare ahead of the first check.
   */
  private record Validated<T>(OutputDecoder<T> inner, Class<?> validatedType, AnswerConstraints<?> constraints)
      implements OutputDecoder<T> {
    @Override
    public T decode(JsonParser parser) throws IOException {
      return inner.decode(parser);
    }

    @Override
    public Class<?> validatedType() {
      return validatedType;
    }

    @Override
    public AnswerConstraints<?> constraints() {
      return constraints;
    }
  }

  static <T> OutputDecoder<T> property(Class<T> type, String property) {
    OutputDecoder<T> inner = wrappedIn(MAPPER.constructType(type), property);
    return type == String.class ? new TextDecoder<>(inner, property) : inner;
  }

  /** A text answer wrapped as {@code {"<property>": "…"}}: streams show its text rather than its JSON. */
  private record TextDecoder<T>(OutputDecoder<T> inner, String property) implements OutputDecoder<T> {
    @Override
    public T decode(JsonParser parser) throws IOException {
      return inner.decode(parser);
    }

    @Override
    public String textProperty() {
      return property;
    }
  }

  static <T> OutputDecoder<List<T>> list(Class<T> elementType, String property, AnswerConstraints<?> constraints) {
    return new Validated<>(wrappedIn(MAPPER.getTypeFactory().constructCollectionType(List.class, elementType), property),
        elementType, constraints);
  }

  /** Reads {@code {"<property>": <value>}} and nothing else. */
  private static <T> OutputDecoder<T> wrappedIn(JavaType type, String property) {
    // the inner value is followed by the wrapper's closing brace, which this decoder checks itself
    ObjectReader reader = MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    return parser -> {
      expect(parser, parser.nextToken(), JsonToken.START_OBJECT, "an object");
      expect(parser, parser.nextToken(), JsonToken.FIELD_NAME, "the property '" + property + "'");
      if (!property.equals(parser.currentName())) {
        throw MismatchedInputException.from(parser, type, "expected the property '" + property + "'");
      }
      parser.nextToken();
      T value = reader.readValue(parser);
      if (value == null) {
        throw MismatchedInputException.from(parser, type, "'" + property + "' must not be null");
      }
      expect(parser, parser.nextToken(), JsonToken.END_OBJECT, "the end of the object");
      if (parser.nextToken() != null) {
        throw MismatchedInputException.from(parser, type, "trailing content after the answer");
      }
      return value;
    };
  }

  private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) throws IOException {
    if (actual != expected) {
      throw MismatchedInputException.from(p, (JavaType) null, "expected " + what);
    }
  }
}
