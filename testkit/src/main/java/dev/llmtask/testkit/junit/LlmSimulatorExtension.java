package dev.llmtask.testkit.junit;

import dev.llmtask.testkit.LlmSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that provides a running {@link LlmSimulator}.
 *
 * <pre>{@code
 * @ExtendWith(LlmSimulatorExtension.class)
 * class RotationDeskTest {
 *   @Test
 *   void retriesAfterA503(LlmSimulator simulator) {
 *     simulator.enqueue(SimulatedReply.status(503));
 *     ... point the provider at simulator.openAiBaseUrl() ...
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Any constructor, test, lifecycle ({@code @BeforeEach}, {@code @BeforeAll} …) parameter of
 *       type {@code LlmSimulator} receives the simulator shared by the test class: started on
 *       first use with seed 42, {@linkplain LlmSimulator#reset() reset} after every test (after the
 *       test's own {@code @AfterEach} methods, so they can still inspect requests), closed after
 *       the class. Each {@code @Nested} class gets its own.
 *   <li>A parameter annotated {@link FreshLlmSimulator} receives a simulator of its own, closed
 *       after the test method.
 *   <li>Strict by default: a test that leaves scripted replies unused — often a misspelt task name —
 *       fails after it ran, with a message naming each unused reply and the task names requests
 *       used ({@link LlmSimulator#unusedReplies()}). Annotate the test method or class with
 *       {@link LenientLlmSimulator} to allow unused replies.
 * </ul>
 */
public final class LlmSimulatorExtension
    implements ParameterResolver, AfterEachCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LlmSimulatorExtension.class);
  private static final String SHARED = "shared";
  private static final String FRESH = "fresh";

  /** Creates the extension (JUnit instantiates it). */
  public LlmSimulatorExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LlmSimulator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Optional<FreshLlmSimulator> fresh = parameter.findAnnotation(FreshLlmSimulator.class);
    if (fresh.isPresent()) {
      LlmSimulator simulator = LlmSimulator.start(fresh.get().seed());
      freshSimulators(context).add(simulator);
      return simulator;
    }
    ExtensionContext classContext = classContext(context);
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(SHARED, key -> LlmSimulator.start(), LlmSimulator.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> unused = new ArrayList<>();
    boolean strict = !lenient(context);
    LlmSimulator shared =
        classContext(context).getStore(NAMESPACE).get(SHARED, LlmSimulator.class);
    try {
      if (strict) {
        List<LlmSimulator> fresh = freshSimulators(context);
        for (LlmSimulator simulator : fresh) {
          unused.addAll(simulator.unusedReplies());
        }
        if (shared != null) {
          unused.addAll(shared.unusedReplies());
        }
      }
    } finally {
      closeFresh(context);
      if (shared != null) {
        shared.reset();
      }
    }
    if (!unused.isEmpty()) {
      throw new AssertionError(unused.size() + (unused.size() == 1 ? " scripted reply was" : " scripted replies were")
          + " never used: " + String.join("; ", unused)
          + ". Check the task names, or annotate the test with @LenientLlmSimulator to allow unused replies.");
    }
  }

  private static boolean lenient(ExtensionContext context) {
    if (context.getTestMethod().map(m -> m.isAnnotationPresent(LenientLlmSimulator.class)).orElse(false)) {
      return true;
    }
    for (Optional<Class<?>> c = context.getTestClass(); c.isPresent(); c = Optional.ofNullable(c.get().getEnclosingClass())) {
      if (c.get().isAnnotationPresent(LenientLlmSimulator.class)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    closeFresh(context);
    LlmSimulator shared = context.getStore(NAMESPACE).remove(SHARED, LlmSimulator.class);
    if (shared != null) {
      shared.close();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<LlmSimulator> freshSimulators(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(FRESH, key -> new ArrayList<LlmSimulator>(), List.class);
  }

  @SuppressWarnings("unchecked")
  private static void closeFresh(ExtensionContext context) {
    List<LlmSimulator> fresh = context.getStore(NAMESPACE).remove(FRESH, List.class);
    if (fresh != null) {
      fresh.forEach(LlmSimulator::close);
    }
  }

  /** The context of the innermost test class (the one that owns the shared simulator). */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }
}
