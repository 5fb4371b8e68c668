package dev.llmtask.action;

/** The {@link ActionStore} could not be read or written, e.g. the database was unreachable. */
public final class ActionStoreException extends RuntimeException {
  ActionStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
