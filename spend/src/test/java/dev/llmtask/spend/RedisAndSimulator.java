package dev.llmtask.spend;

import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.OutputSchema;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.testkit.LlmSimulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.embedded.RedisServer;

/** What the Redis store tests share: a real redis-server and the simulator on loopback, and a triage task. */
abstract class RedisAndSimulator {
  record Verdict(String priority) {}

  static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"priority\":{\"type\":\"string\"}},"
      + "\"required\":[\"priority\"],\"additionalProperties\":false}";
  static final String PROMPT = "Classify this support ticket: the CI is down since the key rotation";
  static LlmSimulator sim;
  static RedisServer redis;
  static String uri;

  /** The triage task with no retries and no re-asks, ending at {@code timeout}. */
  static TaskSpec<Verdict> task(Duration timeout) {
    return TaskSpec.builder("classify", OutputDecoder.of(Verdict.class))
        .declaredBy("dev.llmtask.spend.Triage#classify").promptVersion("triage@1").model("gpt-4o-mini")
        .timeout(timeout).maxRetries(0).repairs(0)
        .schema(new OutputSchema("classify", SCHEMA, SCHEMA)).build();
  }

  @BeforeAll
  static void start() throws IOException {
    sim = LlmSimulator.start();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
    redis.start();
    uri = "redis://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() throws IOException {
    sim.close();
    if (redis.isActive()) {
      redis.stop();
    }
  }
}
