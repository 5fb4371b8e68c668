package dev.llmtask.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link LlmSimulatorMain} as a child JVM, the way a user runs it standalone. */
class LlmSimulatorMainTest {

  @TempDir Path dir;

  @Test
  void runsStandaloneWithAScriptAndPrintsItsAddress() throws Exception {
    Path script = dir.resolve("replies.json");
    Files.writeString(
        script,
        """
        {"replies": [
          {"task": "decide_rotation", "status": 429, "headers": {"retry-after-ms": "200"}},
          {"task": "decide_rotation",
           "json": {"decision": "eligible", "rotation_window_days": 30, "source_line_ids": ["P-7"]}}
        ]}
        """);
    Process process = start("--port", "0", "--script", script.toString());
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String loaded = readLine(out);
      String listening = readLine(out);

      assertThat(loaded).isEqualTo("llmtask simulator: 2 scripted replies from " + script);
      assertThat(listening).matches("llmtask simulator listening on http://127\\.0\\.0\\.1:\\d+");
      URI base = URI.create(listening.substring(listening.indexOf("http://")));
      HttpResponse<String> first = post(base);
      HttpResponse<String> second = post(base);
      HttpResponse<String> third = post(base);

      assertThat(first.statusCode()).isEqualTo(429);
      assertThat(first.headers().firstValue("retry-after-ms")).hasValue("200");
      assertThat(TestHttp.json(second.body()).at("/choices/0/message/content").asText())
          .isEqualTo("{\"decision\":\"eligible\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}");
      assertThat(third.statusCode()).as("then generated answers").isEqualTo(200);
      assertThat(process.isAlive()).isTrue();
    } finally {
      stop(process);
    }
  }

  @Test
  void theDocsStandaloneScriptPrintsTheCountTheDocShows() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "testing.md"), StandardCharsets.UTF_8);
    String standalone = doc.substring(doc.indexOf("## Standalone"));
    String shownLine = standalone.lines().filter(l -> l.startsWith("# llmtask simulator: ")).findFirst().orElseThrow();
    int json = standalone.indexOf("```json\n") + "```json\n".length();
    Path script = dir.resolve("replies.json");
    Files.writeString(script, standalone.substring(json, standalone.indexOf("```", json)));

    Process process = start("--port", "0", "--script", script.toString());
    try {
      String loaded =
          readLine(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));

      assertThat(shownLine).isEqualTo("# llmtask simulator: 4 scripted replies and 1 random fault from replies.json");
      assertThat(loaded).isEqualTo(shownLine.substring(2).replace("replies.json", script.toString()));
    } finally {
      stop(process);
    }
  }

  @Test
  void theLoadedLineCountsRepliesAndRandomFaultsApart() {
    assertThat(LlmSimulatorMain.loadedSummary(1, 0)).isEqualTo("1 scripted reply");
    assertThat(LlmSimulatorMain.loadedSummary(0, 2)).isEqualTo("0 scripted replies and 2 random faults");
  }

  @Test
  void aBadScriptIsNamedAndExitsWith2() throws Exception {
    Path script = dir.resolve("bad.json");
    Files.writeString(script, "{\"replies\": [{\"json\": {}}, {\"stauts\": 429}]}");
    Process process = start("--script", script.toString());
    try {
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(process.exitValue()).isEqualTo(2);
      assertThat(output).contains("script replies[1]: unknown field \"stauts\"").contains("usage:");
    } finally {
      stop(process);
    }
  }

  private static Process start(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(java, "-cp", System.getProperty("java.class.path"), LlmSimulatorMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static HttpResponse<String> post(URI base) throws Exception {
    return TestHttp.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString(TestHttp.openAiBody("decide_rotation", Schemas.ROTATION))));
  }

  private static String readLine(BufferedReader reader) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.readLine();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .get(20, TimeUnit.SECONDS);
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
