package dev.llmtask.action;

import java.util.Optional;

/**
 * What a {@link ResumableActionBody} knows about its run, to make the action safe when a process
 * dies after its side effect and before its result is stored (the one window a claim cannot close).
 *
 * <pre>{@code
 * actions.once("create_rotation_job", key, request, RotationJob.class, ctx -> {
 *   if (ctx.takeover() && ctx.lastCheckpoint().isPresent()) {
 *     return jobs.find(ctx.lastCheckpoint().get());       // the dead run created it: do not create another
 *   }
 *   String id = jobs.newId(request);
 *   ctx.checkpoint(id);                                    // before the side effect: a takeover sees it
 *   return jobs.create(id, request, ctx.fencingToken());   // the service refuses writes with an older token
 * });
 * }</pre>
 */
public interface ActionContext {
  /** The longest checkpoint accepted, in characters. */
  int MAX_CHECKPOINT_LENGTH = 1000;

  /**
   * True when an earlier run of this key started and stored no outcome: its process died, or it
   * lost its lease, or it failed after recording a checkpoint. Its side effect may exist.
   */
  boolean takeover();

  /** Which run of this key this is: 1 for the first, 2 for the first takeover, and so on. */
  int attempt();

  /**
   * A number that grows with every claim of this key. Pass it to the system the action writes to
   * when it can refuse stale writers (as a fencing token): a process whose claim was taken over
   * holds a smaller token, and its late writes can be refused there. The store itself refuses them
   * already: a run that lost its claim cannot checkpoint or store an outcome.
   */
  long fencingToken();

  /** The last checkpoint recorded for this key, by this run or by the earlier run it takes over. */
  Optional<String> lastCheckpoint();

  /**
   * Records a checkpoint, e.g. {@code "job created: job_acct_10234_001"}, that a takeover sees in
   * {@link #lastCheckpoint()}. Write it before a side effect you can look up by it, or right after
   * one you cannot repeat. An identifier, not customer text: at most {@value #MAX_CHECKPOINT_LENGTH}
   * characters, kept with the entry, never logged.
   *
   * @throws ActionFailedException with {@link ActionFailedException.Reason#LEASE_LOST} when this run
   *     no longer holds the claim (another call took it over): stop, the other run owns the action
   * @throws ActionStoreException when the store cannot be written ({@link ActionStoreException.Step#CHECKPOINT})
   */
  void checkpoint(String checkpoint);
}
