package dev.llmtask.examples.rotation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the service that schedules key rotations: it creates a job on every call, takes a
 * while to answer, and counts what it created, so the example can show that an idempotent act step
 * creates one job however often it is retried.
 */
public final class RotationJobs {

  /** What the act step asks for; its JSON is the request the idempotency key is bound to. */
  public record JobRequest(String accountId, int rotationWindowDays, List<String> sourceLineIds) {
    /** The request for the rotation that {@code decision} allows. */
    public static JobRequest of(String accountId, RotationDecision decision) {
      return new JobRequest(accountId, decision.rotationWindowDays(), decision.sourceLineIds());
    }
  }

  /** A scheduled rotation. */
  public record RotationJob(String id, String accountId, int rotationWindowDays) {}

  private final Duration latency;
  private final AtomicInteger created = new AtomicInteger();

  /** A service that needs {@code latency} to create a job. */
  public RotationJobs(Duration latency) {
    this.latency = latency;
  }

  /** Creates a new job, {@code job_<account>_<nnn>}, every time it is called. */
  public RotationJob create(JobRequest request) throws InterruptedException {
    Thread.sleep(latency.toMillis());
    int n = created.incrementAndGet();
    return new RotationJob(String.format("job_%s_%03d", request.accountId(), n), request.accountId(),
        request.rotationWindowDays());
  }

  /** How many jobs this service created. */
  public int created() {
    return created.get();
  }
}
