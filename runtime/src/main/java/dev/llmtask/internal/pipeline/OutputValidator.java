package dev.llmtask.internal.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.llmtask.codegen.AnswerConstraints;
import dev.llmtask.codegen.Invocation.NamedCheck;
import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.Violations;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Checks an answer in three steps, stopping at the first that fails: decode against the schema,
 * Bean Validation, then the task's {@code @Check} rules bound to the caller's inputs. Before
 * decoding, one byte-order mark and one surrounding code fence are stripped ({@link AnswerUnwrapping}).
 *
 * <p>Each failure carries two texts: {@code feedback} for the re-ask (may quote the model's own
 * answer, goes only to the provider) and {@code reason} for telemetry (no answer text).
 */
final class OutputValidator {
  /** Reads answers into a parser for the task's decoder, and spells enum constants as the schema does. */
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * Hibernate Validator takes 150–200 ms to bootstrap in a fresh JVM, and only answers whose constraints
   * the processor did not write out as code need it: build it on a background thread as soon as a task
   * like that is wired ({@link #needs}), so it overlaps the rest of start-up and the first exchange
   * instead of delaying the first call by that much. Never started when every task checks its own.
   */
  private volatile CompletableFuture<Validator> validator;

  private final Set<Class<?>> prepared = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Starts Hibernate Validator's bootstrap now when answers of {@code decoder} will need it. */
  void needs(OutputDecoder<?> decoder) {
    if (usesBeanValidation(decoder)) {
      validator();
    }
  }

  /**
   * For the first call of a task, has Jackson build the answer's deserializers on a background thread
   * while the call's exchange is in flight; when Hibernate Validator checks the answers, it also reads
   * the type's constraints and sets up their validators there (50–100 ms in a fresh JVM on its first
   * {@code validate} of the type). Later calls find the type prepared and do nothing. An answer that
   * arrives first is checked as usual; both are thread-safe, and the warm-up's results are discarded.
   */
  void prepare(OutputDecoder<?> decoder) {
    Class<?> type = decoder.validatedType();
    if (type != null && prepared.add(type)) {
      boolean beanValidation = usesBeanValidation(decoder);
      CompletableFuture<Validator> v = beanValidation ? validator() : null;
      Thread t = new Thread(() -> {
        warmUp(decoder);
        if (v != null) {
          warmUp(v.join(), type);
        }
      }, "llmtask-validator-prepare");
      t.setDaemon(true);
      t.start();
    }
  }

  /**
   * Whether Hibernate Validator checks this decoder's answers: not when the processor wrote their
   * constraints as code, nor for answers that are not records (a String, a number, an enum, a list of
   * those), which carry no constraints it could read.
   */
  private static boolean usesBeanValidation(OutputDecoder<?> decoder) {
    Class<?> type = decoder.validatedType();
    return decoder.constraints() == null && type != null && !isPlainValue(type);
  }

  /** Whether a value checked without generated constraints is plain, or a list of plain values and nulls. */
  private static boolean plain(Object value) {
    if (value instanceof Collection<?> items) {
      for (Object item : items) {
        if (item != null && !isPlainValue(item.getClass())) {
          return false;
        }
      }
      return true;
    }
    return isPlainValue(value.getClass());
  }

  private static boolean isPlainValue(Class<?> type) {
    return type == String.class || type.isEnum() || type.isPrimitive() || type == Boolean.class
        || (Number.class.isAssignableFrom(type) && type.getName().startsWith("java."));
  }

  private CompletableFuture<Validator> validator() {
    CompletableFuture<Validator> v = validator;
    if (v == null) {
      synchronized (this) {
        v = validator;
        if (v == null) {
          v = CompletableFuture.supplyAsync(OutputValidator::bootstrap, runnable -> {
            Thread t = new Thread(runnable, "llmtask-validator-bootstrap");
            t.setDaemon(true);
            t.start();
          });
          validator = v;
        }
      }
    }
    return v;
  }

  /**
   * Has Jackson build the decoder's deserializers (tens of milliseconds in a fresh JVM, the root
   * decoders fetch them on first use) by decoding an empty object, which fails for any record with a
   * required property; the outcome is discarded. A decoder with a validated type is the runtime's own
   * and has no side effects.
   */
  private static void warmUp(OutputDecoder<?> decoder) {
    try (JsonParser parser = JSON.createParser("{}")) {
      decoder.decode(parser);
    } catch (IOException | RuntimeException e) {
      // only a warm-up: the call's own decode reports any problem
    }
  }

  /** Reads the constraints of {@code type}, then sets up each property's validators by checking a null value against them. */
  private static <T> void warmUp(Validator validator, Class<T> type) {
    for (jakarta.validation.metadata.PropertyDescriptor p : validator.getConstraintsForClass(type).getConstrainedProperties()) {
      try {
        validator.validateValue(type, p.getPropertyName(), null);
      } catch (RuntimeException e) {
        // only a warm-up: the call's own check reports any problem
      }
    }
  }

  private static final jakarta.validation.TraversableResolver ALL_TRAVERSABLE = new jakarta.validation.TraversableResolver() {
    @Override
    public boolean isReachable(Object bean, jakarta.validation.Path.Node node, Class<?> rootBeanType,
        jakarta.validation.Path path, java.lang.annotation.ElementType elementType) {
      return true;
    }

    @Override
    public boolean isCascadable(Object bean, jakarta.validation.Path.Node node, Class<?> rootBeanType,
        jakarta.validation.Path path, java.lang.annotation.ElementType elementType) {
      return true;
    }
  };

  /**
   * Hibernate Validator announces its version ({@code HV000001}) at INFO when it boots; through
   * jboss-logging's fallback to {@code java.util.logging} that line lands on every application's
   * stderr. Raise only that one logger to WARNING, and only when nobody configured its level (a
   * {@code logging.properties} entry or an earlier {@code setLevel} wins). Held in a field because
   * {@code java.util.logging} keeps loggers only weakly and would forget the level; in a class of its
   * own so that a runtime that never needs Hibernate Validator never starts {@code java.util.logging}.
   */
  private static final class QuietVersion {
    static final java.util.logging.Logger LOGGER = quietVersionAnnouncement();

    private static java.util.logging.Logger quietVersionAnnouncement() {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.hibernate.validator.internal.util.Version");
      if (logger.getLevel() == null) {
        logger.setLevel(java.util.logging.Level.WARNING);
      }
      return logger;
    }
  }

  private static Validator bootstrap() {
    java.util.Objects.requireNonNull(QuietVersion.LOGGER); // set before the first use of Hibernate Validator
    // ParameterMessageInterpolator: standard messages without an expression-language dependency, in
    // English whatever the JVM's locale, as the checks the processor writes as code word them (and so
    // telemetry reasons read the same on every machine).
    // No META-INF/validation.xml is read (answers are checked by their annotations alone), which
    // spares start-up the XML parser; every property is traversable, as without JPA, so caching the
    // resolver's answers (a map and a holder per constraint on every validate) would be waste. The
    // provider is given, not looked up: no ServiceLoader scan of every jar on the class path.
    return Validation.byProvider(HibernateValidator.class)
        .providerResolver(() -> List.of(new HibernateValidator()))
        .configure()
        .ignoreXmlConfiguration()
        .traversableResolver(ALL_TRAVERSABLE)
        .enableTraversableResolverResultCache(false)
        .messageInterpolator(new ParameterMessageInterpolator(Set.of(Locale.ENGLISH), Locale.ENGLISH, false))
        .buildValidatorFactory()
        .getValidator();
  }

  /**
   * The verdict on one answer.
   *
   * @param unwrapped how the answer's text was unwrapped before decoding ({@code bom}, {@code fence},
   *     {@code bom+fence}), or {@code null}; the repair link records it as {@code answer_unwrapped}
   */
  record Verdict<T>(T value, List<String> violations, String feedback, String reason, String unwrapped) {
    public boolean valid() {
      return violations.isEmpty();
    }
  }

  <T> Verdict<T> check(String answer, OutputDecoder<T> decoder, List<NamedCheck<T>> checks) {
    if (answer == null || answer.isBlank()) {
      return invalid("the answer is empty", "the answer is empty", null);
    }
    AnswerUnwrapping.Unwrapped text = AnswerUnwrapping.of(answer);
    String how = text.how();
    T value;
    try (JsonParser parser = JSON.createParser(text.text())) {
      value = decoder.decode(parser);
    } catch (JsonProcessingException e) {
      return invalid(describeForModel(e), describeSafely(e), how);
    } catch (IOException e) {
      return invalid("the answer could not be read as JSON", "the answer could not be read as JSON", how);
    }
    if (value == null) {
      return invalid("the answer is null", "the answer is null", how);
    }
    List<String> violations = beanViolations(value, decoder);
    if (violations.isEmpty()) {
      violations = checkViolations(value, checks);
    }
    if (violations.isEmpty()) {
      return new Verdict<>(value, List.of(), null, null, how);
    }
    String joined = String.join("; ", violations);
    return new Verdict<>(value, violations, joined, joined, how);
  }

  /**
   * The sorted violations, {@code List.of()} when none: of each element of a list answer (a null
   * element is one), else of the answer, by the decoder's generated checks, by Hibernate Validator, or
   * by nothing at all for plain values.
   */
  private <T> List<String> beanViolations(T value, OutputDecoder<T> decoder) {
    AnswerConstraints<Object> checks = checksFor(value, decoder);
    Violations found = new Violations();
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        if (item == null) {
          found.add("items[" + i + "]", "", Violations.COMPONENT, "must not be null");
        } else {
          checks.check(item, "items[" + i + "].", found);
        }
        i++;
      }
    } else {
      checks.check(value, "", found);
    }
    return found.toList();
  }

  @SuppressWarnings("unchecked")
  private <T> AnswerConstraints<Object> checksFor(T value, OutputDecoder<T> decoder) {
    AnswerConstraints<Object> generated = (AnswerConstraints<Object>) decoder.constraints();
    if (generated != null) {
      return generated;
    }
    return plain(value) ? AnswerConstraints.none() : hibernate;
  }

  /** Hibernate Validator's violations of one record, each as its path and message. */
  private final AnswerConstraints<Object> hibernate = (item, prefix, out) -> {
    for (ConstraintViolation<Object> v : validator().join().validate(item)) {
      out.add(prefix, v.getPropertyPath().toString(), Violations.COMPONENT, v.getMessage());
    }
  };

  private static <T> List<String> checkViolations(T value, List<NamedCheck<T>> checks) {
    List<String> out = null;
    for (int i = 0; i < checks.size(); i++) { // by index: no iterator per call
      NamedCheck<T> c = checks.get(i);
      List<String> found = c.check().violations(value);
      if (found != null && !found.isEmpty()) {
        if (out == null) {
          out = new ArrayList<>(found.size());
        }
        for (String s : found) {
          out.add(c.name() + ": " + s);
        }
      }
    }
    return out == null ? List.of() : out;
  }

  private static <T> Verdict<T> invalid(String feedback, String reason, String unwrapped) {
    return new Verdict<>(null, List.of(reason), feedback, reason, unwrapped);
  }

  /** Jackson's own message, for the model: it may quote the model's answer, never the caller's input. */
  private static String describeForModel(JsonProcessingException e) {
    return "the answer does not match the JSON schema: " + e.getOriginalMessage();
  }

  /**
   * What is wrong and where, with the JSON names the schema uses and never a value from the answer,
   * for telemetry: {@code orderId: missing}, {@code priority: not one of [low, medium, high]},
   * {@code rotation_window_days: expected integer}.
   */
  static String describeSafely(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m)) {
      return "the answer is not valid JSON";
    }
    List<JsonMappingException.Reference> refs = m.getPath();
    if (e instanceof UnrecognizedPropertyException) {
      // the property's name is the model's text: say where, not what
      return at(path(refs.subList(0, Math.max(0, refs.size() - 1))), "unexpected property");
    }
    Matcher missing = MISSING_PROPERTY.matcher(String.valueOf(m.getOriginalMessage()));
    if (missing.find()) { // the name comes from the answer type, not from the answer; Jackson's path ends with it
      String path = path(refs);
      return at(path.isEmpty() ? missing.group(1) : path, "missing");
    }
    Class<?> target = e instanceof MismatchedInputException mi ? mi.getTargetType() : null;
    String path = path(refs);
    if (target != null && target.isEnum()) {
      return at(path, "not one of " + enumValues(target));
    }
    if (e instanceof MismatchedInputException) {
      return at(path, target == null ? "does not match the schema" : "expected " + jsonType(target));
    }
    return at(path, "does not match the schema");
  }

  private static final Pattern MISSING_PROPERTY = Pattern.compile("Missing (?:required )?creator property '([A-Za-z0-9_$-]{1,64})'");

  private static String at(String path, String problem) {
    return path.isEmpty() ? "the answer: " + problem : path + ": " + problem;
  }

  /** The enum's wire values in declaration order, as the schema lists them. */
  private static String enumValues(Class<?> type) {
    List<String> values = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      values.add(JSON.convertValue(constant, String.class));
    }
    return "[" + String.join(", ", values) + "]";
  }

  private static String jsonType(Class<?> type) {
    if (type == int.class || type == long.class || type == short.class || type == byte.class
        || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
        || type == java.math.BigInteger.class) {
      return "integer";
    }
    if (type == double.class || type == float.class || Number.class.isAssignableFrom(type)) {
      return "number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "boolean";
    }
    if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
      return "string";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "array";
    }
    return "object";
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(safeName(ref.getFieldName()));
      } else if (ref.getIndex() >= 0) {
        b.append('[').append(ref.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  /** Property names come from the model; keep only identifier characters and a bounded length. */
  private static String safeName(String name) {
    String cleaned = name.replaceAll("[^A-Za-z0-9_$-]", "?");
    return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
  }
}
