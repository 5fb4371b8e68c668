package dev.llmtask.processor.schema;

import dev.llmtask.processor.model.Constraints;
import dev.llmtask.processor.model.OutputModel;
import dev.llmtask.processor.model.Property;
import dev.llmtask.processor.model.RecordDef;
import dev.llmtask.processor.model.Slot;
import dev.llmtask.processor.model.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;

/**
 * Builds the JSON Schema of a task's answer for one provider {@link Dialect}. The root is always an
 * object; records that reference themselves or are used in more than one place go to {@code $defs} and
 * are referenced with {@code $ref}, everything else is inlined.
 */
public final class SchemaBuilder {
  private final OutputModel output;
  private final Dialect dialect;
  private final Map<String, String> defNames = new LinkedHashMap<>();
  /** Each property's schema node (by identity) → its record component, for components compiled from source. */
  private final Map<Object, Element> sources = new IdentityHashMap<>();

  private SchemaBuilder(OutputModel output, Dialect dialect) {
    this.output = output;
    this.dialect = dialect;
    Set<String> used = new HashSet<>();
    for (String qn : output.definitions()) {
      String base = output.records().get(qn).simpleName();
      String name = base;
      for (int i = 2; !used.add(name); i++) {
        name = base + "_" + i;
      }
      defNames.put(qn, name);
    }
  }

  /** The schema as compact JSON text. */
  public static String build(OutputModel output, Dialect dialect) {
    return Json.write(tree(output, dialect));
  }

  /** The schema as nested maps and lists, in the order {@link Json#write} writes them. */
  static Map<String, Object> tree(OutputModel output, Dialect dialect) {
    return new SchemaBuilder(output, dialect).root();
  }

  /**
   * The schema as a tree, with the record component behind each property node that has one in this
   * compilation (so a limit exceeded there is reported on the component).
   */
  static Built built(OutputModel output, Dialect dialect) {
    SchemaBuilder builder = new SchemaBuilder(output, dialect);
    Map<String, Object> root = builder.root();
    return new Built(root, builder.sources);
  }

  /** A schema tree and the source element of its property nodes (keys compared by identity). */
  record Built(Map<String, Object> tree, Map<Object, Element> sources) {}

  private Map<String, Object> root() {
    Map<String, Object> root = switch (output.kind()) {
      case RECORD -> object(record(output.root()), null);
      case WRAPPED -> wrapper(OutputModel.VALUE_PROPERTY, slot(output.root()));
      case LIST -> wrapper(OutputModel.ITEMS_PROPERTY, slot(output.root()));
    };
    if (!defNames.isEmpty()) {
      Map<String, Object> defs = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : defNames.entrySet()) {
        defs.put(e.getValue(), object(output.records().get(e.getKey()), null));
      }
      root.put("$defs", defs);
    }
    return root;
  }

  private RecordDef record(Slot slot) {
    return output.records().get(((ValueType.Ref) slot.type()).qualifiedName());
  }

  private static Map<String, Object> wrapper(String property, Object schema) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("type", "object");
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(property, schema);
    root.put("properties", properties);
    root.put("required", List.of(property));
    root.put("additionalProperties", false);
    return root;
  }

  private Map<String, Object> object(RecordDef def, String description) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("type", "object");
    String text = description != null ? description : def.description();
    if (text != null) {
      o.put("description", text);
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (Property p : def.properties()) {
      Object schema = slot(p.slot());
      if (p.source() != null) {
        sources.put(schema, p.source());
      }
      properties.put(p.jsonName(), schema);
      required.add(p.jsonName());
    }
    o.put("properties", properties);
    o.put("required", required);
    o.put("additionalProperties", false);
    return o;
  }

  private Object slot(Slot slot) {
    ValueType type = slot.type();
    if (type instanceof ValueType.Scalar scalar) {
      Map<String, Object> s = typed(scalar.kind().json(), slot);
      constraints(s, scalar.kind(), slot.constraints());
      return s;
    }
    if (type instanceof ValueType.Array array) {
      Map<String, Object> s = typed("array", slot);
      s.put("items", slot(array.items()));
      Constraints c = slot.constraints();
      if (c.minItems() != null) {
        s.put("minItems", c.minItems());
      }
      if (c.maxItems() != null) {
        s.put("maxItems", c.maxItems());
      }
      return s;
    }
    Map<String, Object> s;
    if (type instanceof ValueType.Enum e) {
      s = new LinkedHashMap<>();
      s.put("type", "string");
      if (slot.description() != null && !slot.nullable()) {
        s.put("description", slot.description());
      }
      s.put("enum", e.values());
    } else {
      String qn = ((ValueType.Ref) type).qualifiedName();
      String defName = defNames.get(qn);
      if (defName != null) {
        s = new LinkedHashMap<>();
        s.put("$ref", "#/$defs/" + defName);
      } else {
        s = object(output.records().get(qn), slot.nullable() ? null : slot.description());
      }
    }
    if (!slot.nullable()) {
      return s;
    }
    Map<String, Object> nullable = new LinkedHashMap<>();
    if (slot.description() != null) {
      nullable.put("description", slot.description());
    }
    nullable.put("anyOf", List.of(s, Map.of("type", "null")));
    return nullable;
  }

  /** {@code {"type":"string"}} or {@code {"type":["string","null"]}}, plus the description. */
  private static Map<String, Object> typed(String jsonType, Slot slot) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", slot.nullable() ? List.of(jsonType, "null") : jsonType);
    if (slot.description() != null) {
      s.put("description", slot.description());
    }
    return s;
  }

  private void constraints(Map<String, Object> s, ValueType.ScalarKind kind, Constraints c) {
    switch (kind) {
      case INTEGER, NUMBER -> {
        putIfSet(s, "minimum", c.minimum());
        putIfSet(s, "exclusiveMinimum", c.exclusiveMinimum());
        putIfSet(s, "maximum", c.maximum());
        putIfSet(s, "exclusiveMaximum", c.exclusiveMaximum());
      }
      case STRING -> {
        if (dialect.stringLengths()) {
          putIfSet(s, "minLength", c.minLength());
          putIfSet(s, "maxLength", c.maxLength());
        }
        putIfSet(s, "pattern", c.pattern() == null ? null : anchored(c.pattern()));
        putIfSet(s, "format", c.format());
      }
      default -> { }
    }
  }

  /**
   * {@code ^(?:regexp)$}: Bean Validation's {@code @Pattern} matches the whole string, while a JSON Schema
   * {@code pattern} matches anywhere in it unless anchored.
   */
  static String anchored(String regexp) {
    return "^(?:" + regexp + ")$";
  }

  private static void putIfSet(Map<String, Object> s, String key, Object value) {
    if (value != null) {
      s.put(key, value);
    }
  }
}
