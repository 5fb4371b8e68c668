package dev.llmtask.tool;

import dev.llmtask.action.IdempotentActions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tools a runtime can run: an implementation of each tools interface, the store that makes
 * actions run once, the authorizer of actions and the cap on tool rounds. Given to
 * {@link dev.llmtask.LlmRuntime.Builder#tools(Toolbox)}. Creating a task whose tools interface has
 * no implementation here, or whose tools include an action while no {@link #actions()} or
 * {@link #authorizer()} is set, fails at {@code LlmTasks.create}, naming what is missing.
 */
public final class Toolbox {
  /** The default cap on tool rounds per model answer. */
  public static final int DEFAULT_MAX_ROUNDS = 8;

  private final Map<Class<?>, Object> implementations;
  private final IdempotentActions actions;
  private final ToolAuthorizer authorizer;
  private final int maxRounds;

  private Toolbox(Builder b) {
    this.implementations = Map.copyOf(b.implementations);
    this.actions = b.actions;
    this.authorizer = b.authorizer;
    this.maxRounds = b.maxRounds;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The implementation of {@code toolsInterface}, or {@code null}. */
  public Object implementation(Class<?> toolsInterface) {
    return implementations.get(toolsInterface);
  }

  /** The idempotency boundary of actions, or {@code null} when none is set. */
  public IdempotentActions actions() {
    return actions;
  }

  /** The authorizer of actions, or {@code null} when none is set. */
  public ToolAuthorizer authorizer() {
    return authorizer;
  }

  /** The most tool rounds (model turns that asked for tools) a call may take before its answer. */
  public int maxRounds() {
    return maxRounds;
  }

  @Override
  public String toString() {
    return "Toolbox[tools=" + implementations.keySet().stream().map(Class::getSimpleName).sorted().toList()
        + ", actions=" + (actions != null) + ", authorizer=" + (authorizer != null) + ", maxRounds=" + maxRounds + "]";
  }

  /** Builder of {@link Toolbox}. */
  public static final class Builder {
    private final Map<Class<?>, Object> implementations = new LinkedHashMap<>();
    private IdempotentActions actions;
    private ToolAuthorizer authorizer;
    private int maxRounds = DEFAULT_MAX_ROUNDS;

    private Builder() {}

    /** The implementation of the tools interface {@code toolsInterface} (one with {@link Tool} methods). */
    public <T> Builder add(Class<T> toolsInterface, T implementation) {
      Objects.requireNonNull(toolsInterface, "toolsInterface");
      Objects.requireNonNull(implementation, "implementation");
      if (!toolsInterface.isInterface()) {
        throw new IllegalArgumentException(toolsInterface.getName() + " is not an interface: tools are declared"
            + " as @Tool methods of an interface; pass that interface");
      }
      if (implementations.putIfAbsent(toolsInterface, implementation) != null) {
        throw new IllegalArgumentException(toolsInterface.getName() + " was added twice: add one implementation");
      }
      return this;
    }

    /** Runs actions through {@code actions}, so each runs once per call key (required when a task may call an action). */
    public Builder actions(IdempotentActions actions) {
      this.actions = Objects.requireNonNull(actions, "actions");
      return this;
    }

    /** Decides before each action whether it may run (required when a task may call an action). */
    public Builder authorizer(ToolAuthorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
      return this;
    }

    /**
     * The most model turns of one call that may ask for tools (default {@value #DEFAULT_MAX_ROUNDS});
     * a model still asking after them ends the call {@code INVALID_OUTPUT} with the reason
     * {@code tool rounds exceeded}.
     */
    public Builder maxRounds(int maxRounds) {
      if (maxRounds < 1) {
        throw new IllegalArgumentException("maxRounds must be at least 1, got " + maxRounds);
      }
      this.maxRounds = maxRounds;
      return this;
    }

    public Toolbox build() {
      return new Toolbox(this);
    }
  }
}
