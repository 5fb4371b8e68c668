package dev.llmtask.batch;

import java.util.Objects;
import java.util.function.Function;

/**
 * A kind of batch: many calls of one task method, one per input. {@code call} calls the method of a
 * client made by {@link dev.llmtask.LlmTasks#create}, exactly as a synchronous call would; the batch
 * module runs it only to capture the call (prompts, schema, model, sampling, {@code @Check} rules),
 * never to send it. Register the same jobs on every instance, so that any instance can reconcile a
 * batch another submitted.
 *
 * <pre>{@code
 * BatchJob<Ticket, Enrichment> enrich = BatchJob.of("ticket-enrichment", Ticket.class,
 *     ticket -> desk.enrich(ticket.subject(), ticket.body()));
 * }</pre>
 *
 * <p>The method must return the task's value type (not {@code LlmResult}, a future or a stream):
 * outcomes carry the decoded value.
 *
 * @param name the job's stable name, stored with each submission (1 to 64 of {@code [a-z0-9_.-]})
 * @param inputType the input's class, stored as JSON (Jackson) until the batch is reconciled
 * @param call calls one task method with the input and returns its value
 */
public record BatchJob<I, T>(String name, Class<I> inputType, Function<I, T> call) {
  public BatchJob {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(call, "call");
    if (!name.matches("[a-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("a batch job name is 1 to 64 of [a-z0-9_.-], e.g. ticket-enrichment; was '"
          + name + "'");
    }
  }

  public static <I, T> BatchJob<I, T> of(String name, Class<I> inputType, Function<I, T> call) {
    return new BatchJob<>(name, inputType, call);
  }
}
