package dev.llmtask.processor.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesCompactJsonInInsertionOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", 1);
    m.put("a", List.of("x", true, false));
    m.put("n", null);
    m.put("d", new BigDecimal("10.50"));
    assertThat(Json.write(m)).isEqualTo("{\"z\":1,\"a\":[\"x\",true,false],\"n\":null,\"d\":10.5}");
  }

  @Test
  void escapesStrings() {
    assertThat(Json.write("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  }

  @Test
  void writesNumbersPlainly() {
    assertThat(Json.number(new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(Json.number(new BigDecimal("0.000"))).isEqualTo("0");
    assertThat(Json.number(new BigDecimal("-0.25"))).isEqualTo("-0.25");
  }
}
