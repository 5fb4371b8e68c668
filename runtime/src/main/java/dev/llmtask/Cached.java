package dev.llmtask;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Answers of this task may be served from the runtime's response cache for {@link #ttl()}: a call
 * whose task, prompt version, output schema, route, sampling settings and rendered prompts equal an
 * earlier call's gets that call's validated answer without asking the model. On the interface it
 * applies to every method; on a method it overrides the interface's.
 *
 * <pre>{@code
 * @LlmTask(promptVersion = "country_code@1", model = "gpt-4o-mini")
 * public interface Lookup {
 *   @Cached(ttl = "24h")
 *   @UserPrompt("The ISO 3166 alpha-2 code of {{country}}")
 *   CountryCode code(String country);
 * }
 * }</pre>
 *
 * <p>Nothing is cached unless the runtime has a store ({@code LlmRuntime.Builder.responseCache(…)}).
 * Runtime configuration per task ({@link CallOptions.Builder#cacheTtl(java.time.Duration)} through
 * {@code taskOptions}) wins over this annotation; a call's {@link CallOptions.Builder#cache(CacheMode)}
 * can bypass, refresh or skip storing. Streamed calls are never served from the cache. Cache only
 * answers that depend on the prompt alone: not user-specific, time-sensitive or creative ones.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Cached {

  /** How long a stored answer is served, as duration text: {@code "90s"}, {@code "10m"}, {@code "24h"}. */
  String ttl();
}
