package dev.llmtask.benchmarks.rotation;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one call every contender makes (the support console's rotation question for {@code acct_10234}),
 * the answer the stub gives, and the value every contender must decode from it.
 */
public final class Scenario {
  public static final String MODEL = "gpt-4o-mini";

  /** System prompt template; llmtask and LangChain4j both write placeholders as {@code {{name}}}. */
  public static final String SYSTEM_TEMPLATE = """
      You are the support assistant of the product Luna. Decide only from the policy lines below and \
      cite the ids of the lines you used. If the policy does not say, answer not_specified.
      Policy:
      {{policy}}""";

  /** User prompt template. */
  public static final String USER_TEMPLATE = """
      Account {{accountId}}: credential age {{credentialAgeDays}} days, key stale: {{keyStale}}.
      {{question}}""";

  public static final String QUESTION = "Can I rotate the stale service-account key?";
  public static final String ACCOUNT_ID = "acct_10234";
  public static final int CREDENTIAL_AGE_DAYS = 12;
  public static final boolean KEY_STALE = true;
  public static final String POLICY = """
      P-5: Keys in active use are never rotated automatically.
      P-7: Stale service-account keys must rotate within a 30-day window.
      P-9: Rotation requests are logged with the account id.""";
  public static final String TRACE_ID = "trace_acct_10234_01";

  /**
   * The strict OpenAI schema llmtask generates for {@link RotationDecision}; the hand-written client
   * sends the same text so that both requests are byte-for-byte alike in size.
   */
  public static final String OPENAI_SCHEMA = "{\"type\":\"object\",\"properties\":{\"decision\":{\"type\":\"string\","
      + "\"enum\":[\"eligible\",\"not_eligible\",\"not_specified\"]},\"rotation_window_days\":{\"type\":\"integer\","
      + "\"minimum\":0,\"maximum\":365},\"source_line_ids\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
      + "\"minItems\":1}},\"required\":[\"decision\",\"rotation_window_days\",\"source_line_ids\"],"
      + "\"additionalProperties\":false}";

  /** The model's answer text, i.e. {@code choices[0].message.content}. */
  public static final String ANSWER = "{\"decision\":\"eligible\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}";

  /** What every contender must return. */
  public static final RotationDecision EXPECTED = new RotationDecision(Decision.ELIGIBLE, 30, List.of("P-7"));

  /** A complete OpenAI {@code chat.completion} carrying {@link #ANSWER}, about 1 KB, as the real API sends it. */
  public static final byte[] COMPLETION_BODY = ("{\"id\":\"chatcmpl-BENCH7r0tat10nDec1s10n4cct10234\","
      + "\"object\":\"chat.completion\",\"created\":1767225600,\"model\":\"gpt-4o-mini-2024-07-18\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
      + quoted(ANSWER) + ",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":250,\"completion_tokens\":80,\"total_tokens\":330,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
      + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
      + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
      + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_7f4bd2a1c9\"}").getBytes(StandardCharsets.UTF_8);

  private Scenario() {}

  /** The system prompt as every contender renders it. */
  public static String systemPrompt() {
    return SYSTEM_TEMPLATE.replace("{{policy}}", POLICY);
  }

  /** The user prompt as every contender renders it. */
  public static String userPrompt() {
    return USER_TEMPLATE.replace("{{accountId}}", ACCOUNT_ID)
        .replace("{{credentialAgeDays}}", String.valueOf(CREDENTIAL_AGE_DAYS))
        .replace("{{keyStale}}", String.valueOf(KEY_STALE))
        .replace("{{question}}", QUESTION);
  }

  private static String quoted(String json) {
    return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
