package dev.llmtask.jobs;

import dev.llmtask.CallStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * A job as {@link LlmJobs#status} reads it from the database. Holds no input and no result: only
 * identifiers, counts and statuses.
 *
 * @param id the job
 * @param type its {@link JobType#name()}
 * @param state where it stands
 * @param attempts runs started so far (a run revived after its instance died counts as a new one)
 * @param progress the last progress its current or last run reported, or {@code null}
 * @param callStatus the {@link CallStatus} of the last failed task call, or {@code null}: for a
 *     {@link JobState#FAILED} job, the status it failed with; for a {@link JobState#QUEUED} one,
 *     the retryable status of the attempt before
 * @param failure the last failure, {@code null} if none: the {@code CallStatus} name, or the class
 *     name of the exception the job threw (never its message)
 * @param submittedAt when it was submitted (database clock)
 * @param finishedAt when it succeeded or failed, or {@code null}
 */
public record JobStatus(JobId id, String type, JobState state, int attempts, JobProgress progress, CallStatus callStatus,
    String failure, Instant submittedAt, Instant finishedAt) {

  /** The last reported progress, if the job reports any. */
  public Optional<JobProgress> lastProgress() {
    return Optional.ofNullable(progress);
  }

  /** True once the job {@link JobState#SUCCEEDED succeeded} or {@link JobState#FAILED failed}. */
  public boolean finished() {
    return state.finished();
  }
}
