package dev.llmtask.processor.model;

import java.util.Locale;

/** Name conversions shared by the model and the writer. */
public final class Names {
  /** Annotation types the processor reads, by canonical name (no {@code Class} references needed). */
  public static final String LLM_TASK = "dev.llmtask.LlmTask";
  public static final String SYSTEM_PROMPT = "dev.llmtask.SystemPrompt";
  public static final String USER_PROMPT = "dev.llmtask.UserPrompt";
  public static final String TRACE_ID = "dev.llmtask.TraceId";
  public static final String IDEMPOTENCY_KEY = "dev.llmtask.IdempotencyKey";
  public static final String TENANT = "dev.llmtask.Tenant";
  public static final String CHECK = "dev.llmtask.Check";
  public static final String TOOL = "dev.llmtask.tool.Tool";
  public static final String CALL_OPTIONS = "dev.llmtask.CallOptions";
  public static final String LLM_RESULT = "dev.llmtask.LlmResult";
  public static final String LLM_STREAM = "dev.llmtask.LlmStream";
  public static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";
  public static final String JSON_PROPERTY = "com.fasterxml.jackson.annotation.JsonProperty";
  public static final String JSON_PROPERTY_DESCRIPTION = "com.fasterxml.jackson.annotation.JsonPropertyDescription";
  public static final String JSON_CLASS_DESCRIPTION = "com.fasterxml.jackson.annotation.JsonClassDescription";

  private Names() {}

  /** {@code decideRotation} → {@code decide_rotation}; {@code parseHTTPReply} → {@code parse_http_reply}. */
  public static String snakeCase(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 8);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean prevLowerOrDigit = i > 0 && (Character.isLowerCase(camel.charAt(i - 1)) || Character.isDigit(camel.charAt(i - 1)));
        boolean acronymEnd = i > 0 && Character.isUpperCase(camel.charAt(i - 1))
            && i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1));
        if ((prevLowerOrDigit || acronymEnd) && out.length() > 0 && out.charAt(out.length() - 1) != '_') {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code decideRotation} → {@code DECIDE_ROTATION}. */
  public static String constantCase(String camel) {
    return snakeCase(camel).toUpperCase(Locale.ROOT).replace('$', '_');
  }
}
