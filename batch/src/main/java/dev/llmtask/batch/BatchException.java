package dev.llmtask.batch;

/** A Batch API or store operation failed; the message names the operation and the status, never customer text. */
public class BatchException extends RuntimeException {
  public BatchException(String message) {
    super(message);
  }

  public BatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
