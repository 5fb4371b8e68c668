package dev.llmtask.processor.model;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads a task's answer type into an {@link OutputModel}: records, enums, strings, numbers, booleans,
 * lists and optionals, with nullability, wire names, descriptions and Bean Validation constraints.
 * Unsupported types become problems with their path ({@code Ticket.tags[].owner}).
 */
public final class OutputTypeReader {
  public static final String SUPPORTED =
      "use a record, an enum, String, a number, a boolean, List<…> or Optional<…>";

  private final Types types;
  private final Elements elements;
  private final Annotations annotations;

  private final Map<String, RecordDef> records = new LinkedHashMap<>();
  private final Set<String> inProgress = new HashSet<>();
  private final List<String> discovery = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private boolean errorTypes;

  private OutputTypeReader(Types types, Elements elements, Annotations annotations) {
    this.types = types;
    this.elements = elements;
    this.annotations = annotations;
  }

  /** The result of reading a return type's value type {@code T}. */
  public record Result(OutputModel output, String rootProblem, List<String> problems, boolean errorTypes) {}

  /**
   * Reads {@code valueType} (the {@code T} of a task method, after unwrapping {@code LlmResult} and
   * {@code CompletableFuture}).
   */
  public static Result read(TypeMirror valueType, Types types, Elements elements, Annotations annotations) {
    return new OutputTypeReader(types, elements, annotations).readRoot(valueType);
  }

  private Result readRoot(TypeMirror t) {
    if (t.getKind() == TypeKind.ERROR) {
      return new Result(null, null, List.of(), true);
    }
    if (t.getKind() == TypeKind.DECLARED) {
      TypeElement e = (TypeElement) ((DeclaredType) t).asElement();
      String qn = e.getQualifiedName().toString();
      if (e.getKind() == ElementKind.RECORD && ((DeclaredType) t).getTypeArguments().isEmpty()) {
        Slot root = new Slot(readRecord(e, e.getSimpleName().toString()), false, Constraints.NONE, null);
        return finish(OutputModel.Kind.RECORD, t, t, root);
      }
      if (qn.equals("java.util.List")) {
        List<? extends TypeMirror> args = ((DeclaredType) t).getTypeArguments();
        if (args.size() == 1 && args.get(0).getKind() == TypeKind.DECLARED) {
          TypeMirror arg = args.get(0);
          TypeElement item = (TypeElement) ((DeclaredType) arg).asElement();
          if (item.getKind() == ElementKind.RECORD && ((DeclaredType) arg).getTypeArguments().isEmpty()) {
            Slot items = new Slot(readRecord(item, item.getSimpleName().toString()), false, Constraints.NONE, null);
            return finish(OutputModel.Kind.LIST, t, arg, Slot.of(new ValueType.Array(items)));
          }
          if (item.getKind() == ElementKind.ENUM || scalarKind(item.getQualifiedName().toString()) != null) {
            Slot items = readSlot(arg, OutputModel.ITEMS_PROPERTY + "[]", List.of());
            return finish(OutputModel.Kind.LIST, t, arg, Slot.of(new ValueType.Array(items)));
          }
        }
        if (args.size() == 1 && args.get(0).getKind() == TypeKind.ERROR) {
          return new Result(null, null, List.of(), true);
        }
        return rootProblem(t);
      }
      if (e.getKind() == ElementKind.ENUM || scalarKind(qn) != null) {
        Slot value = readSlot(t, OutputModel.VALUE_PROPERTY, List.of());
        return finish(OutputModel.Kind.WRAPPED, t, t, value);
      }
      return rootProblem(t);
    }
    if (t.getKind().isPrimitive() && t.getKind() != TypeKind.CHAR) {
      TypeMirror boxed = types.boxedClass(types.getPrimitiveType(t.getKind())).asType();
      Slot value = readSlot(t, OutputModel.VALUE_PROPERTY, List.of());
      return finish(OutputModel.Kind.WRAPPED, boxed, boxed, value);
    }
    return rootProblem(t);
  }

  private Result rootProblem(TypeMirror t) {
    String advice = TypeText.isOwnClass(t) ? TypeText.recordAdvice(t) + ", or return " : "return ";
    return new Result(null, TypeText.describe(t) + ", which is not a supported task result; " + advice
        + "a record, an enum, String, a number, a boolean or a List<…> of those, optionally inside LlmResult<…> "
        + "and/or CompletableFuture<…>, or inside LlmStream<…>",
        List.of(), false);
  }

  private Result finish(OutputModel.Kind kind, TypeMirror resultType, TypeMirror decodeType, Slot root) {
    if (errorTypes) {
      return new Result(null, null, List.copyOf(problems), true);
    }
    Map<String, RecordDef> ordered = new LinkedHashMap<>();
    for (String qn : discovery) {
      ordered.put(qn, records.get(qn));
    }
    Set<String> recursive = recursiveRecords();
    OutputModel model = new OutputModel(kind, resultType, decodeType, root, ordered, recursive,
        definitions(root, recursive));
    return new Result(model, null, List.copyOf(problems), false);
  }

  private ValueType.Ref readRecord(TypeElement record, String path) {
    String qn = record.getQualifiedName().toString();
    if (records.containsKey(qn) || !inProgress.add(qn)) {
      return new ValueType.Ref(qn);
    }
    discovery.add(qn);
    Map<String, VariableElement> fields = new LinkedHashMap<>();
    for (VariableElement f : ElementFilter.fieldsIn(record.getEnclosedElements())) {
      fields.put(f.getSimpleName().toString(), f);
    }
    DocComment doc = DocComment.parse(elements.getDocComment(record));
    List<Property> properties = new ArrayList<>();
    Set<String> jsonNames = new HashSet<>();
    for (RecordComponentElement rc : record.getRecordComponents()) {
      String name = rc.getSimpleName().toString();
      ExecutableElement accessor = rc.getAccessor();
      VariableElement field = fields.get(name);
      List<AnnotationMirror> decl = Annotations.merged(
          java.util.Arrays.asList(rc, accessor, field));
      String jsonName = jsonProperty(decl);
      if (jsonName == null) {
        jsonName = name;
      }
      String propertyPath = path + "." + name;
      if (!jsonNames.add(jsonName)) {
        problems.add(propertyPath + ": the JSON property name \"" + jsonName
            + "\" is used twice in " + record.getSimpleName() + "; give each component its own @JsonProperty name");
      }
      TypeMirror type = field != null ? field.asType() : rc.asType();
      Slot slot = readSlot(type, propertyPath, decl);
      String description = description(decl, Names.JSON_PROPERTY_DESCRIPTION);
      if (description == null) {
        description = doc.params().get(name);
      }
      if (description != null) {
        slot = new Slot(slot.type(), slot.nullable(), slot.constraints(), description);
      }
      properties.add(new Property(jsonName, slot));
    }
    List<AnnotationMirror> recordAnnotations = new ArrayList<>(record.getAnnotationMirrors());
    String description = description(recordAnnotations, Names.JSON_CLASS_DESCRIPTION);
    records.put(qn, new RecordDef(qn, record.getSimpleName().toString(),
        description != null ? description : doc.summary(), List.copyOf(properties)));
    inProgress.remove(qn);
    return new ValueType.Ref(qn);
  }

  /** Reads the value at {@code path}; {@code declared} holds the declaration annotations of its component. */
  private Slot readSlot(TypeMirror type, String path, List<AnnotationMirror> declared) {
    List<AnnotationMirror> all = new ArrayList<>(declared);
    all.addAll(Annotations.merged(List.of(type)));
    boolean nullable = all.stream().anyMatch(a -> Annotations.simpleName(a).equals("Nullable"));
    TypeKind kind = type.getKind();
    switch (kind) {
      case BOOLEAN:
        return new Slot(new ValueType.Scalar(ValueType.ScalarKind.BOOLEAN), false, Constraints.NONE, null);
      case INT:
      case LONG:
      case SHORT:
      case BYTE:
        return scalar(ValueType.ScalarKind.INTEGER, false, all);
      case DOUBLE:
      case FLOAT:
        return scalar(ValueType.ScalarKind.NUMBER, false, all);
      case ERROR:
        errorTypes = true;
        return Slot.of(new ValueType.Scalar(ValueType.ScalarKind.STRING));
      case DECLARED:
        return readDeclared((DeclaredType) type, path, all, nullable);
      default:
        return unsupported(type, path);
    }
  }

  private Slot readDeclared(DeclaredType type, String path, List<AnnotationMirror> all, boolean nullable) {
    TypeElement element = (TypeElement) type.asElement();
    String qn = element.getQualifiedName().toString();
    ValueType.ScalarKind scalar = scalarKind(qn);
    if (scalar != null) {
      return scalar(scalar, nullable, all);
    }
    if (qn.equals("java.util.List") || qn.equals("java.util.Optional")) {
      List<? extends TypeMirror> args = type.getTypeArguments();
      if (args.isEmpty()) {
        problems.add(path + ": raw " + element.getSimpleName() + " is not supported; write "
            + element.getSimpleName() + "<…> with a type argument (" + SUPPORTED + ")");
        return Slot.of(new ValueType.Scalar(ValueType.ScalarKind.STRING));
      }
      TypeMirror arg = args.get(0);
      if (arg.getKind() == TypeKind.WILDCARD) {
        WildcardType w = (WildcardType) arg;
        problems.add(path + ": the wildcard " + TypeText.describe(type) + " is not supported; name the element type, "
            + "e.g. " + element.getSimpleName() + "<" + (w.getExtendsBound() != null ? TypeText.describe(w.getExtendsBound()) : "String")
            + ">");
        return Slot.of(new ValueType.Scalar(ValueType.ScalarKind.STRING));
      }
      if (qn.equals("java.util.Optional")) {
        // Constraints on an Optional component apply to its value (Bean Validation unwraps Optional).
        List<AnnotationMirror> inner = new ArrayList<>(all);
        inner.removeIf(a -> Annotations.simpleName(a).equals("Nullable"));
        Slot value = readSlot(arg, path, inner);
        return new Slot(value.type(), true, value.constraints(), value.description());
      }
      Slot items = readSlot(arg, path + "[]", List.of());
      return new Slot(new ValueType.Array(items), nullable, constraints(all, null, true), null);
    }
    if (element.getKind() == ElementKind.ENUM) {
      return new Slot(new ValueType.Enum(qn, enumValues(element)), nullable, Constraints.NONE, null);
    }
    if (element.getKind() == ElementKind.RECORD) {
      if (!type.getTypeArguments().isEmpty()) {
        problems.add(path + ": the generic record " + TypeText.describe(type) + " is not supported; "
            + "declare a record without type parameters");
        return Slot.of(new ValueType.Scalar(ValueType.ScalarKind.STRING));
      }
      return new Slot(readRecord(element, path), nullable, Constraints.NONE, null);
    }
    return unsupported(type, path);
  }

  private Slot unsupported(TypeMirror type, String path) {
    String what = TypeText.describe(type);
    String hint = SUPPORTED;
    if (type.getKind() == TypeKind.ARRAY) {
      hint = TypeText.arrayAdvice((ArrayType) type);
    } else if (type.getKind() == TypeKind.TYPEVAR) {
      what = "the type variable " + what;
    } else if (type.getKind() == TypeKind.DECLARED) {
      TypeElement e = (TypeElement) ((DeclaredType) type).asElement();
      if (e.getQualifiedName().contentEquals("java.util.Map")) {
        hint = "use a List<…> of records with key and value components instead of a Map";
      } else if (TypeText.isOwnClass(type)) {
        hint = TypeText.recordAdvice(type);
      }
    }
    problems.add(path + ": " + what + " is not supported; " + hint);
    return Slot.of(new ValueType.Scalar(ValueType.ScalarKind.STRING));
  }

  private Slot scalar(ValueType.ScalarKind kind, boolean nullable, List<AnnotationMirror> all) {
    return new Slot(new ValueType.Scalar(kind), nullable, constraints(all, kind, false), null);
  }

  static ValueType.ScalarKind scalarKind(String qualifiedName) {
    return switch (qualifiedName) {
      case "java.lang.String" -> ValueType.ScalarKind.STRING;
      case "java.lang.Boolean" -> ValueType.ScalarKind.BOOLEAN;
      case "java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte", "java.math.BigInteger" ->
          ValueType.ScalarKind.INTEGER;
      case "java.lang.Double", "java.lang.Float", "java.math.BigDecimal" -> ValueType.ScalarKind.NUMBER;
      default -> null;
    };
  }

  private List<String> enumValues(TypeElement enumType) {
    List<String> values = new ArrayList<>();
    for (Element e : enumType.getEnclosedElements()) {
      if (e.getKind() == ElementKind.ENUM_CONSTANT) {
        String wire = jsonProperty(new ArrayList<>(e.getAnnotationMirrors()));
        values.add(wire != null ? wire : e.getSimpleName().toString());
      }
    }
    return List.copyOf(values);
  }

  private String jsonProperty(List<AnnotationMirror> declared) {
    for (AnnotationMirror a : declared) {
      if (Annotations.name(a).equals(Names.JSON_PROPERTY)) {
        String v = annotations.string(a, "value");
        if (!v.isEmpty()) {
          return v;
        }
      }
    }
    return null;
  }

  private String description(List<AnnotationMirror> declared, String annotation) {
    for (AnnotationMirror a : declared) {
      if (Annotations.name(a).equals(annotation)) {
        String v = annotations.string(a, "value");
        if (!v.isEmpty()) {
          return v;
        }
      }
    }
    return null;
  }

  /**
   * Maps Bean Validation constraints ({@code jakarta.validation.constraints} or
   * {@code javax.validation.constraints}) to schema keywords for a value of {@code kind}
   * ({@code array} true for lists).
   */
  private Constraints constraints(List<AnnotationMirror> all, ValueType.ScalarKind kind, boolean array) {
    Constraints.Builder c = new Constraints.Builder();
    boolean numeric = kind == ValueType.ScalarKind.INTEGER || kind == ValueType.ScalarKind.NUMBER;
    boolean string = kind == ValueType.ScalarKind.STRING;
    for (AnnotationMirror a : all) {
      String qn = Annotations.name(a);
      if (!qn.startsWith("jakarta.validation.constraints.") && !qn.startsWith("javax.validation.constraints.")) {
        continue;
      }
      String simple = Annotations.simpleName(a);
      if (numeric) {
        switch (simple) {
          case "Min" -> c.minimum = max(c.minimum, number(annotations.value(a, "value")));
          case "Max" -> c.maximum = min(c.maximum, number(annotations.value(a, "value")));
          case "DecimalMin" -> {
            BigDecimal v = number(annotations.value(a, "value"));
            if (Boolean.FALSE.equals(annotations.value(a, "inclusive"))) {
              c.exclusiveMinimum = max(c.exclusiveMinimum, v);
            } else {
              c.minimum = max(c.minimum, v);
            }
          }
          case "DecimalMax" -> {
            BigDecimal v = number(annotations.value(a, "value"));
            if (Boolean.FALSE.equals(annotations.value(a, "inclusive"))) {
              c.exclusiveMaximum = min(c.exclusiveMaximum, v);
            } else {
              c.maximum = min(c.maximum, v);
            }
          }
          case "Positive" -> c.exclusiveMinimum = max(c.exclusiveMinimum, BigDecimal.ZERO);
          case "PositiveOrZero" -> c.minimum = max(c.minimum, BigDecimal.ZERO);
          case "Negative" -> c.exclusiveMaximum = min(c.exclusiveMaximum, BigDecimal.ZERO);
          case "NegativeOrZero" -> c.maximum = min(c.maximum, BigDecimal.ZERO);
          default -> { }
        }
      } else if (array) {
        switch (simple) {
          case "Size" -> {
            int lo = annotations.integer(a, "min", 0);
            int hi = annotations.integer(a, "max", Integer.MAX_VALUE);
            if (lo > 0) {
              c.minItems = Math.max(c.minItems == null ? 0 : c.minItems, lo);
            }
            if (hi < Integer.MAX_VALUE) {
              c.maxItems = c.maxItems == null ? hi : Math.min(c.maxItems, hi);
            }
          }
          case "NotEmpty" -> c.minItems = Math.max(c.minItems == null ? 0 : c.minItems, 1);
          default -> { }
        }
      } else if (string) {
        switch (simple) {
          case "Size" -> {
            int lo = annotations.integer(a, "min", 0);
            int hi = annotations.integer(a, "max", Integer.MAX_VALUE);
            if (lo > 0) {
              c.minLength = Math.max(c.minLength == null ? 0 : c.minLength, lo);
            }
            if (hi < Integer.MAX_VALUE) {
              c.maxLength = c.maxLength == null ? hi : Math.min(c.maxLength, hi);
            }
          }
          case "NotEmpty", "NotBlank" -> c.minLength = Math.max(c.minLength == null ? 0 : c.minLength, 1);
          case "Pattern" -> c.pattern = annotations.string(a, "regexp");
          case "Email" -> c.format = "email";
          default -> { }
        }
      }
    }
    return c.build();
  }

  private static BigDecimal number(Object v) {
    if (v == null) {
      return null;
    }
    try {
      return new BigDecimal(v.toString().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static BigDecimal max(BigDecimal a, BigDecimal b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a.max(b);
  }

  private static BigDecimal min(BigDecimal a, BigDecimal b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a.min(b);
  }

  /** Records that reach themselves through their components. */
  private Set<String> recursiveRecords() {
    Map<String, Set<String>> edges = new LinkedHashMap<>();
    for (String qn : discovery) {
      RecordDef r = records.get(qn);
      List<String> out = new ArrayList<>();
      for (Property p : r.properties()) {
        collectRefs(p.slot(), out);
      }
      edges.put(r.qualifiedName(), new LinkedHashSet<>(out));
    }
    Set<String> recursive = new LinkedHashSet<>();
    for (String start : edges.keySet()) {
      Deque<String> todo = new ArrayDeque<>(edges.get(start));
      Set<String> seen = new HashSet<>();
      while (!todo.isEmpty()) {
        String next = todo.pop();
        if (next.equals(start)) {
          recursive.add(start);
          break;
        }
        if (seen.add(next)) {
          todo.addAll(edges.getOrDefault(next, Set.of()));
        }
      }
    }
    return recursive;
  }

  /** The recursive records and those referenced from more than one place (the root counts as a place). */
  private Set<String> definitions(Slot root, Set<String> recursive) {
    List<String> refs = new ArrayList<>();
    collectRefs(root, refs);
    for (String qn : discovery) {
      for (Property p : records.get(qn).properties()) {
        collectRefs(p.slot(), refs);
      }
    }
    Set<String> definitions = new LinkedHashSet<>();
    for (String qn : discovery) {
      if (recursive.contains(qn) || refs.stream().filter(qn::equals).count() > 1) {
        definitions.add(qn);
      }
    }
    return definitions;
  }

  private static void collectRefs(Slot slot, List<String> out) {
    if (slot.type() instanceof ValueType.Ref ref) {
      out.add(ref.qualifiedName());
    } else if (slot.type() instanceof ValueType.Array array) {
      collectRefs(array.items(), out);
    }
  }
}
