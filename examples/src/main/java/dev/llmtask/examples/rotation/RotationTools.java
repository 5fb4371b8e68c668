package dev.llmtask.examples.rotation;

import dev.llmtask.examples.rotation.RotationJobs.JobRequest;
import dev.llmtask.examples.rotation.RotationJobs.RotationJob;
import dev.llmtask.tool.Tool;

/** What the rotation agent may do: create the rotation job (an action, so it runs once per key, after authorization). */
public interface RotationTools {

  @Tool(value = "Creates the rotation job of an account's stale key, within the window the policy allows.",
      action = true)
  RotationJob createRotationJob(JobRequest request) throws InterruptedException;
}
