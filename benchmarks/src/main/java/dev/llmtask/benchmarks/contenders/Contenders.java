package dev.llmtask.benchmarks.contenders;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/** The contenders by short id, as the loopback run orders them and the start-up run names them on its command line. */
public final class Contenders {
  public static final String RAW = "raw";
  public static final String BASELINE = "baseline";
  public static final String LLMTASK = "llmtask";
  public static final String LLMTASK_ASYNC = "llmtask-async";
  public static final String LLMTASK_ASYNC_HTTPCLIENT5 = "llmtask-async-httpclient5";
  public static final String LANGCHAIN4J = "langchain4j";

  /** Every id, the stub-cost floor first and the baseline second. */
  public static final List<String> ALL = List.of(RAW, BASELINE, LLMTASK, LLMTASK_ASYNC, LLMTASK_ASYNC_HTTPCLIENT5, LANGCHAIN4J);

  private Contenders() {}

  /** A new contender of kind {@code id} calling the OpenAI-shaped server at {@code baseUrl}. */
  public static Contender create(String id, URI baseUrl) throws IOException {
    return switch (id) {
      case RAW -> new RawHttpClient(baseUrl);
      case BASELINE -> new HandWrittenClient(baseUrl);
      case LLMTASK -> LlmtaskClient.openAi(baseUrl, false);
      case LLMTASK_ASYNC -> LlmtaskClient.openAi(baseUrl, true);
      case LLMTASK_ASYNC_HTTPCLIENT5 -> LlmtaskClient.openAiOnApacheTransport(baseUrl);
      case LANGCHAIN4J -> LangChain4jClient.openAi(baseUrl);
      default -> throw new IllegalArgumentException("unknown contender '" + id + "'; one of " + ALL);
    };
  }
}
