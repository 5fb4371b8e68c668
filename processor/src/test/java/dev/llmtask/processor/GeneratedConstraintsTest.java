package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import dev.llmtask.codegen.AnswerConstraints;
import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.codegen.Violations;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The answer constraints the processor writes out as code give exactly what Hibernate Validator gives
 * (configured as the runtime configures it): the same paths, messages and verdicts over thousands of
 * generated values, edge cases included; and every declaration the generated code could not check so
 * is left to Hibernate Validator.
 */
class GeneratedConstraintsTest {

  private static final String WIDE = """
      package com.example;

      import jakarta.validation.Valid;
      import jakarta.validation.constraints.*;
      import java.math.BigDecimal;
      import java.math.BigInteger;
      import java.util.List;
      import java.util.Optional;

      public record Wide(
          @NotNull String name,
          @NotEmpty String code,
          @NotBlank String title,
          @Size(min = 2, max = 4) String shortText,
          @Size(min = 1, max = 3) List<String> tags,
          @NotEmpty List<@NotBlank @Size(max = 3) String> labels,
          @NotNull @Min(0) @Max(365) int days,
          @Min(-5) Integer boxed,
          @Max(9007199254740993L) long big,
          @Min(1) @Max(10) double ratio,
          @Positive Double score,
          @PositiveOrZero short small,
          @Negative BigDecimal debt,
          @NegativeOrZero BigInteger loss,
          @Positive byte tiny,
          @NegativeOrZero double drift,
          @PositiveOrZero Long count,
          @Negative long below,
          @Pattern(regexp = "acct_[0-9]{3}") String account,
          @Pattern(regexp = "\\\\d+\\\\.\\\\$?") String amount,
          @AssertTrue boolean agreed,
          @AssertFalse Boolean flagged,
          @NotNull Kind kind,
          @Valid Owner owner,
          @Valid List<Owner> owners,
          List<@Valid @NotNull Owner> more,
          Owner unchecked,
          Optional<String> note,
          List<@Min(2) Integer> counts) {

        public enum Kind { LOW, HIGH }

        public record Owner(@NotBlank String name, @Size(max = 2) List<@Min(1) Long> ids, @Valid Owner manager) {}
      }
      """;

  private static final String DESK = """
      package com.example;

      import dev.llmtask.LlmTask;
      import dev.llmtask.UserPrompt;
      import java.util.List;

      @LlmTask(promptVersion = "wide@1")
      public interface WideDesk {
        @UserPrompt("{{q}}")
        Wide answer(String q);

        @UserPrompt("{{q}}")
        List<Wide> answers(String q);
      }
      """;

  private static final Validator HIBERNATE = Validation.byProvider(HibernateValidator.class)
      .providerResolver(() -> List.of(new HibernateValidator()))
      .configure()
      .ignoreXmlConfiguration()
      .messageInterpolator(new ParameterMessageInterpolator())
      .buildValidatorFactory()
      .getValidator();

  @Test
  void generatedChecksGiveHibernateValidatorsViolationsForEveryValue() throws Exception {
    Compilation c = Sources.compile(Sources.source("com.example.Wide", WIDE), Sources.source("com.example.WideDesk", DESK));
    assertThat(c).succeeded();
    CompiledClasses loader = new CompiledClasses(c);
    Class<?> wide = loader.loadClass("com.example.Wide");
    AnswerConstraints<Object> generated = constraintsOf(loader, "com.example.WideDesk_LlmTask", "ANSWER");
    assertThat(constraintsOf(loader, "com.example.WideDesk_LlmTask", "ANSWERS")).as("the list task's element checks")
        .isNotNull();

    long seed = 20261202L;
    Random random = new Random(seed);
    java.util.Map<String, Integer> violatedIn = new java.util.TreeMap<>(); // component -> values violating it
    Set<String> messagesSeen = new TreeSet<>();
    for (int n = 0; n < 4000; n++) {
      Object value = instance(wide, random, 0);
      Violations mine = new Violations();
      generated.check(value, "", mine);
      List<String> expected = hibernate(value);
      assertThat(mine.toList()).as("violations of value #%d (seed %d)", n, seed).isEqualTo(expected);
      Set<String> components = new TreeSet<>();
      for (String v : expected) {
        messagesSeen.add(v.substring(v.indexOf(": ") + 2));
        components.add(v.split("[.\\[:]", 2)[0]);
      }
      components.forEach(name -> violatedIn.merge(name, 1, Integer::sum));
    }
    // each constrained component passes in some values and fails in others, with every message kind,
    // or the comparison proves little
    assertThat(violatedIn.keySet()).containsExactlyInAnyOrder("name", "code", "title", "shortText", "tags", "labels",
        "days", "boxed", "big", "ratio", "score", "small", "debt", "loss", "tiny", "drift", "count", "below", "account",
        "amount", "agreed", "flagged", "kind", "owner", "owners", "more", "counts");
    assertThat(violatedIn.values()).allSatisfy(n -> assertThat(n).isBetween(40, 3960));
    assertThat(messagesSeen).contains("must not be null", "must not be empty", "must not be blank",
        "size must be between 2 and 4", "must be greater than or equal to 0", "must be less than or equal to 365",
        "must be greater than 0", "must be less than 0", "must be less than or equal to 0", "must be true",
        "must be false", "must match \"acct_[0-9]{3}\"", "must match \"\\d+\\.\\$?\"");
  }

  @Test
  void validAnswersAreCheckedWithoutAllocatingAViolationList() throws Exception {
    Compilation c = Sources.compile(Sources.decision(), Sources.rotationDecision(), Sources.rotationDesk());
    CompiledClasses loader = new CompiledClasses(c);
    AnswerConstraints<Object> generated = constraintsOf(loader, "com.example.RotationDesk_LlmTask", "DECIDE_ROTATION");
    Class<?> decision = loader.loadClass("com.example.RotationDecision");
    Class<?> kind = loader.loadClass("com.example.Decision");
    Constructor<?> ctor = decision.getDeclaredConstructors()[0];
    Object valid = ctor.newInstance(kind.getEnumConstants()[0], 90, List.of("L1"));
    Violations none = new Violations();
    generated.check(valid, "", none);
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.toList()).isSameAs(List.of());
    Object bad = ctor.newInstance(null, 400, List.of(" "));
    Violations found = new Violations();
    generated.check(bad, "items[3].", found);
    assertThat(found.toList()).containsExactly("items[3].decision: must not be null",
        "items[3].rotationWindowDays: must be less than or equal to 365",
        "items[3].sourceLineIds[0].<list element>: must not be blank");
  }

  /** Each declaration the generated code could not check exactly as Hibernate Validator does is left to it. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a message of one's own            | @NotBlank(message = "say something") String text
      a group                           | @NotBlank(groups = Wide.class) String text
      DecimalMin                        | @DecimalMin("0.5") double text
      Email                             | @Email String text
      Digits                            | @Digits(integer = 3, fraction = 0) int text
      Pattern flags                     | @Pattern(regexp = "a", flags = Pattern.Flag.CASE_INSENSITIVE) String text
      Min on a float                    | @Min(1) float text
      NotBlank on a number              | @NotBlank Integer text
      a constraint on an Optional       | Optional<@NotBlank String> text
      nested lists with constraints     | List<List<@NotBlank String>> text
      a Hibernate Validator constraint  | @org.hibernate.validator.constraints.Length(max = 3) String text
      @Valid on a String                | @Valid String text
      """)
  void aDeclarationTheGeneratedCodeCannotMatchIsLeftToHibernateValidator(String what, String component) {
    String code = generatedFor("public record Wide(" + component + ") {}");
    assertThat(code).as(what).contains("OutputDecoder.of(Wide.class)").doesNotContain("Violations");
  }

  @Test
  void aCustomConstraintAGetterAClassLevelConstraintOrAnInterfaceLeaveTheRecordToHibernateValidator() {
    String custom = generatedFor("""
        @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
        @jakarta.validation.Constraint(validatedBy = {})
        @interface Even { String message() default "even"; Class<?>[] groups() default {}; Class<? extends jakarta.validation.Payload>[] payload() default {}; }
        public record Wide(@Even int text) {}
        """);
    String getter = generatedFor("""
        public record Wide(@NotBlank String text, int low, int high) {
          @AssertTrue public boolean isOrdered() { return low <= high; }
        }
        """);
    String classLevel = generatedFor("""
        @org.hibernate.validator.constraints.ScriptAssert(lang = "javascript", script = "true")
        public record Wide(@NotBlank String text) {}
        """);
    String iface = generatedFor("""
        interface Named { @NotBlank String text(); }
        public record Wide(@NotBlank String text) implements Named {}
        """);
    String nested = generatedFor("""
        public record Wide(@Valid Inner inner) {
          public record Inner(@Email String mail) {}
        }
        """);
    for (String code : List.of(custom, getter, classLevel, iface, nested)) {
      assertThat(code).contains("OutputDecoder.of(Wide.class)").doesNotContain("Violations");
    }
  }

  @Test
  void aRecordWithoutConstraintsNeedsNoChecksAtAll() {
    assertThat(generatedFor("public record Wide(String text, List<Integer> counts) {}"))
        .contains("OutputDecoder.of(Wide.class, AnswerConstraints.none())");
  }

  private static String generatedFor(String record) {
    String source = """
        package com.example;

        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;
        import jakarta.validation.Valid;
        import jakarta.validation.constraints.*;
        import java.util.List;
        import java.util.Optional;

        """ + record + """

        @LlmTask(promptVersion = "wide@1")
        interface WideDesk {
          @UserPrompt("{{q}}")
          Wide answer(String q);
        }
        """;
    Compilation c = Sources.compile(Sources.source("com.example.Wide", source));
    assertThat(c).succeeded();
    return Sources.generated(c, "com.example.WideDesk_LlmTask");
  }

  @SuppressWarnings("unchecked")
  private static AnswerConstraints<Object> constraintsOf(ClassLoader loader, String generatedClass, String specField)
      throws Exception {
    Field f = loader.loadClass(generatedClass).getDeclaredField(specField);
    f.setAccessible(true);
    OutputDecoder<?> decoder = ((TaskSpec<?>) f.get(null)).decoder();
    return (AnswerConstraints<Object>) decoder.constraints();
  }

  /** Hibernate Validator's violations, formatted and sorted as the runtime formats them. */
  private static List<String> hibernate(Object value) {
    Set<String> out = new TreeSet<>();
    for (ConstraintViolation<Object> v : HIBERNATE.validate(value)) {
      out.add(v.getPropertyPath() + ": " + v.getMessage());
    }
    return new ArrayList<>(out);
  }

  // values: edge cases of each type, then random ones

  private static final String[] STRINGS = {null, "", " ", "\t", "\u2003", " a ", "a", "ab", "abc", "abcd", "abcde",
      "acct_123", "acct_12", "acct_1234", "12.", "12.$", "1.$$", "x{3}", "\u00e9t\u00e9"};

  private static Object instance(Class<?> record, Random r, int depth) throws Exception {
    RecordComponent[] components = record.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] = value(components[i].getGenericType(), r, depth);
    }
    return record.getDeclaredConstructor(types).newInstance(args);
  }

  private static Object value(Type type, Random r, int depth) throws Exception {
    if (type instanceof ParameterizedType p) {
      Type arg = p.getActualTypeArguments()[0];
      if (p.getRawType() == Optional.class) {
        return r.nextBoolean() ? Optional.empty() : Optional.ofNullable((String) value(arg, r, depth));
      }
      if (r.nextInt(8) == 0) {
        return null;
      }
      int size = r.nextInt(5);
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        list.add(r.nextInt(10) == 0 ? null : value(arg, r, depth + 1));
      }
      return list;
    }
    Class<?> c = (Class<?>) type;
    boolean nullable = !c.isPrimitive();
    if (nullable && r.nextInt(9) == 0) {
      return null;
    }
    if (c == String.class) {
      return r.nextInt(3) == 0 ? randomText(r) : STRINGS[1 + r.nextInt(STRINGS.length - 1)];
    }
    if (c == int.class || c == Integer.class) {
      int[] edge = {-6, -5, -1, 0, 1, 2, 365, 366, Integer.MIN_VALUE, Integer.MAX_VALUE};
      return r.nextBoolean() ? edge[r.nextInt(edge.length)] : r.nextInt(800) - 200;
    }
    if (c == long.class || c == Long.class) {
      long[] edge = {-1, 0, 1, 2, 9007199254740992L, 9007199254740993L, 9007199254740994L, Long.MAX_VALUE,
          Long.MIN_VALUE};
      return r.nextBoolean() ? edge[r.nextInt(edge.length)] : r.nextLong() % 1000;
    }
    if (c == double.class || c == Double.class) {
      double[] edge = {-0.0, 0.0, 0.5, 1.0, 0.9999999999, 10.0, 10.000000001, -1e-300, 1e-300,
          Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, -5.0};
      return r.nextBoolean() ? edge[r.nextInt(edge.length)] : (r.nextDouble() - 0.3) * 20;
    }
    if (c == short.class) {
      return (short) (r.nextInt(5) - 2);
    }
    if (c == byte.class) {
      return (byte) (r.nextInt(5) - 2);
    }
    if (c == BigDecimal.class) {
      String[] edge = {"-0.0001", "0", "0.00", "-0.00", "-1", "1E+3", "-1E-30", "0.0001"};
      return new BigDecimal(edge[r.nextInt(edge.length)]);
    }
    if (c == BigInteger.class) {
      return BigInteger.valueOf(r.nextInt(5) - 2);
    }
    if (c == boolean.class || c == Boolean.class) {
      return r.nextBoolean();
    }
    if (c.isEnum()) {
      return c.getEnumConstants()[r.nextInt(c.getEnumConstants().length)];
    }
    if (c.isRecord()) {
      return depth > 2 ? null : instance(c, r, depth + 1);
    }
    throw new IllegalStateException("no values for " + c);
  }

  private static String randomText(Random r) {
    String alphabet = "a1 _.$\t";
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(7); i > 0; i--) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
