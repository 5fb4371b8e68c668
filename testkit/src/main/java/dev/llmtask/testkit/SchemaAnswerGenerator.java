package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Generates a JSON value that is valid against a JSON Schema: the simulator's default answer.
 *
 * <p>Supported: {@code type} (single or a union such as {@code ["string","null"]} — the non-null
 * type is used), {@code object} ({@code properties}, all of which are emitted, so {@code required}
 * is always satisfied and no extra property is added), {@code string} ({@code enum}, {@code
 * minLength}, {@code maxLength}, {@code format} email / date / date-time / time / uuid / uri,
 * {@code pattern} best effort via {@link RegexSampler}), {@code integer} / {@code number} ({@code
 * minimum}, {@code maximum}, {@code exclusiveMinimum}, {@code exclusiveMaximum} in both the numeric
 * and the draft-4 boolean form, {@code multipleOf}), {@code boolean}, {@code array} ({@code items},
 * {@code minItems}, {@code maxItems}; {@code max(minItems, 1)} items), {@code enum}, {@code const},
 * {@code anyOf} / {@code oneOf} (first non-null branch), {@code allOf} (shallow merge), {@code
 * $ref} to any JSON pointer in the root schema ({@code #/$defs/…}, {@code #/definitions/…},
 * {@code #}).
 *
 * <p>Recursion guard: below depth {@value #SOFT_DEPTH} a nullable value becomes {@code null} and
 * an array becomes empty; below depth {@value #HARD_DEPTH} anything becomes {@code null} or
 * {@code {}}.
 *
 * <p>Instances are not thread-safe; create one per answer.
 */
final class SchemaAnswerGenerator {

  static final int SOFT_DEPTH = 8;
  static final int HARD_DEPTH = 24;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] WORDS = {
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"
  };

  private final JsonNode root;
  private final Random random;

  /**
   * @param rootSchema the schema that {@code $ref}s are resolved against
   * @param random the source of variation; the same seed gives the same answer
   */
  SchemaAnswerGenerator(JsonNode rootSchema, Random random) {
    this.root = rootSchema;
    this.random = random;
  }

  /** A value valid against the root schema. */
  JsonNode generate() {
    return generate(root, 0);
  }

  private JsonNode generate(JsonNode schema, int depth) {
    if (schema == null || schema.isMissingNode() || schema.isNull()) {
      return NODES.textNode(word());
    }
    if (schema.isBoolean()) {
      return schema.booleanValue() ? NODES.textNode(word()) : NODES.nullNode();
    }
    schema = resolve(schema, 0);
    if (depth > HARD_DEPTH) {
      return isNullable(schema) ? NODES.nullNode() : emptyOf(schema);
    }
    if (depth > SOFT_DEPTH && isNullable(schema)) {
      return NODES.nullNode();
    }
    if (schema.has("const")) {
      return schema.get("const").deepCopy();
    }
    if (schema.has("enum") && schema.get("enum").isArray() && schema.get("enum").size() > 0) {
      return pickEnum(schema.get("enum"));
    }
    if (schema.has("allOf") && schema.get("allOf").isArray()) {
      return generate(mergeAllOf(schema), depth);
    }
    for (String union : new String[] {"anyOf", "oneOf"}) {
      JsonNode branches = schema.get(union);
      if (branches != null && branches.isArray() && branches.size() > 0) {
        for (JsonNode branch : branches) {
          if (!isNullType(resolve(branch, 0))) {
            return generate(branch, depth + 1);
          }
        }
        return NODES.nullNode();
      }
    }
    switch (typeOf(schema)) {
      case "object":
        return object(schema, depth);
      case "array":
        return array(schema, depth);
      case "string":
        return NODES.textNode(string(schema));
      case "integer":
        return NODES.numberNode(integer(schema));
      case "number":
        return NODES.numberNode(number(schema));
      case "boolean":
        return NODES.booleanNode(random.nextBoolean());
      case "null":
        return NODES.nullNode();
      default:
        return NODES.textNode(word());
    }
  }

  // ---- structure ----------------------------------------------------------------------------

  private JsonNode object(JsonNode schema, int depth) {
    ObjectNode out = NODES.objectNode();
    JsonNode properties = schema.get("properties");
    if (properties != null && properties.isObject()) {
      for (Map.Entry<String, JsonNode> field : properties.properties()) {
        out.set(field.getKey(), generate(field.getValue(), depth + 1));
      }
    }
    // a required name without a property schema (lenient schemas): give it a string
    JsonNode required = schema.get("required");
    if (required != null && required.isArray()) {
      for (JsonNode name : required) {
        if (!out.has(name.asText())) {
          out.put(name.asText(), word());
        }
      }
    }
    return out;
  }

  private JsonNode array(JsonNode schema, int depth) {
    ArrayNode out = NODES.arrayNode();
    if (depth > SOFT_DEPTH) {
      return out;
    }
    int min = schema.path("minItems").asInt(0);
    int max = schema.has("maxItems") ? schema.get("maxItems").asInt() : Integer.MAX_VALUE;
    int count = Math.min(Math.max(min, 1), max);
    boolean unique = schema.path("uniqueItems").asBoolean(false);
    Set<JsonNode> seen = new HashSet<>();
    JsonNode items = schema.get("items");
    for (int i = 0; i < count; i++) {
      JsonNode item = generate(items, depth + 1);
      for (int attempt = 0; unique && seen.contains(item) && attempt < 10; attempt++) {
        item = generate(items, depth + 1);
      }
      seen.add(item);
      out.add(item);
    }
    return out;
  }

  private JsonNode emptyOf(JsonNode schema) {
    String type = typeOf(schema);
    if ("array".equals(type)) {
      return NODES.arrayNode();
    }
    return "object".equals(type) ? NODES.objectNode() : NODES.nullNode();
  }

  // ---- scalars ------------------------------------------------------------------------------

  private String string(JsonNode schema) {
    int minLength = schema.path("minLength").asInt(0);
    int maxLength = schema.has("maxLength") ? schema.get("maxLength").asInt() : Integer.MAX_VALUE;
    if (schema.has("pattern")) {
      for (int attempt = 0; attempt < 10; attempt++) {
        String candidate = RegexSampler.sample(schema.get("pattern").asText(), random);
        if (candidate != null
            && candidate.length() >= minLength
            && candidate.length() <= maxLength) {
          return candidate;
        }
      }
      // best effort: fall through to a plain string
    }
    String value = formatted(schema.path("format").asText(""));
    if (value == null) {
      value = word() + " " + word();
    }
    StringBuilder sized = new StringBuilder(value);
    while (sized.length() < minLength) {
      sized.append(' ').append(word());
    }
    if (sized.length() > maxLength) {
      sized.setLength(maxLength);
    }
    return sized.toString();
  }

  private String formatted(String format) {
    switch (format) {
      case "email":
        return word() + "." + (random.nextInt(900) + 100) + "@example.com";
      case "date":
        return date().toString();
      case "date-time":
        return date()
                .atTime(random.nextInt(24), random.nextInt(60), random.nextInt(60))
                .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            + "Z";
      case "time":
        return String.format(
            "%02d:%02d:%02dZ", random.nextInt(24), random.nextInt(60), random.nextInt(60));
      case "uuid":
        return new UUID(
                (random.nextLong() & 0xffffffffffff0fffL) | 0x4000L,
                (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L)
            .toString();
      case "uri":
      case "url":
        return "https://example.com/" + word();
      case "hostname":
        return word() + ".example.com";
      case "ipv4":
        return "192.0.2." + (random.nextInt(254) + 1);
      default:
        return null;
    }
  }

  private LocalDate date() {
    return LocalDate.ofEpochDay(
        LocalDate.of(2020, 1, 1).toEpochDay() + random.nextInt(365 * 6));
  }

  private long integer(JsonNode schema) {
    Bounds b = Bounds.of(schema);
    long lo = b.lo == null ? Long.MIN_VALUE : b.lo.setScale(0, RoundingMode.CEILING).longValue();
    if (b.lo != null && b.loExclusive && BigDecimal.valueOf(lo).compareTo(b.lo) == 0) {
      lo++;
    }
    long hi = b.hi == null ? Long.MAX_VALUE : b.hi.setScale(0, RoundingMode.FLOOR).longValue();
    if (b.hi != null && b.hiExclusive && BigDecimal.valueOf(hi).compareTo(b.hi) == 0) {
      hi--;
    }
    if (b.lo == null && b.hi == null) {
      lo = 0;
      hi = 100;
    } else if (b.lo == null) {
      lo = hi - 100;
    } else if (b.hi == null) {
      hi = lo + 100;
    }
    if (lo > hi) {
      return lo; // unsatisfiable schema: best effort
    }
    BigDecimal step = decimal(schema.get("multipleOf"));
    if (step != null && step.signum() > 0 && step.stripTrailingZeros().scale() <= 0) {
      long m = step.longValueExact();
      long kLo = Math.floorDiv(lo + m - 1, m);
      long kHi = Math.floorDiv(hi, m);
      if (kLo <= kHi) {
        return (kLo + pick(kHi - kLo)) * m;
      }
      return kLo * m;
    }
    return lo + pick(hi - lo);
  }

  private double number(JsonNode schema) {
    Bounds b = Bounds.of(schema);
    BigDecimal lo = b.lo;
    BigDecimal hi = b.hi;
    if (lo == null && hi == null) {
      lo = BigDecimal.ZERO;
      hi = BigDecimal.valueOf(100);
    } else if (lo == null) {
      lo = hi.subtract(BigDecimal.valueOf(100));
    } else if (hi == null) {
      hi = lo.add(BigDecimal.valueOf(100));
    }
    BigDecimal step = decimal(schema.get("multipleOf"));
    if (step != null && step.signum() > 0) {
      BigDecimal kLo = lo.divide(step, 0, RoundingMode.CEILING);
      if (b.loExclusive && kLo.multiply(step).compareTo(lo) == 0) {
        kLo = kLo.add(BigDecimal.ONE);
      }
      BigDecimal kHi = hi.divide(step, 0, RoundingMode.FLOOR);
      if (b.hiExclusive && kHi.multiply(step).compareTo(hi) == 0) {
        kHi = kHi.subtract(BigDecimal.ONE);
      }
      long span = kHi.subtract(kLo).max(BigDecimal.ZERO).min(BigDecimal.valueOf(1000)).longValue();
      return kLo.add(BigDecimal.valueOf(pick(span))).multiply(step).doubleValue();
    }
    BigDecimal width = hi.subtract(lo);
    BigDecimal value =
        lo.add(width.multiply(BigDecimal.valueOf(random.nextDouble())))
            .setScale(2, RoundingMode.HALF_UP);
    boolean tooLow = b.loExclusive ? value.compareTo(lo) <= 0 : value.compareTo(lo) < 0;
    boolean tooHigh = b.hiExclusive ? value.compareTo(hi) >= 0 : value.compareTo(hi) > 0;
    if (tooLow || tooHigh) {
      value = lo.add(hi).divide(BigDecimal.valueOf(2));
    }
    return value.doubleValue();
  }

  private long pick(long spanInclusive) {
    if (spanInclusive <= 0) {
      return 0;
    }
    long bound = spanInclusive == Long.MAX_VALUE ? Long.MAX_VALUE : spanInclusive + 1;
    return (long) (random.nextDouble() * Math.min(bound, 1_000_000_000L));
  }

  private JsonNode pickEnum(JsonNode values) {
    List<JsonNode> nonNull = new ArrayList<>();
    values.forEach(v -> {
      if (!v.isNull()) {
        nonNull.add(v);
      }
    });
    if (nonNull.isEmpty()) {
      return NODES.nullNode();
    }
    return nonNull.get(random.nextInt(nonNull.size())).deepCopy();
  }

  private String word() {
    return WORDS[random.nextInt(WORDS.length)];
  }

  // ---- schema helpers -----------------------------------------------------------------------

  private JsonNode resolve(JsonNode schema, int hops) {
    JsonNode ref = schema.get("$ref");
    if (ref == null || !ref.isTextual() || hops > 32) {
      return schema;
    }
    String pointer = ref.asText();
    if (!pointer.startsWith("#")) {
      return schema; // external refs are not supported
    }
    JsonNode target = pointer.length() == 1 ? root : root.at(pointer.substring(1));
    return target.isMissingNode() ? schema : resolve(target, hops + 1);
  }

  private JsonNode mergeAllOf(JsonNode schema) {
    ObjectNode merged = ((ObjectNode) schema).deepCopy();
    merged.remove("allOf");
    ObjectNode properties = NODES.objectNode();
    if (schema.get("properties") instanceof ObjectNode) {
      properties.setAll((ObjectNode) schema.get("properties"));
    }
    for (JsonNode part : schema.get("allOf")) {
      JsonNode resolved = resolve(part, 0);
      if (resolved instanceof ObjectNode) {
        for (Map.Entry<String, JsonNode> e : resolved.properties()) {
          if (!e.getKey().equals("properties") && !merged.has(e.getKey())) {
            merged.set(e.getKey(), e.getValue());
          }
        }
        if (resolved.get("properties") instanceof ObjectNode) {
          properties.setAll((ObjectNode) resolved.get("properties"));
        }
      }
    }
    if (properties.size() > 0) {
      merged.set("properties", properties);
    }
    return merged;
  }

  private static String typeOf(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual()) {
      return type.asText();
    }
    if (type != null && type.isArray()) {
      String fallback = null;
      for (JsonNode t : type) {
        if (!"null".equals(t.asText())) {
          return t.asText();
        }
        fallback = "null";
      }
      return fallback == null ? "" : fallback;
    }
    if (schema.has("properties") || schema.has("additionalProperties")) {
      return "object";
    }
    if (schema.has("items")) {
      return "array";
    }
    if (schema.has("minimum") || schema.has("maximum") || schema.has("multipleOf")) {
      return "number";
    }
    return "";
  }

  private boolean isNullable(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type != null) {
      if ("null".equals(type.asText())) {
        return true;
      }
      if (type.isArray()) {
        for (JsonNode t : type) {
          if ("null".equals(t.asText())) {
            return true;
          }
        }
      }
    }
    if (schema.path("nullable").asBoolean(false)) {
      return true;
    }
    JsonNode values = schema.get("enum");
    if (values != null && values.isArray()) {
      for (JsonNode v : values) {
        if (v.isNull()) {
          return true;
        }
      }
    }
    for (String union : new String[] {"anyOf", "oneOf"}) {
      JsonNode branches = schema.get(union);
      if (branches != null && branches.isArray()) {
        for (JsonNode branch : branches) {
          if (isNullType(resolve(branch, 0))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isNullType(JsonNode schema) {
    return "null".equals(schema.path("type").asText(null));
  }

  private static BigDecimal decimal(JsonNode node) {
    return node != null && node.isNumber() ? node.decimalValue() : null;
  }

  /** Numeric bounds from minimum / maximum / exclusiveMinimum / exclusiveMaximum. */
  private static final class Bounds {
    BigDecimal lo;
    BigDecimal hi;
    boolean loExclusive;
    boolean hiExclusive;

    static Bounds of(JsonNode schema) {
      Bounds b = new Bounds();
      b.lo = decimal(schema.get("minimum"));
      b.hi = decimal(schema.get("maximum"));
      JsonNode exMin = schema.get("exclusiveMinimum");
      JsonNode exMax = schema.get("exclusiveMaximum");
      if (exMin != null && exMin.isBoolean()) {
        b.loExclusive = exMin.booleanValue() && b.lo != null;
      } else if (exMin != null && exMin.isNumber()) {
        if (b.lo == null || exMin.decimalValue().compareTo(b.lo) >= 0) {
          b.lo = exMin.decimalValue();
          b.loExclusive = true;
        }
      }
      if (exMax != null && exMax.isBoolean()) {
        b.hiExclusive = exMax.booleanValue() && b.hi != null;
      } else if (exMax != null && exMax.isNumber()) {
        if (b.hi == null || exMax.decimalValue().compareTo(b.hi) <= 0) {
          b.hi = exMax.decimalValue();
          b.hiExclusive = true;
        }
      }
      return b;
    }
  }
}
