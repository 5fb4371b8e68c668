package dev.llmtask;

/**
 * How one call uses the response cache of a cached task (see {@link Cached}); set it with
 * {@link CallOptions.Builder#cache(CacheMode)}. The record's {@code cache} attribute says what happened.
 */
public enum CacheMode {
  /** Serve a stored answer, else ask the model and store its validated answer (the default). */
  USE,
  /** Neither read nor store: the call asks the model ({@code cache=bypassed}). */
  BYPASS,
  /** Skip the read, ask the model and store its validated answer over the old one ({@code cache=refreshed}). */
  REFRESH,
  /** Serve a stored answer, else ask the model but store nothing ({@code cache=miss}). */
  NO_STORE
}
