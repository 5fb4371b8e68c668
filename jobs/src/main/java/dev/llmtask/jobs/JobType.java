package dev.llmtask.jobs;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named kind of job: its input and result types and the function that runs it. Register the same
 * job types on every instance ({@link LlmJobs.Builder#register}): a job is stored with its type's
 * name and input as JSON, never as a captured lambda, so any instance that knows the name can run it.
 *
 * <pre>{@code
 * JobType<SummaryRequest, Summary> SUMMARISE = JobType.of("summarise_document", SummaryRequest.class,
 *     Summary.class, (request, job) -> summariser.summarise(request.text(), job.idempotencyKey()));
 * }</pre>
 *
 * @param <I> the input: a record (or other type) Jackson writes and reads back
 * @param <O> the result: likewise
 */
public final class JobType<I, O> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

  private final String name;
  private final Class<I> inputType;
  private final Class<O> resultType;
  private final JobFunction<I, O> function;

  private JobType(String name, Class<I> inputType, Class<O> resultType, JobFunction<I, O> function) {
    this.name = name;
    this.inputType = inputType;
    this.resultType = resultType;
    this.function = function;
  }

  /**
   * A job type.
   *
   * @param name unique among the job types: letters, digits and {@code _ . : -}, at most 100
   *     characters; keep it stable, queued jobs are found by it
   * @throws IllegalArgumentException on a bad name
   */
  public static <I, O> JobType<I, O> of(String name, Class<I> inputType, Class<O> resultType, JobFunction<I, O> function) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("A job type's name must be 1 to 100 letters, digits or _ . : -"
          + " (e.g. summarise_document)" + (name == null ? "; it is null" : ""));
    }
    return new JobType<>(name, Objects.requireNonNull(inputType, "inputType"),
        Objects.requireNonNull(resultType, "resultType"), Objects.requireNonNull(function, "function"));
  }

  public String name() {
    return name;
  }

  public Class<I> inputType() {
    return inputType;
  }

  public Class<O> resultType() {
    return resultType;
  }

  JobFunction<I, O> function() {
    return function;
  }

  @Override
  public String toString() {
    return "JobType[" + name + ": " + inputType.getSimpleName() + " -> " + resultType.getSimpleName() + "]";
  }
}
