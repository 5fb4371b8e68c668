package dev.llmtask.jobs;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id of a background job, given by {@link LlmJobs#submit} at once. It is also the job's
 * idempotency key ({@link JobContext#idempotencyKey()}): store it, and poll or fetch by it from any
 * instance.
 *
 * @param value {@code job_} and 32 hex digits, e.g. {@code job_3f2a…}
 */
public record JobId(String value) {
  private static final Pattern FORMAT = Pattern.compile("job_[0-9a-f]{32}");

  /** @throws IllegalArgumentException when {@code value} is not an id that {@link LlmJobs#submit} gives */
  public JobId {
    Objects.requireNonNull(value, "value");
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("A job id is job_ and 32 hex digits, as LlmJobs.submit returns it"
          + " (use JobId.of(String) on the stored value)");
    }
  }

  /** The id written as {@link #value()}, e.g. read back from your own table. */
  public static JobId of(String value) {
    return new JobId(value);
  }

  static JobId random() {
    return new JobId("job_" + UUID.randomUUID().toString().replace("-", ""));
  }

  @Override
  public String toString() {
    return value;
  }
}
