package dev.llmtask.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.llmtask.CallRecord;
import dev.llmtask.CallRecord.ToolOutcome;
import dev.llmtask.action.ActionInProgressException;
import dev.llmtask.action.ActionOutcome;
import dev.llmtask.action.IdempotentActions;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.codegen.ToolSet;
import dev.llmtask.codegen.ToolSpec;
import dev.llmtask.internal.pipeline.OutputValidator.Verdict;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest.ToolDefinition;
import dev.llmtask.provider.ModelRequest.ToolResult;
import dev.llmtask.provider.ModelRequest.ToolTurn;
import dev.llmtask.tool.ToolAuthorizer;
import dev.llmtask.tool.ToolAuthorizer.ActionRequest;
import dev.llmtask.tool.ToolAuthorizer.Decision;
import dev.llmtask.tool.Toolbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tools of a runtime's tasks: checks at wiring time that each task's tools can run, and runs the
 * tool calls of one model turn. Arguments are decoded and validated (Bean Validation) before a tool
 * runs, and invalid ones go back to the model as the tool's error. An action is authorized, then run
 * through {@link IdempotentActions} keyed by the call's idempotency key, the tool and its canonical
 * arguments, so a retried, re-asked or fallen-back call gets the stored result instead of a second
 * side effect. Nothing a tool receives or answers is logged or recorded: only its name and outcome.
 */
final class ToolRounds {
  /** Canonical JSON: records and maps as plain maps, every object's keys sorted. */
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module());
  private static final ObjectMapper CANONICAL = JSON.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final Toolbox toolbox;
  private final OutputValidator validator;
  private final Map<TaskSpec<?>, Bound> bound = new ConcurrentHashMap<>();

  ToolRounds(Toolbox toolbox, OutputValidator validator) {
    this.toolbox = toolbox;
    this.validator = validator;
  }

  /** One tool with the implementation it runs on. */
  private record BoundTool(ToolSpec<Object, Object> spec, Object implementation) {}

  /** A task's tools by name, and their definitions for the request. */
  private record Bound(Map<String, BoundTool> tools, List<ToolDefinition> definitions) {}

  /**
   * Checks that every tools interface of {@code spec} has an implementation, and that actions have a
   * store and an authorizer.
   *
   * @throws IllegalStateException naming the task, the tools interface and what to configure
   */
  void check(TaskSpec<?> spec) {
    bind(spec);
  }

  /** The tools the model may call in {@code spec}'s calls; empty when it has none. */
  List<ToolDefinition> definitions(TaskSpec<?> spec) {
    return spec.tools().isEmpty() ? List.of() : bind(spec).definitions;
  }

  @SuppressWarnings("unchecked")
  private Bound bind(TaskSpec<?> spec) {
    Bound b = bound.get(spec);
    if (b != null) {
      return b;
    }
    Map<String, BoundTool> tools = new LinkedHashMap<>();
    List<ToolDefinition> definitions = new ArrayList<>();
    for (ToolSet<?> set : spec.tools()) {
      Object impl = toolbox == null ? null : toolbox.implementation(set.type());
      if (impl == null) {
        throw new IllegalStateException(spec.declaredBy() + " (task " + spec.name() + ") may use the tools of "
            + set.type().getName() + ", but the runtime has no implementation of it: add one with"
            + " LlmRuntime.builder().tools(Toolbox.builder().add(" + set.type().getSimpleName() + ".class, …).build())");
      }
      if (set.hasAction() && (toolbox.actions() == null || toolbox.authorizer() == null)) {
        throw new IllegalStateException(spec.declaredBy() + " (task " + spec.name() + ") may call the actions of "
            + set.type().getName() + ": set " + (toolbox.actions() == null ? "Toolbox.builder().actions(IdempotentActions…)"
            + " so each action runs once per key" + (toolbox.authorizer() == null ? ", and " : "") : "")
            + (toolbox.authorizer() == null ? "Toolbox.builder().authorizer(…) to decide which actions may run"
            + " (ToolAuthorizer.allowAll() allows every one)" : ""));
      }
      for (ToolSpec<?, ?> tool : set.tools()) {
        if (tools.putIfAbsent(tool.name(), new BoundTool((ToolSpec<Object, Object>) tool, impl)) != null) {
          throw new IllegalStateException(spec.declaredBy() + " (task " + spec.name() + "): two of its tools are named "
              + tool.name() + "; give one another @Tool(name = …)");
        }
        definitions.add(new ToolDefinition(tool.name(), tool.description(), tool.arguments()));
      }
    }
    b = new Bound(java.util.Collections.unmodifiableMap(tools), List.copyOf(definitions)); // in declaration order
    bound.put(spec, b);
    return b;
  }

  /** Runs the tool calls of {@code reply}, in order; the turn to add to the conversation. */
  ToolTurn run(CallState<?> state, ModelReply reply, int afterRepairs) {
    Bound b = bind(state.spec);
    List<ToolResult> results = new ArrayList<>(reply.toolCalls().size());
    for (ModelReply.ToolCall call : reply.toolCalls()) {
      results.add(runOne(state, b.tools.get(call.name()), call));
    }
    return new ToolTurn(afterRepairs, reply.toolCalls(), results);
  }

  private ToolResult runOne(CallState<?> state, BoundTool tool, ModelReply.ToolCall call) {
    long start = System.nanoTime();
    if (tool == null) {
      return done(state, start, call, "unknown", ToolOutcome.UNKNOWN_TOOL, false, false,
          "there is no tool named " + call.name() + "; call one of " + bind(state.spec).tools.keySet());
    }
    ToolSpec<Object, Object> spec = tool.spec;
    Object arguments = null;
    if (spec.decoder() != null) {
      Verdict<Object> verdict = validator.check(call.arguments(), spec.decoder(), List.of());
      if (!verdict.valid()) {
        return done(state, start, call, spec.name(), ToolOutcome.INVALID_ARGUMENTS, spec.action(), false,
            "invalid arguments, the tool did not run: " + verdict.feedback() + ". Call it again with arguments that"
                + " satisfy its schema.");
      }
      arguments = verdict.value();
    }
    Object args = arguments;
    if (!spec.action()) {
      try {
        return done(state, start, call, spec.name(), ToolOutcome.OK, false, false,
            JSON.writeValueAsString(spec.invoker().invoke(tool.implementation, args)));
      } catch (Exception e) {
        return failed(state, start, call, spec, e);
      }
    }
    String key = state.inv.idempotencyKey();
    if (key == null || key.isBlank()) {
      return done(state, start, call, spec.name(), ToolOutcome.NO_IDEMPOTENCY_KEY, true, false,
          "the action did not run: this call has no idempotency key");
    }
    Decision decision;
    try {
      decision = toolbox.authorizer().authorize(new ActionRequest(state.spec.name(), spec.name(), key,
          state.call.traceId(), args));
    } catch (RuntimeException e) {
      decision = Decision.deny("the authorization check failed");
    }
    if (decision == null || !decision.allowed()) {
      return done(state, start, call, spec.name(), ToolOutcome.NOT_AUTHORIZED, true, false,
          "not authorized, the action did not run: " + (decision == null ? "no decision" : decision.reason()));
    }
    try {
      ActionOutcome<JsonNode> outcome = toolbox.actions().once(spec.name(), actionKey(key, spec.name(), args),
          args == null ? Map.of() : args, JsonNode.class,
          () -> resultTree(spec.invoker().invoke(tool.implementation, args)));
      return done(state, start, call, spec.name(), ToolOutcome.OK, true, !outcome.created(),
          JSON.writeValueAsString(outcome.value()));
    } catch (ActionInProgressException e) {
      return done(state, start, call, spec.name(), ToolOutcome.IN_PROGRESS, true, false,
          "the action is already running in another call; its result is not known yet");
    } catch (Exception e) {
      return failed(state, start, call, spec, e);
    }
  }

  /** A tool's result as stored for replays; {@code null} as JSON {@code null}. */
  private static JsonNode resultTree(Object result) {
    JsonNode tree = JSON.valueToTree(result);
    return tree == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : tree;
  }

  /** The error the model sees names the exception's class only: its message may quote customer text. */
  private static ToolResult failed(CallState<?> state, long start, ModelReply.ToolCall call, ToolSpec<?, ?> spec,
      Exception e) {
    return done(state, start, call, spec.name(), ToolOutcome.FAILED, spec.action(), false,
        "the tool failed (" + e.getClass().getSimpleName() + ")");
  }

  private static ToolResult done(CallState<?> state, long start, ModelReply.ToolCall call, String tool,
      ToolOutcome outcome, boolean action, boolean replayed, String content) {
    state.toolCalled(new CallRecord.ToolCall(tool, outcome, (System.nanoTime() - start) / 1_000_000, action, replayed));
    return new ToolResult(call.id(), content, outcome != ToolOutcome.OK);
  }

  /**
   * The action's key: the call's key and a SHA-256 over the tool and its canonical arguments (sorted
   * keys), so the same call asking the same action with the same arguments claims the same entry.
   */
  static String actionKey(String callKey, String tool, Object arguments) {
    String canonical;
    try {
      canonical = arguments == null ? "{}" : CANONICAL.writeValueAsString(JSON.convertValue(arguments, Object.class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the arguments of " + tool + " cannot be written as JSON", e);
    }
    String args = sha256(tool + "\n" + canonical).substring(0, 32);
    String base = callKey.length() + 33 <= IdempotentActions.MAX_KEY_LENGTH ? callKey : sha256(callKey);
    return base + "#" + args;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
