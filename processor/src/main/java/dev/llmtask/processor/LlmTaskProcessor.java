package dev.llmtask.processor;

import com.google.auto.service.AutoService;
import dev.llmtask.processor.check.CheckedInterface;
import dev.llmtask.processor.check.RouteChecker;
import dev.llmtask.processor.check.TaskChecker;
import dev.llmtask.processor.diagnostic.Problem;
import dev.llmtask.processor.diagnostic.Read;
import dev.llmtask.processor.diagnostic.Reporter;
import dev.llmtask.processor.model.Annotations;
import dev.llmtask.processor.model.ModelReader;
import dev.llmtask.processor.model.Names;
import dev.llmtask.processor.model.TaskInterfaceModel;
import dev.llmtask.processor.model.TaskRoutes;
import dev.llmtask.processor.tool.TaskTools;
import dev.llmtask.processor.tool.ToolReader;
import dev.llmtask.processor.tool.ToolsModel;
import dev.llmtask.processor.tool.ToolsWriter;
import dev.llmtask.processor.write.ClientIndexWriter;
import dev.llmtask.processor.write.ImplementationWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;

/**
 * The llmtask annotation processor: for every {@code @LlmTask} interface it reads a model, checks it
 * (every problem is a compile error on the offending element) and writes {@code <Interface>_LlmTask}.
 * Each interface is processed on its own: an error in one does not stop the others. The reader and the
 * checker return their problems; they are printed in one place, the {@link Reporter}. Beside each
 * implementation it writes the interface's entry in the index of generated clients
 * ({@code META-INF/llmtask/clients/<interface>}) that the container integrations read.
 */
@AutoService(Processor.class)
public final class LlmTaskProcessor extends AbstractProcessor {
  private final Set<String> processed = new HashSet<>();
  private final Set<String> deferred = new LinkedHashSet<>();
  /** The top-level types compiled from source in this compilation, over all rounds so far. */
  private final Set<String> sourceTypes = new HashSet<>();

  private ModelReader reader;
  private Reporter reporter;
  private TaskChecker checker;
  private RouteChecker routeChecker;
  private ImplementationWriter writer;
  private ClientIndexWriter index;
  private Annotations annotations;
  private ToolReader toolReader;
  private TaskTools taskTools;
  private ToolsWriter toolsWriter;
  /** The tools interfaces whose {@code _LlmTools} was written (or reported), over all rounds. */
  private final Set<String> processedTools = new HashSet<>();
  /** Tools interfaces with a type not resolvable yet: read again next round. */
  private final Set<String> deferredTools = new LinkedHashSet<>();

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    reader = new ModelReader(env, this::fromSource);
    reporter = new Reporter(env);
    checker = new TaskChecker(env);
    writer = new ImplementationWriter(env);
    index = new ClientIndexWriter(env.getElementUtils());
    annotations = reader.annotations();
    routeChecker = new RouteChecker(annotations);
    toolReader = new ToolReader(env, annotations, this::fromSource);
    taskTools = new TaskTools(annotations, toolReader);
    toolsWriter = new ToolsWriter(env);
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(Names.LLM_TASK, Names.TOOL);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> ignored, RoundEnvironment round) {
    TypeElement llmTask = processingEnv.getElementUtils().getTypeElement(Names.LLM_TASK);
    if (llmTask == null) {
      return false;
    }
    for (Element root : round.getRootElements()) {
      if (root instanceof TypeElement t) {
        sourceTypes.add(t.getQualifiedName().toString());
      }
    }
    writeTools(round);
    Set<TypeElement> interfaces = new LinkedHashSet<>();
    for (String name : deferred) {
      TypeElement t = processingEnv.getElementUtils().getTypeElement(name);
      if (t != null) {
        interfaces.add(t);
      }
    }
    deferred.clear();
    for (Element e : round.getElementsAnnotatedWith(llmTask)) {
      collect(e, interfaces);
    }
    for (TypeElement iface : interfaces) {
      String name = iface.getQualifiedName().toString();
      if (processed.contains(name)) {
        continue;
      }
      try {
        Read<TaskInterfaceModel> read = reader.read(iface);
        TaskInterfaceModel model = read.value();
        if (model.hasErrorTypes()) {
          // A type is not resolvable yet (perhaps generated later). Retry next round; javac itself
          // reports types that never appear.
          if (!round.processingOver()) {
            deferred.add(name);
          }
          continue;
        }
        processed.add(name);
        Read<CheckedInterface> checked = checker.check(read);
        Read<Map<String, TaskRoutes>> routes = routeChecker.check(model);
        List<Problem> problems = new ArrayList<>(checked.problems());
        problems.addAll(routes.problems());
        List<Problem> toolProblems = taskTools.check(model);
        problems.addAll(toolProblems);
        reporter.report(problems);
        if (checked.value() != null && routes.value() != null && toolProblems.isEmpty()) {
          writer.write(checked.value(), routes.value()).writeTo(processingEnv.getFiler());
          index.write(model, processingEnv.getFiler());
        }
      } catch (IOException e) {
        reporter.report(List.of(Problem.error("llmtask could not write " + name + "_LlmTask: " + e.getMessage(),
            iface)));
      } catch (RuntimeException e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        reporter.report(List.of(Problem.error("llmtask processor failed on " + name + "; please report this bug:\n"
            + trace, iface)));
      }
    }
    return false;
  }

  /** Writes {@code <Interface>_LlmTools} for every type with {@code @Tool} methods in this round, or reports their problems. */
  private void writeTools(RoundEnvironment round) {
    TypeElement tool = processingEnv.getElementUtils().getTypeElement(Names.TOOL);
    if (tool == null) {
      return;
    }
    Set<TypeElement> owners = new LinkedHashSet<>();
    for (String name : deferredTools) {
      TypeElement t = processingEnv.getElementUtils().getTypeElement(name);
      if (t != null) {
        owners.add(t);
      }
    }
    deferredTools.clear();
    for (Element e : round.getElementsAnnotatedWith(tool)) {
      if (e.getEnclosingElement() instanceof TypeElement owner) {
        owners.add(owner);
      }
    }
    for (TypeElement owner : owners) {
      String name = owner.getQualifiedName().toString();
      if (processedTools.contains(name)) {
        continue;
      }
      Read<ToolsModel> read = toolReader.read(owner);
      if (read.value().hasErrorTypes() && !round.processingOver()) {
        deferredTools.add(name); // a type is not resolvable yet (perhaps generated later); javac reports those that never appear
        continue;
      }
      processedTools.add(name);
      reporter.report(read.problems());
      if (read.problems().stream().noneMatch(Problem::isError)) {
        try {
          toolsWriter.write(read.value(), processingEnv.getElementUtils().getPackageOf(owner).getQualifiedName()
              .toString()).writeTo(processingEnv.getFiler());
        } catch (IOException e) {
          reporter.report(List.of(Problem.error("llmtask could not write " + ToolsModel.generatedSimpleName(owner)
              + ": " + e.getMessage(), owner)));
        }
      }
    }
  }

  /** Adds the task interface that {@code e} belongs to, or reports {@code @LlmTask} in the wrong place. */
  private void collect(Element e, Set<TypeElement> interfaces) {
    AnnotationMirror mirror = annotations.find(e, Names.LLM_TASK).orElse(null);
    if (e.getKind() == ElementKind.INTERFACE) {
      interfaces.add((TypeElement) e);
    } else if (e instanceof TypeElement t) {
      String kind = switch (e.getKind()) {
        case ANNOTATION_TYPE -> "an annotation type";
        case ENUM -> "an enum";
        default -> "a " + e.getKind().name().toLowerCase(Locale.ROOT);
      };
      reporter.report(List.of(Problem.error("@LlmTask goes on an interface, not on " + kind + "; declare `public "
          + "interface " + t.getSimpleName() + " { … }` with abstract task methods, and the processor generates "
          + ModelReader.generatedSimpleName(t) + " to implement it", e, mirror, null)));
    } else if (e.getKind() == ElementKind.METHOD) {
      Element owner = e.getEnclosingElement();
      if (owner.getKind() == ElementKind.INTERFACE) {
        interfaces.add((TypeElement) owner);
      } else if (!annotations.has(owner, Names.LLM_TASK)) {
        reporter.report(List.of(Problem.error("@LlmTask goes on a method of an interface, not of a "
            + owner.getKind().name().toLowerCase(Locale.ROOT) + "; move '" + e.getSimpleName()
            + "' into an interface as an abstract method", e, mirror, null)));
      }
    }
  }

  /** Whether {@code e} belongs to a type compiled from source in this compilation (not read from a class file). */
  private boolean fromSource(Element e) {
    Element top = e;
    while (top.getEnclosingElement() != null && !(top.getEnclosingElement() instanceof PackageElement)) {
      top = top.getEnclosingElement();
    }
    return top instanceof TypeElement t && sourceTypes.contains(t.getQualifiedName().toString());
  }
}
