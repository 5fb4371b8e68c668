package dev.llmtask.benchmarks.contenders;

import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTasks;
import dev.llmtask.RateCard;
import dev.llmtask.benchmarks.rotation.RotationDecision;
import dev.llmtask.httpclient5.ApacheAsyncTransport;
import dev.llmtask.benchmarks.rotation.RotationDesk;
import dev.llmtask.benchmarks.rotation.Scenario;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * llmtask as a user sets it up: the generated {@link RotationDesk} on a runtime with a provider, no
 * rate card and a no-op telemetry sink. Every call runs the whole pipeline: deadline, retry policy,
 * decode, Bean Validation, the {@code @Check} rule and one call record.
 */
public final class LlmtaskClient implements Contender {
  private final RotationDesk desk;
  private final boolean async;
  private final String name;

  private LlmtaskClient(LlmProvider provider, boolean async) {
    this(provider, async, 0, 0, async ? "llmtask, CompletableFuture method" : "llmtask, blocking method");
  }

  private LlmtaskClient(LlmProvider provider, boolean async, int callLinks, int exchangeLinks, String name) {
    LlmRuntime.Builder builder = LlmRuntime.builder()
        .provider(provider)
        .rateCard(RateCard.none())
        .telemetry(record -> { });
    for (int i = 0; i < callLinks; i++) {
      builder.intercept(chain -> chain.proceed(chain.call()));
    }
    for (int i = 0; i < exchangeLinks; i++) {
      builder.interceptExchanges(chain -> chain.proceed(chain.request()));
    }
    LlmRuntime runtime = builder.build();
    this.desk = LlmTasks.create(RotationDesk.class, runtime);
    this.async = async;
    this.name = name;
  }

  /** The OpenAI provider pointed at {@code baseUrl}; {@code async} picks the task method returning a future. */
  public static LlmtaskClient openAi(URI baseUrl, boolean async) {
    return new LlmtaskClient(OpenAiProvider.builder().baseUrl(baseUrl).apiKey(HttpClients.API_KEY).build(), async);
  }

  /**
   * The OpenAI provider pointed at {@code baseUrl}, its asynchronous exchanges on
   * {@code llmtask-httpclient5}'s transport (Apache HttpClient 5's I/O reactor); the task method
   * returning a future.
   */
  public static LlmtaskClient openAiOnApacheTransport(URI baseUrl) {
    return new LlmtaskClient(OpenAiProvider.builder().baseUrl(baseUrl).apiKey(HttpClients.API_KEY)
        .asyncTransport(ApacheAsyncTransport.builder().connectTimeout(HttpClients.CONNECT_TIMEOUT).build()).build(),
        true, 0, 0, "llmtask, CompletableFuture method, httpclient5 transport");
  }

  /** Any provider, e.g. one answering from memory. */
  public static LlmtaskClient with(LlmProvider provider) {
    return new LlmtaskClient(provider, false);
  }

  /** Any provider, with {@code callLinks} no-op call interceptors and {@code exchangeLinks} no-op exchange interceptors. */
  public static LlmtaskClient withNoOpLinks(LlmProvider provider, int callLinks, int exchangeLinks) {
    return new LlmtaskClient(provider, false, callLinks, exchangeLinks, "llmtask, blocking method");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean async() {
    return async;
  }

  @Override
  public RotationDecision call() {
    return async ? callAsync().join()
        : desk.decideRotation(Scenario.QUESTION, Scenario.ACCOUNT_ID, Scenario.CREDENTIAL_AGE_DAYS,
            Scenario.KEY_STALE, Scenario.POLICY, Scenario.TRACE_ID);
  }

  @Override
  public CompletableFuture<RotationDecision> callAsync() {
    return desk.decideRotationAsync(Scenario.QUESTION, Scenario.ACCOUNT_ID, Scenario.CREDENTIAL_AGE_DAYS,
        Scenario.KEY_STALE, Scenario.POLICY, Scenario.TRACE_ID);
  }
}
