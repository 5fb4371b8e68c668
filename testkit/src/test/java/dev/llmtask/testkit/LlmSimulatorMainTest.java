package dev.llmtask.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LlmSimulatorMainTest {

  @Test
  void runsStandaloneAndPrintsItsAddress() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LlmSimulatorMain.class.getName(),
                "--port",
                "0")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String firstLine = CompletableFuture.supplyAsync(() -> readLine(out)).get(20, TimeUnit.SECONDS);

      assertThat(firstLine).matches("llmtask simulator listening on http://127\\.0\\.0\\.1:\\d+");
      URI base = URI.create(firstLine.substring(firstLine.indexOf("http://")));
      HttpResponse<String> response =
          TestHttp.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          TestHttp.anthropicBody("decide_rotation", Schemas.ROTATION))));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(TestHttp.json(response.body()).at("/content/0/name").asText())
          .isEqualTo("decide_rotation");
      assertThat(process.isAlive()).isTrue();
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
