package dev.llmtask.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.llmtask.CallStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The event-stream reader's decoding of bytes as they arrive, in whatever buffers the client hands
 * over: a character cut between two buffers is read whole, and bytes that are not UTF-8 end the
 * stream instead of stopping the reader where it is (which held one of the client's threads for
 * good; see {@code HostileProviderTest} for the call after it).
 */
class SseExchangeTest {
  /** Two-, three- and four-byte characters, each of which some cut below splits. */
  private static final String DATA = "{\"text\":\"\u00e9 \u20ac \ud83d\ude00 ok\"}";
  private static final byte[] STREAM = ("event: delta\ndata: " + DATA + "\n\n").getBytes(StandardCharsets.UTF_8);
  /** Generous: the reader either returns at once or never did (it looped on the same bytes). */
  private static final Duration HUNG = Duration.ofSeconds(30);

  private record Reader(SseExchange.EventSubscriber subscriber, List<String> events, CompletableFuture<ModelReply> finished) {}

  private static Reader reader() {
    List<String> events = new ArrayList<>();
    CompletableFuture<ModelReply> finished = new CompletableFuture<>();
    SseEvents sse = new SseEvents() {
      @Override
      public boolean onEvent(String event, String data) {
        events.add(event + " " + data);
        return false;
      }

      @Override
      public ModelReply reply() {
        return null;
      }
    };
    SseExchange.EventSubscriber subscriber = new SseExchange.EventSubscriber(sse, finished, 1 << 20, 1 << 16);
    subscriber.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) { }

      @Override
      public void cancel() { }
    });
    return new Reader(subscriber, events, finished);
  }

  private static ByteBuffer slice(byte[] bytes, int from, int to) {
    return ByteBuffer.wrap(bytes, from, to - from).slice();
  }

  @Test
  void aCharacterCutBetweenTwoBuffersIsReadWhole() {
    for (int cut = 0; cut <= STREAM.length; cut++) {
      Reader r = reader();
      int at = cut;
      assertTimeoutPreemptively(HUNG, () -> {
        r.subscriber().onNext(List.of(slice(STREAM, 0, at)));
        r.subscriber().onNext(List.of(slice(STREAM, at, STREAM.length)));
      }, "cut at byte " + cut);
      assertThat(r.events()).as("cut at byte %d", cut).containsExactly("delta " + DATA);
      assertThat(r.finished()).as("cut at byte %d", cut).isNotDone();
    }
  }

  @Test
  void aStreamHandedOverOneByteABufferIsReadWhole() {
    Reader r = reader();
    List<ByteBuffer> bytes = new ArrayList<>();
    for (int i = 0; i < STREAM.length; i++) {
      bytes.add(slice(STREAM, i, i + 1));
    }
    assertTimeoutPreemptively(HUNG, () -> r.subscriber().onNext(bytes));

    assertThat(r.events()).containsExactly("delta " + DATA);
    assertThat(r.finished()).isNotDone();
  }

  /** A byte no UTF-8 has, a lone continuation byte, a lead byte without its continuation, an encoded surrogate. */
  @ParameterizedTest
  @ValueSource(strings = {"ff", "80", "c328", "eda080"})
  void bytesThatAreNotUtf8EndTheStreamAsUnreadable(String hex) {
    byte[] bad = java.util.HexFormat.of().parseHex(hex);
    byte[] head = "event: delta\ndata: {\"text\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + bad.length + 4];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(bad, 0, body, head.length, bad.length);
    System.arraycopy("\"}\n\n".getBytes(StandardCharsets.UTF_8), 0, body, head.length + bad.length, 4);
    for (int cut : new int[] {body.length, head.length + 1}) { // whole, and cut right after the first bad byte
      Reader r = reader();
      assertTimeoutPreemptively(HUNG, () -> {
        r.subscriber().onNext(List.of(slice(body, 0, cut)));
        r.subscriber().onNext(List.of(slice(body, cut, body.length)));
      }, hex + " cut at " + cut);

      assertThat(r.events()).isEmpty();
      assertThat(r.finished()).isCompletedExceptionally();
      Throwable failure = r.finished().handle((v, f) -> f instanceof CompletionException ? f.getCause() : f).join();
      assertThat(failure).isInstanceOf(ProviderException.class).hasMessageContaining("the event stream is not UTF-8");
      assertThat(((ProviderException) failure).status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    }
  }
}
