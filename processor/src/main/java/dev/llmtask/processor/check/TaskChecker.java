package dev.llmtask.processor.check;

import dev.llmtask.processor.diagnostic.Read;
import dev.llmtask.processor.diagnostic.Report;
import dev.llmtask.processor.model.Annotations;
import dev.llmtask.processor.model.CheckBinder;
import dev.llmtask.processor.model.TaskInterfaceModel;
import dev.llmtask.processor.model.TaskMethodModel;
import dev.llmtask.processor.schema.SchemaLimits;
import dev.llmtask.processor.schema.TaskSchemas;
import java.util.HashMap;
import java.util.Map;
import javax.annotation.processing.ProcessingEnvironment;

/**
 * Checks a {@link TaskInterfaceModel}: runs every check (interface, task names, each task method, its
 * prompts, its answer's schema limits, the {@code @Check} methods) and returns all their problems, not just
 * the first, with the interface ready to write when there is no error.
 */
public final class TaskChecker {
  private final InterfaceChecks interfaceChecks;
  private final TaskNameChecks nameChecks = new TaskNameChecks();
  private final TaskMethodChecks methodChecks = new TaskMethodChecks();
  private final PromptChecks promptChecks;
  private final CheckMethodChecks checkMethodChecks;
  private final CheckBinder binder;
  private final CacheChecks cacheChecks;
  private final PromptCachePrefixCheck promptCachePrefix = new PromptCachePrefixCheck();

  public TaskChecker(ProcessingEnvironment env) {
    Annotations annotations = new Annotations(env.getElementUtils());
    this.interfaceChecks = new InterfaceChecks(env.getElementUtils(), annotations);
    this.promptChecks = new PromptChecks(new PromptValues(env.getTypeUtils(), env.getElementUtils()));
    this.binder = new CheckBinder(env.getTypeUtils());
    this.checkMethodChecks = new CheckMethodChecks(env.getTypeUtils(), binder);
    this.cacheChecks = new CacheChecks(annotations);
  }

  /**
   * Checks the interface {@code read}; the problems are the reader's followed by the checks', and the value is
   * the interface with its checks bound and its schemas built when there is no error, otherwise null.
   */
  public Read<CheckedInterface> check(Read<TaskInterfaceModel> read) {
    TaskInterfaceModel model = read.value();
    Report report = new Report().addAll(read.problems());
    interfaceChecks.check(model, report);
    nameChecks.check(model, report);
    Map<String, TaskSchemas> schemas = new HashMap<>();
    for (TaskMethodModel task : model.tasks()) {
      methodChecks.check(task, report);
      promptChecks.check(task, report);
      cacheChecks.check(task, report);
      promptCachePrefix.check(task, report);
      if (task.output() != null) {
        // built once: the limits count this tree and the writer emits it
        TaskSchemas built = TaskSchemas.of(task.output());
        schemas.put(task.methodName(), built);
        if (model.dialects().contains("OPENAI")) { // the Anthropic input_schema has no published limits
          report.addAll(SchemaLimits.problems(built, task.element()));
        }
      }
    }
    checkMethodChecks.check(model, report);
    CheckedInterface checked = report.hasErrors() ? null
        : new CheckedInterface(model, binder.bind(model), schemas);
    return new Read<>(checked, report.problems());
  }
}
