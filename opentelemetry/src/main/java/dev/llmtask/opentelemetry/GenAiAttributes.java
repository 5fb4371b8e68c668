package dev.llmtask.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The attributes of the OpenTelemetry semantic conventions that {@link LlmTaskTracing} sets, copied
 * from the conventions for generative AI, <b>v1.41.1</b> ({@code gen-ai-spans.md}, status
 * Development), and from the general conventions ({@code error.type}, {@code http.response.status_code}).
 * They are copies because the {@code opentelemetry-semconv-incubating} artifact deprecates every
 * {@code gen_ai.*} constant since the conventions moved to the {@code semantic-conventions-genai}
 * repository; keeping them here makes a later rename a change of this file.
 */
public final class GenAiAttributes {
  private GenAiAttributes() {}

  /** The semantic-conventions release these names follow. */
  public static final String SEMCONV_VERSION = "1.41.1";

  /** The operation: always {@value #OPERATION_CHAT} for llmtask's provider attempts. */
  public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  /** The value of {@link #OPERATION_NAME}: a chat completion (OpenAI) or a message (Anthropic). */
  public static final String OPERATION_CHAT = "chat";
  /** The provider, as registered with the runtime: {@code openai}, {@code anthropic}, or the name given to a further route. */
  public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  /** The model asked. */
  public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  /** The output token cap sent. */
  public static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  /** {@code true} on a streamed attempt (set only then). */
  public static final AttributeKey<Boolean> REQUEST_STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
  /** The output format requested: always {@code json}, since every task asks for a JSON Schema answer. */
  public static final AttributeKey<String> OUTPUT_TYPE = AttributeKey.stringKey("gen_ai.output.type");
  /** The id of the provider's response ({@code chatcmpl-…}, {@code msg_…}), when the provider sent one. */
  public static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  /** The model that answered, as the provider reported it, when it did. */
  public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  /** Why generation stopped: {@code stop}, {@code length}, {@code refusal} or {@code content_filter}. */
  public static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  /** Input tokens of the attempt, cached ones included (as the conventions require). */
  public static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  /** Output tokens of the attempt. */
  public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  /** Input tokens read from the provider's prompt cache (included in {@link #USAGE_INPUT_TOKENS}). */
  public static final AttributeKey<Long> USAGE_CACHE_READ_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  /**
   * Why the operation failed, a bounded value: the call status in lower snake case
   * ({@code rate_limited}, {@code provider_error}, …), {@code cancelled}, or the class name of an
   * unexpected exception. Never its message.
   */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  /** The HTTP status of a failed attempt's response, when there was one. */
  public static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
}
