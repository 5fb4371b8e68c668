package dev.llmtask.examples.rotation;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the service that schedules key rotations: it creates a job on every call, takes a
 * while to answer, and counts what it created, so the example can show that an idempotent act step
 * creates one job however often it is retried.
 */
public final class RotationJobs {

  /** What the act step asks for; its JSON is the request the idempotency key is bound to. */
  public record JobRequest(@NotBlank String accountId, @Min(1) @Max(365) int rotationWindowDays,
      @NotEmpty List<@NotBlank String> sourceLineIds) {
    /** The request for the rotation that {@code decision} allows. */
    public static JobRequest of(String accountId, RotationDecision decision) {
      return new JobRequest(accountId, decision.rotationWindowDays(), decision.sourceLineIds());
    }
  }

  /** A scheduled rotation. */
  public record RotationJob(String id, String accountId, int rotationWindowDays) {}

  private final Duration latency;
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger reserved = new AtomicInteger();
  private final Map<String, RotationJob> jobs = new ConcurrentHashMap<>();

  /** A service that needs {@code latency} to create a job. */
  public RotationJobs(Duration latency) {
    this.latency = latency;
  }

  /** Creates a new job, {@code job_<account>_<nnn>}, every time it is called. */
  public RotationJob create(JobRequest request) throws InterruptedException {
    return create(reserveId(request), request);
  }

  /** A fresh job id, {@code job_<account>_<nnn>}, without creating the job yet. */
  public String reserveId(JobRequest request) {
    return String.format("job_%s_%03d", request.accountId(), reserved.incrementAndGet());
  }

  /** Creates the job with a reserved id; creating the same id again returns the existing job. */
  public RotationJob create(String id, JobRequest request) throws InterruptedException {
    Thread.sleep(latency.toMillis());
    return jobs.computeIfAbsent(id, k -> {
      created.incrementAndGet();
      return new RotationJob(id, request.accountId(), request.rotationWindowDays());
    });
  }

  /** The job with this id, if it was created. */
  public Optional<RotationJob> find(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** How many jobs this service created. */
  public int created() {
    return created.get();
  }
}
