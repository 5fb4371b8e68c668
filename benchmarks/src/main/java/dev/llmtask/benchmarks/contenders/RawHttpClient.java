package dev.llmtask.benchmarks.contenders;

import dev.llmtask.benchmarks.rotation.RotationDecision;
import dev.llmtask.benchmarks.rotation.Scenario;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The stub's own cost, the floor under every row: the baseline's request bytes, prepared once, posted
 * with the same client settings, the response read as bytes and not parsed.
 */
public final class RawHttpClient implements Contender {
  private final HttpClient http = HttpClients.builder().build();
  private final HttpRequest request;

  public RawHttpClient(URI baseUrl) throws IOException {
    HandWrittenClient shape = new HandWrittenClient(baseUrl);
    this.request = shape.request(shape.requestBody());
  }

  @Override
  public String name() {
    return "raw HTTP exchange, no JSON (stub cost)";
  }

  @Override
  public boolean async() {
    return false;
  }

  @Override
  public RotationDecision call() throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200 || response.body().length != Scenario.COMPLETION_BODY.length) {
      throw new IOException("unexpected stub answer: HTTP " + response.statusCode());
    }
    return Scenario.EXPECTED;
  }
}
