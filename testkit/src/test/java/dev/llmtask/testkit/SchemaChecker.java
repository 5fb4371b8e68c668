package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small, independent JSON Schema checker for the tests: walks a value against a schema and lists
 * every violation with its path. Covers the keywords the generator claims to support.
 */
final class SchemaChecker {

  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$");
  private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");
  private static final Pattern DATE_TIME =
      Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$");
  private static final Pattern UUID =
      Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

  private final JsonNode root;
  private final List<String> violations = new ArrayList<>();

  private SchemaChecker(JsonNode root) {
    this.root = root;
  }

  static List<String> violations(JsonNode schema, JsonNode value) {
    SchemaChecker checker = new SchemaChecker(schema);
    checker.check(schema, value, "$");
    return checker.violations;
  }

  private void check(JsonNode schema, JsonNode value, String path) {
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      JsonNode target = ref.equals("#") ? root : root.at(ref.substring(1));
      if (target.isMissingNode()) {
        violations.add(path + ": unresolvable " + ref);
        return;
      }
      check(target, value, path);
      return;
    }
    if (schema.has("anyOf")) {
      boolean any = false;
      for (JsonNode branch : schema.get("anyOf")) {
        if (SchemaChecker.violationsFrom(root, branch, value).isEmpty()) {
          any = true;
        }
      }
      if (!any) {
        violations.add(path + ": matches no anyOf branch: " + value);
      }
    }
    if (schema.has("const") && !schema.get("const").equals(value)) {
      violations.add(path + ": not the const " + schema.get("const") + ": " + value);
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode allowed : schema.get("enum")) {
        found |= allowed.equals(value);
      }
      if (!found) {
        violations.add(path + ": not in enum " + schema.get("enum") + ": " + value);
      }
    }
    if (schema.has("type")) {
      Set<String> types = new HashSet<>();
      if (schema.get("type").isArray()) {
        schema.get("type").forEach(t -> types.add(t.asText()));
      } else {
        types.add(schema.get("type").asText());
      }
      String actual = typeOf(value);
      boolean ok = types.contains(actual) || (actual.equals("integer") && types.contains("number"));
      if (!ok) {
        violations.add(path + ": type " + actual + " not in " + types + ": " + value);
        return;
      }
    }
    if (value.isObject()) {
      checkObject(schema, value, path);
    } else if (value.isArray()) {
      checkArray(schema, value, path);
    } else if (value.isTextual()) {
      checkString(schema, value.asText(), path);
    } else if (value.isNumber()) {
      checkNumber(schema, value, path);
    }
  }

  private static List<String> violationsFrom(JsonNode root, JsonNode schema, JsonNode value) {
    SchemaChecker checker = new SchemaChecker(root);
    checker.check(schema, value, "$");
    return checker.violations;
  }

  private void checkObject(JsonNode schema, JsonNode value, String path) {
    JsonNode properties = schema.path("properties");
    if (schema.has("required")) {
      for (JsonNode name : schema.get("required")) {
        if (!value.has(name.asText())) {
          violations.add(path + ": missing required " + name.asText());
        }
      }
    }
    Iterator<String> names = value.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (properties.has(name)) {
        check(properties.get(name), value.get(name), path + "." + name);
      } else if (schema.path("additionalProperties").isBoolean()
          && !schema.get("additionalProperties").asBoolean()) {
        violations.add(path + ": additional property " + name);
      }
    }
  }

  private void checkArray(JsonNode schema, JsonNode value, String path) {
    if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
      violations.add(path + ": fewer than minItems: " + value.size());
    }
    if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
      violations.add(path + ": more than maxItems: " + value.size());
    }
    if (schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.get("items"), value.get(i), path + "[" + i + "]");
      }
    }
  }

  private void checkString(JsonNode schema, String value, String path) {
    int length = value.codePointCount(0, value.length());
    if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
      violations.add(path + ": shorter than minLength: " + value);
    }
    if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
      violations.add(path + ": longer than maxLength: " + value);
    }
    if (schema.has("pattern")
        && !Pattern.compile(schema.get("pattern").asText()).matcher(value).find()) {
      violations.add(path + ": does not match pattern " + schema.get("pattern") + ": " + value);
    }
    Pattern format;
    switch (schema.path("format").asText("")) {
      case "email":
        format = EMAIL;
        break;
      case "date":
        format = DATE;
        break;
      case "date-time":
        format = DATE_TIME;
        break;
      case "uuid":
        format = UUID;
        break;
      default:
        format = null;
    }
    if (format != null && !format.matcher(value).matches()) {
      violations.add(path + ": not a " + schema.get("format").asText() + ": " + value);
    }
  }

  private void checkNumber(JsonNode schema, JsonNode value, String path) {
    BigDecimal v = value.decimalValue();
    if (schema.has("minimum") && v.compareTo(schema.get("minimum").decimalValue()) < 0) {
      violations.add(path + ": below minimum: " + v);
    }
    if (schema.has("maximum") && v.compareTo(schema.get("maximum").decimalValue()) > 0) {
      violations.add(path + ": above maximum: " + v);
    }
    if (schema.path("exclusiveMinimum").isNumber()
        && v.compareTo(schema.get("exclusiveMinimum").decimalValue()) <= 0) {
      violations.add(path + ": not above exclusiveMinimum: " + v);
    }
    if (schema.path("exclusiveMaximum").isNumber()
        && v.compareTo(schema.get("exclusiveMaximum").decimalValue()) >= 0) {
      violations.add(path + ": not below exclusiveMaximum: " + v);
    }
    if (schema.has("multipleOf")) {
      BigDecimal step = schema.get("multipleOf").decimalValue();
      if (v.remainder(step).abs().compareTo(new BigDecimal("1e-9")) > 0
          && step.subtract(v.remainder(step).abs()).compareTo(new BigDecimal("1e-9")) > 0) {
        violations.add(path + ": not a multiple of " + step + ": " + v);
      }
    }
  }

  private static String typeOf(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isIntegralNumber()
        || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0)) {
      return "integer";
    }
    return value.isNumber() ? "number" : "unknown";
  }
}
