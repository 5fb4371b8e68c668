package dev.llmtask.batch;

import dev.llmtask.LlmRuntime;
import dev.llmtask.provider.openai.OpenAiProvider;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The poller that {@link PollerKilledInChildJvmTest} kills: a process of its own that polls the
 * stored batches and, after {@code args[2]} item records, stops mid-reconciliation (it waits there
 * until it is killed), holding its lease.
 */
public final class KilledPollerMain {
  private KilledPollerMain() {}

  public static void main(String[] args) throws Exception {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(args[0]);
    int stopAfter = Integer.parseInt(args[2]);
    AtomicInteger items = new AtomicInteger();
    LlmRuntime runtime = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(URI.create(args[1])).apiKey(BatchFixture.KEY).build())
        .rateCard(BatchFixture.CARD)
        .telemetry(r -> {
          if (r.attributes().containsKey(LlmBatches.BATCH_ITEM_STATUS) && items.incrementAndGet() == stopAfter) {
            System.out.println("stuck mid-reconciliation");
            System.out.flush();
            try {
              Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        })
        .build();
    LlmBatches batches = LlmBatches.builder().runtime(runtime).dataSource(dataSource)
        .api(BatchApi.openAi(URI.create(args[1]), BatchFixture.KEY)).job(BatchFixture.job(runtime))
        .lease(Duration.ofSeconds(3)).build();
    while (true) {
      batches.poll();
    }
  }
}
