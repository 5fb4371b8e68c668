package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallRecord;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmStream;
import dev.llmtask.StreamEvent;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server that writes the whole response — status line, headers and every event — in one burst
 * (one write): the events reach the client while the stream is still being opened. Every stream,
 * on every thread, must still show Started first, the deltas in order and one terminal event last.
 */
class StreamBurstTest {
  private static final TaskSpec<RotationDecision> ROTATION = RotationFixture.spec().build();
  private ServerSocket server;
  private ExecutorService serving;

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    serving = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "burst-server");
      t.setDaemon(true);
      return t;
    });
    serving.execute(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          serving.execute(() -> answer(s));
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    serving.shutdownNow();
  }

  private static final byte[] RESPONSE = response();

  private static byte[] response() {
    String v = RotationFixture.VALID;
    StringBuilder sse = new StringBuilder();
    int pieces = 6;
    for (int i = 0; i < pieces; i++) {
      String piece = v.substring(i * v.length() / pieces, (i + 1) * v.length() / pieces);
      sse.append("data: {\"id\":\"chatcmpl-burst\",\"choices\":[{\"index\":0,\"delta\":{\"content\":")
          .append(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(piece).toString()).append("}}]}\n\n");
    }
    sse.append("data: {\"id\":\"chatcmpl-burst\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")
        .append("data: {\"id\":\"chatcmpl-burst\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":6}}\n\n")
        .append("data: [DONE]\n\n");
    byte[] body = sse.toString().getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: " + body.length + "\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** Reads each request (headers, then content-length bytes) and answers it with one write. */
  private static void answer(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      while (true) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
          int c = in.read();
          if (c < 0) {
            return;
          }
          head.write(c);
          matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).strip());
          }
        }
        in.readNBytes(length);
        out.write(RESPONSE);
        out.flush();
      }
    } catch (IOException e) {
      // the client closed the connection
    }
  }

  @Test
  void aStreamWrittenInOneBurstKeepsItsEventOrderOnEveryThread() throws Exception {
    List<CallRecord> records = new CopyOnWriteArrayList<>();
    LlmRuntime runtime = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1"))
            .apiKey("sk-test-burst").build())
        .telemetry(records::add)
        .build();
    int threads = 8;
    int perThread = 50;
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      results.add(callers.submit(() -> {
        List<String> broken = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          LlmStream<RotationDecision> stream = ROTATION.stream(runtime, RotationFixture.invocation("t"));
          List<StreamEvent<RotationDecision>> events = new CopyOnWriteArrayList<>();
          stream.onEvent(events::add);
          stream.result().join();
          try {
            StreamEventOrder.assertWellFormed(events);
            assertThat(events).hasSize(1 + 6 + 1);
          } catch (AssertionError e) {
            broken.add(StreamEventOrder.kinds(events));
          }
        }
        return broken;
      }));
    }
    List<String> broken = new ArrayList<>();
    for (Future<List<String>> f : results) {
      broken.addAll(f.get(120, TimeUnit.SECONDS));
    }
    callers.shutdown();

    assertThat(broken).as("streams out of order, of %d", threads * perThread).isEmpty();
    assertThat(records).hasSize(threads * perThread).allMatch(CallRecord::ok);
  }
}
