package dev.llmtask.codegen;

import dev.llmtask.CallOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One call of a task method as the generated code sees it: the rendered prompts, the special
 * parameters and the business checks bound to this call's arguments. Not thread-safe; built and
 * used by one call.
 */
public final class Invocation<T> {
  private String systemPrompt;
  private final String userPrompt;
  private String traceId;
  private String idempotencyKey;
  private String tenant;
  private CallOptions options = CallOptions.none();
  private List<NamedCheck<T>> checks = List.of();

  private Invocation(String systemPrompt, String userPrompt) {
    this.systemPrompt = systemPrompt;
    this.userPrompt = Objects.requireNonNull(userPrompt, "userPrompt");
  }

  /** A call with an optional system prompt ({@code null} when the task has none) and a user prompt. */
  public static <T> Invocation<T> of(String systemPrompt, String userPrompt) {
    return new Invocation<>(systemPrompt, userPrompt);
  }

  /** A call with this user prompt and, unless {@link #system} is given, no system prompt. */
  public static <T> Invocation<T> user(String userPrompt) {
    return new Invocation<>(null, userPrompt);
  }

  /** Sets the system prompt. */
  public Invocation<T> system(String systemPrompt) {
    this.systemPrompt = Objects.requireNonNull(systemPrompt, "systemPrompt");
    return this;
  }

  public Invocation<T> traceId(String traceId) {
    this.traceId = traceId;
    return this;
  }

  public Invocation<T> idempotencyKey(String idempotencyKey) {
    this.idempotencyKey = idempotencyKey;
    return this;
  }

  /**
   * The value of the {@code @Tenant} parameter: {@code null} for none. A tenant in {@link #options} wins.
   *
   * @throws IllegalArgumentException when blank
   */
  public Invocation<T> tenant(String tenant) {
    if (tenant != null && tenant.isBlank()) {
      throw new IllegalArgumentException("the @Tenant parameter is blank: pass a tenant id, or null for a call"
          + " without a tenant");
    }
    this.tenant = tenant;
    return this;
  }

  public Invocation<T> options(CallOptions options) {
    this.options = options == null ? CallOptions.none() : options;
    return this;
  }

  /** Adds a {@code @Check} method, bound to this call's arguments. */
  public Invocation<T> check(String name, OutputCheck<T> check) {
    if (checks.isEmpty()) {
      checks = new ArrayList<>(2);
    }
    checks.add(new NamedCheck<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check")));
    return this;
  }

  public String systemPrompt() {
    return systemPrompt;
  }

  public String userPrompt() {
    return userPrompt;
  }

  public String traceId() {
    return traceId;
  }

  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** The tenant of the {@code @Tenant} parameter, or {@code null}; {@link CallOptions#tenant()} wins over it. */
  public String tenant() {
    return tenant;
  }

  public CallOptions options() {
    return options;
  }

  public List<NamedCheck<T>> checks() {
    return Collections.unmodifiableList(checks);
  }

  /** A {@code @Check} method and its name (the method name), for violation messages. */
  public record NamedCheck<T>(String name, OutputCheck<T> check) {}
}
