package dev.llmtask.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaAnswerGeneratorTest {

  private static JsonNode generate(JsonNode schema, long seed) {
    return new SchemaAnswerGenerator(schema, new Random(seed)).generate();
  }

  @Test
  void theCheckerUsedBelowRejectsWrongValues() {
    JsonNode wrong =
        TestHttp.json(
            "{\"decision\":\"urgent\",\"rotation_window_days\":400,\"source_line_ids\":[],"
                + "\"extra\":1}");

    assertThat(SchemaChecker.violations(Schemas.ROTATION, wrong))
        .anySatisfy(v -> assertThat(v).contains("not in enum"))
        .anySatisfy(v -> assertThat(v).contains("above maximum"))
        .anySatisfy(v -> assertThat(v).contains("fewer than minItems"))
        .anySatisfy(v -> assertThat(v).contains("additional property extra"));
  }

  @Test
  void representativeSchemaGivesValidAnswersForManySeeds() {
    for (long seed = 0; seed < 300; seed++) {
      JsonNode answer = generate(Schemas.REPRESENTATIVE, seed);
      assertThat(SchemaChecker.violations(Schemas.REPRESENTATIVE, answer))
          .as("seed %d: %s", seed, answer)
          .isEmpty();
    }
  }

  @Test
  void representativeAnswerHasTheExpectedShape() {
    JsonNode answer = generate(Schemas.REPRESENTATIVE, 42);

    assertThat(answer.get("decision").asText()).isIn("eligible", "not_eligible", "not_specified");
    assertThat(answer.get("source_line_ids")).hasSizeBetween(2, 5);
    assertThat(answer.get("source_line_ids").get(0).asText()).matches("P-\\d{1,3}");
    assertThat(answer.get("note").isTextual()).as("nullable union picks the non-null type").isTrue();
    assertThat(answer.get("priority").asText()).isIn("low", "normal", "high");
    assertThat(answer.get("account").get("account_id").asText()).hasSizeBetween(12, 20);
    assertThat(answer.get("legacy").asLong()).isLessThan(-10);
    assertThat(answer.get("batch_size").asInt()).isIn(10, 15, 20, 25, 30, 35, 40);
    assertThat(answer.get("kind").asText()).isEqualTo("rotation");
    assertThat(answer.get("tags")).isEmpty();
    assertThat(answer.size()).isEqualTo(Schemas.REPRESENTATIVE.get("properties").size());
  }

  @Test
  void sameSeedSameAnswerAndSeedsVary() {
    assertThat(generate(Schemas.REPRESENTATIVE, 7)).isEqualTo(generate(Schemas.REPRESENTATIVE, 7));

    Set<String> decisions = new HashSet<>();
    Set<Integer> windows = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      JsonNode answer = generate(Schemas.ROTATION, seed);
      decisions.add(answer.get("decision").asText());
      windows.add(answer.get("rotation_window_days").asInt());
    }
    assertThat(decisions).hasSize(3);
    assertThat(windows.size()).isGreaterThan(10);
  }

  @Test
  void recursionStopsWithNullsAndEmptyArraysAndStaysValid() {
    JsonNode answer = generate(Schemas.RECURSIVE, 1);

    assertThat(SchemaChecker.violations(Schemas.RECURSIVE, answer)).isEmpty();
    int depth = 0;
    JsonNode node = answer.get("root");
    while (node != null && node.isObject()) {
      depth++;
      node = node.get("parent");
    }
    assertThat(depth).isBetween(2, SchemaAnswerGenerator.SOFT_DEPTH + 2);
    assertThat(answer.toString().length()).isLessThan(200_000);
  }

  @Test
  void numericEdgeCases() {
    JsonNode schema =
        TestHttp.json(
            """
            {"type":"object","properties":{
              "a":{"type":"integer","exclusiveMinimum":5,"exclusiveMaximum":7},
              "b":{"type":"number","minimum":1.5,"maximum":1.5},
              "c":{"type":"integer","minimum":10,"exclusiveMinimum":true,"maximum":11},
              "d":{"type":"number","multipleOf":0.1,"minimum":0.3,"maximum":0.35},
              "e":{"type":"integer","maximum":-1000}
            },"required":["a","b","c","d","e"],"additionalProperties":false}
            """);
    for (long seed = 0; seed < 50; seed++) {
      JsonNode answer = generate(schema, seed);
      assertThat(answer.get("a").asInt()).isEqualTo(6);
      assertThat(answer.get("b").asDouble()).isEqualTo(1.5);
      assertThat(answer.get("c").asInt()).isEqualTo(11);
      assertThat(answer.get("d").asDouble()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(answer.get("e").asLong()).isLessThanOrEqualTo(-1000);
    }
  }

  @Test
  void patternsAreBestEffort() {
    Random random = new Random(3);
    assertThat(RegexSampler.sample("^[A-Z]{3}-\\d{2,4}(x|yz)?$", random))
        .matches("[A-Z]{3}-\\d{2,4}(x|yz)?");
    assertThat(RegexSampler.sample("^[^0-9]+$", random)).matches("[^0-9]+");
    assertThat(RegexSampler.sample("(?=lookahead)", random)).isNull();

    JsonNode unsupported = TestHttp.json("{\"type\":\"string\",\"pattern\":\"\\\\p{Lu}\"}");
    assertThat(generate(unsupported, 1).isTextual())
        .as("an unsupported pattern still yields a string")
        .isTrue();
  }

  @Test
  void allOfIsMergedAndMissingTypesAreInferred() {
    JsonNode schema =
        TestHttp.json(
            """
            {"allOf":[
               {"type":"object","properties":{"a":{"type":"integer","minimum":3,"maximum":3}},
                "required":["a"]},
               {"properties":{"b":{"enum":[null,"x"]}},"required":["b"]}]}
            """);

    JsonNode answer = generate(schema, 5);

    assertThat(answer.get("a").asInt()).isEqualTo(3);
    assertThat(answer.get("b").asText()).isEqualTo("x");
  }
}
