package dev.llmtask.processor.model;

import dev.llmtask.processor.diagnostic.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
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
 * Unsupported types become problems with their path ({@code Ticket.tags[].owner}), reported on the record
 * component when its record is compiled from source in this compilation, else on the task method.
 */
public final class OutputTypeReader {
  public static final String SUPPORTED =
      "use a record, an enum, String, a number, a boolean, List<…> or Optional<…>";

  private final Types types;
  private final Elements elements;
  private final Annotations annotations;
  private final ConstraintReader constraints;
  private final ExecutableElement method;
  private final Predicate<Element> fromSource;

  private final Map<String, RecordDef> records = new LinkedHashMap<>();
  private final Set<String> inProgress = new HashSet<>();
  private final List<String> discovery = new ArrayList<>();
  private final List<Problem> problems = new ArrayList<>();
  private boolean errorTypes;

  private OutputTypeReader(Types types, Elements elements, Annotations annotations, ExecutableElement method,
      Predicate<Element> fromSource) {
    this.types = types;
    this.elements = elements;
    this.annotations = annotations;
    this.constraints = new ConstraintReader(annotations);
    this.method = method;
    this.fromSource = fromSource;
  }

  /**
   * The result of reading a return type's value type {@code T}.
   *
   * @param output the answer type, or null when it or a type inside it is not supported
   * @param resultType the task's value type (boxed when primitive), or null when not supported as a result
   * @param problems the unsupported types, each reported on its component or the task method
   * @param errorTypes whether a type could not be resolved yet
   */
  public record Result(OutputModel output, TypeMirror resultType, List<Problem> problems, boolean errorTypes) {}

  /**
   * Reads {@code valueType} (the {@code T} of task method {@code method}, after unwrapping {@code LlmResult}
   * and {@code CompletableFuture}); {@code fromSource} tells whether an element is compiled from source here.
   */
  public static Result read(TypeMirror valueType, ExecutableElement method, Types types, Elements elements,
      Annotations annotations, Predicate<Element> fromSource) {
    return new OutputTypeReader(types, elements, annotations, method, fromSource).readRoot(valueType);
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
            Slot items = readSlot(arg, OutputModel.ITEMS_PROPERTY + "[]", List.of(), method);
            return finish(OutputModel.Kind.LIST, t, arg, Slot.of(new ValueType.Array(items)));
          }
        }
        if (args.size() == 1 && args.get(0).getKind() == TypeKind.ERROR) {
          return new Result(null, null, List.of(), true);
        }
        return rootProblem(t);
      }
      if (e.getKind() == ElementKind.ENUM || scalarKind(qn) != null) {
        Slot value = readSlot(t, OutputModel.VALUE_PROPERTY, List.of(), method);
        return finish(OutputModel.Kind.WRAPPED, t, t, value);
      }
      return rootProblem(t);
    }
    if (t.getKind().isPrimitive() && t.getKind() != TypeKind.CHAR) {
      TypeMirror boxed = types.boxedClass(types.getPrimitiveType(t.getKind())).asType();
      Slot value = readSlot(t, OutputModel.VALUE_PROPERTY, List.of(), method);
      return finish(OutputModel.Kind.WRAPPED, boxed, boxed, value);
    }
    return rootProblem(t);
  }

  private Result rootProblem(TypeMirror t) {
    String advice = TypeText.isOwnClass(t) ? TypeText.recordAdvice(t) + ", or return " : "return ";
    return new Result(null, null, List.of(Problem.error("task method '" + method.getSimpleName() + "' returns "
        + TypeText.describe(t) + ", which is not a supported task result; " + advice
        + "a record, an enum, String, a number, a boolean or a List<…> of those, optionally inside LlmResult<…> "
        + "and/or CompletableFuture<…>, or inside LlmStream<…>", method)), false);
  }

  private Result finish(OutputModel.Kind kind, TypeMirror resultType, TypeMirror decodeType, Slot root) {
    if (errorTypes) {
      return new Result(null, null, List.copyOf(problems), true);
    }
    if (!problems.isEmpty()) {
      return new Result(null, resultType, List.copyOf(problems), false);
    }
    Map<String, RecordDef> ordered = new LinkedHashMap<>();
    for (String qn : discovery) {
      ordered.put(qn, records.get(qn));
    }
    RecordGraph graph = new RecordGraph(ordered);
    Set<String> recursive = graph.recursive();
    AnswerChecks checks = null;
    if ((kind == OutputModel.Kind.RECORD || kind == OutputModel.Kind.LIST) && decodeType.getKind() == TypeKind.DECLARED
        && ((DeclaredType) decodeType).asElement().getKind() == ElementKind.RECORD) {
      checks = AnswerChecksReader.read((TypeElement) ((DeclaredType) decodeType).asElement(), annotations, fromSource);
    }
    OutputModel model = new OutputModel(kind, resultType, decodeType, root, ordered, recursive,
        graph.definitions(root, recursive), checks);
    return new Result(model, resultType, List.of(), false);
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
      // A component compiled here is where its problems are reported; one from a class file has no source line.
      // javac (17) locates the component's field, declared at the component, but not the component element.
      Element source = fromSource.test(rc) ? (field != null ? field : rc) : null;
      Element at = source != null ? source : method;
      if (!jsonNames.add(jsonName)) {
        problems.add(Problem.error(propertyPath + ": the JSON property name \"" + jsonName
            + "\" is used twice in " + record.getSimpleName() + "; give each component its own @JsonProperty name",
            at));
      }
      TypeMirror type = field != null ? field.asType() : rc.asType();
      Slot slot = readSlot(type, propertyPath, decl, at);
      String description = description(decl, Names.JSON_PROPERTY_DESCRIPTION);
      if (description == null) {
        description = doc.params().get(name);
      }
      if (description != null) {
        slot = new Slot(slot.type(), slot.nullable(), slot.constraints(), description);
      }
      properties.add(new Property(jsonName, slot, source));
    }
    List<AnnotationMirror> recordAnnotations = new ArrayList<>(record.getAnnotationMirrors());
    String description = description(recordAnnotations, Names.JSON_CLASS_DESCRIPTION);
    records.put(qn, new RecordDef(qn, record.getSimpleName().toString(),
        description != null ? description : doc.summary(), List.copyOf(properties)));
    inProgress.remove(qn);
    return new ValueType.Ref(qn);
  }

  /**
   * Reads the value at {@code path}; {@code declared} holds the declaration annotations of its component, and
   * {@code at} is where a problem with it is reported.
   */
  private Slot readSlot(TypeMirror type, String path, List<AnnotationMirror> declared, Element at) {
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
        return readDeclared((DeclaredType) type, path, all, nullable, at);
      default:
        return unsupported(type, path, at);
    }
  }

  private Slot readDeclared(DeclaredType type, String path, List<AnnotationMirror> all, boolean nullable,
      Element at) {
    TypeElement element = (TypeElement) type.asElement();
    String qn = element.getQualifiedName().toString();
    ValueType.ScalarKind scalar = scalarKind(qn);
    if (scalar != null) {
      return scalar(scalar, nullable, all);
    }
    if (qn.equals("java.util.List") || qn.equals("java.util.Optional")) {
      List<? extends TypeMirror> args = type.getTypeArguments();
      if (args.isEmpty()) {
        problems.add(Problem.error(path + ": raw " + element.getSimpleName() + " is not supported; write "
            + element.getSimpleName() + "<…> with a type argument (" + SUPPORTED + ")", at));
        return Slot.of(new ValueType.Scalar(ValueType.ScalarKind.STRING));
      }
      TypeMirror arg = args.get(0);
      if (arg.getKind() == TypeKind.WILDCARD) {
        WildcardType w = (WildcardType) arg;
        problems.add(Problem.error(path + ": the wildcard " + TypeText.describe(type) + " is not supported; name the "
            + "element type, e.g. " + element.getSimpleName() + "<"
            + (w.getExtendsBound() != null ? TypeText.describe(w.getExtendsBound()) : "String") + ">", at));
        return Slot.of(new ValueType.Scalar(ValueType.ScalarKind.STRING));
      }
      if (qn.equals("java.util.Optional")) {
        // Constraints on an Optional component apply to its value (Bean Validation unwraps Optional).
        List<AnnotationMirror> inner = new ArrayList<>(all);
        inner.removeIf(a -> Annotations.simpleName(a).equals("Nullable"));
        Slot value = readSlot(arg, path, inner, at);
        return new Slot(value.type(), true, value.constraints(), value.description());
      }
      Slot items = readSlot(arg, path + "[]", List.of(), at);
      return new Slot(new ValueType.Array(items), nullable, constraints.read(all, null, true), null);
    }
    if (element.getKind() == ElementKind.ENUM) {
      return new Slot(new ValueType.Enum(qn, enumValues(element)), nullable, Constraints.NONE, null);
    }
    if (element.getKind() == ElementKind.RECORD) {
      if (!type.getTypeArguments().isEmpty()) {
        problems.add(Problem.error(path + ": the generic record " + TypeText.describe(type) + " is not supported; "
            + "declare a record without type parameters", at));
        return Slot.of(new ValueType.Scalar(ValueType.ScalarKind.STRING));
      }
      return new Slot(readRecord(element, path), nullable, Constraints.NONE, null);
    }
    return unsupported(type, path, at);
  }

  private Slot unsupported(TypeMirror type, String path, Element at) {
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
    problems.add(Problem.error(path + ": " + what + " is not supported; " + hint, at));
    return Slot.of(new ValueType.Scalar(ValueType.ScalarKind.STRING));
  }

  private Slot scalar(ValueType.ScalarKind kind, boolean nullable, List<AnnotationMirror> all) {
    return new Slot(new ValueType.Scalar(kind), nullable, constraints.read(all, kind, false), null);
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

}
