package dev.llmtask.provider;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

/**
 * Sends a streaming request and reads the {@code text/event-stream} answer as it arrives, without
 * blocking a thread. An error status, or a 2xx answer that is not an event stream, is read whole
 * (bounded) and classified by the provider; a 2xx stream is parsed line by line into events for
 * the provider's {@link SseEvents}.
 */
final class SseExchange {
  private SseExchange() {}

  /**
   * Opens the stream.
   *
   * @param events the provider's reading of the events
   * @param maxBytes the most an error body may hold
   * @param maxLineChars the longest event line accepted
   * @param errorReader turns an error status, or a 2xx answer that is not an event stream, and its
   *     body into a classified {@link ProviderException}
   */
  public static ModelStream open(HttpClient client, HttpRequest request, SseEvents events, int maxBytes,
      int maxLineChars, BiFunction<HttpResponse.ResponseInfo, byte[], ProviderException> errorReader) {
    CompletableFuture<Void> opened = new CompletableFuture<>();
    CompletableFuture<ModelReply> finished = new CompletableFuture<>();
    EventSubscriber[] live = new EventSubscriber[1];
    CompletableFuture<HttpResponse<Void>> http = client.sendAsync(request, info -> {
      if (info.statusCode() < 200 || info.statusCode() > 299 || !isEventStream(info)) {
        HttpResponse.BodySubscriber<byte[]> body = HttpExchange.bodyOf(info, maxBytes);
        body.getBody().whenComplete((bytes, failure) -> {
          ProviderException e = failure == null ? errorReader.apply(info, bytes)
              : failure instanceof ProviderException pe ? pe
              : info.statusCode() > 299 ? HttpFailures.classify(info.statusCode(), info.headers(), null, null, false, null)
              : HttpFailures.unreadable(info.statusCode(), "the body was cut (" + failure.getClass().getSimpleName() + ")", null);
          opened.completeExceptionally(e);
          finished.completeExceptionally(e);
        });
        return HttpResponse.BodySubscribers.mapping(body, bytes -> (Void) null);
      }
      opened.complete(null);
      EventSubscriber subscriber = new EventSubscriber(events, finished, maxBytes, maxLineChars);
      live[0] = subscriber;
      return subscriber;
    });
    http.whenComplete((response, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        ProviderException e = cause instanceof ProviderException pe ? pe
            : cause instanceof CancellationException ? null : HttpFailures.transport(cause);
        if (e == null) {
          opened.cancel(false);
          finished.cancel(false);
        } else if (!opened.isDone()) {
          opened.completeExceptionally(e);
          finished.completeExceptionally(e);
        } else {
          finished.completeExceptionally(cut(e.getMessage()));
        }
      } else if (!finished.isDone()) {
        // a clean close: complete when the provider's reply is whole without its end event
        if (events.completeAtClose()) {
          finished.complete(events.reply());
        } else {
          finished.completeExceptionally(cut("the stream ended before the provider's end event"));
        }
      }
    });
    Runnable cancel = () -> {
      EventSubscriber s = live[0];
      if (s != null) {
        s.cancel();
      }
      http.cancel(true);
      opened.cancel(false);
      finished.cancel(false);
    };
    return new ModelStream(opened, finished, cancel);
  }

  /** A 2xx answer is read as events unless it says it is something else (a missing type is given the benefit). */
  private static boolean isEventStream(HttpResponse.ResponseInfo info) {
    String type = info.headers().firstValue("content-type").orElse(null);
    return type == null || type.strip().toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream");
  }

  private static ProviderException cut(String why) {
    return new ProviderException(dev.llmtask.CallStatus.PROVIDER_ERROR, false, 200, null, "stream cut: " + why, null);
  }

  /** Splits the body into lines and lines into events; hands each event to the provider's reader. */
  static final class EventSubscriber extends EagerBodySubscriber<Void> {
    private final SseEvents events;
    private final CompletableFuture<ModelReply> finished;
    private final StringBuilder line = new StringBuilder(256);
    private final StringBuilder data = new StringBuilder(256);
    private final java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    private final java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(8192);
    /** The first bytes of a character cut at a buffer's end, in write mode; empty between characters. */
    private final ByteBuffer carry = ByteBuffer.allocate(8);
    private final int maxBytes;
    private final int maxLineChars;
    private long received;
    private String event;
    private boolean sawCr;

    EventSubscriber(SseEvents events, CompletableFuture<ModelReply> finished, int maxBytes, int maxLineChars) {
      this.events = events;
      this.finished = finished;
      this.maxBytes = maxBytes;
      this.maxLineChars = maxLineChars;
    }

    void cancel() {
      stopReading();
      body.complete(null);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (finished.isDone()) {
        return; // ended (an error event, a cap): the rest is not read
      }
      try {
        for (ByteBuffer b : buffers) {
          received += b.remaining();
          if (received > maxBytes) {
            throw HttpFailures.oversized(200, "the event stream exceeds " + maxBytes + " bytes (maxResponseBytes)");
          }
          decode(b);
        }
      } catch (ProviderException e) {
        finished.completeExceptionally(e);
        cancel();
      } catch (RuntimeException e) {
        finished.completeExceptionally(HttpFailures.unreadable(200, "bad event (" + e.getClass().getSimpleName() + ")", null));
        cancel();
      }
    }

    /**
     * Decodes one buffer into lines. Every pass consumes input or fails: bytes that are not UTF-8 end
     * the stream (the JSON of a plain answer fails the same way), and the first bytes of a character
     * the next buffer completes wait in {@link #carry}. (Looping until the buffer was empty spun
     * forever on either, holding one of the client's threads: a few such answers wedged every later
     * exchange of the provider.)
     */
    private void decode(ByteBuffer b) {
      while (carry.position() > 0 && b.hasRemaining()) { // complete the character cut at the last buffer's end
        carry.put(b.get()).flip();
        CoderResult r = decoder.decode(carry, chars, false);
        carry.compact();
        drain(r);
      }
      while (b.hasRemaining()) {
        CoderResult r = decoder.decode(b, chars, false);
        drain(r);
        if (r.isUnderflow()) {
          carry.put(b); // at most 3 bytes: the start of a character the next buffer completes
        }
      }
    }

    private void drain(CoderResult r) {
      chars.flip();
      while (chars.hasRemaining()) {
        accept(chars.get());
      }
      chars.clear();
      if (r.isError()) {
        throw HttpFailures.unreadable(200, "the event stream is not UTF-8", null);
      }
    }

    private void accept(char c) {
      if (c == '\n' || c == '\r') {
        if (c == '\n' && sawCr) {
          sawCr = false;
          return;
        }
        sawCr = c == '\r';
        endLine();
        return;
      }
      sawCr = false;
      if (line.length() >= maxLineChars) {
        throw HttpFailures.oversized(200, "an event line exceeds " + maxLineChars + " chars (maxEventLineChars)");
      }
      line.append(c);
    }

    /** SSE: a blank line dispatches; {@code field: value}; comments start with ':'. */
    private void endLine() {
      if (line.length() == 0) {
        if (data.length() > 0 || event != null) {
          String d = data.length() > 0 && data.charAt(data.length() - 1) == '\n' ? data.substring(0, data.length() - 1) : data.toString();
          boolean done = events.onEvent(event, d);
          data.setLength(0);
          event = null;
          if (done && !finished.isDone()) {
            finished.complete(events.reply());
          }
        }
        return;
      }
      if (line.charAt(0) != ':') {
        int colon = line.indexOf(":");
        String field = colon < 0 ? line.toString() : line.substring(0, colon);
        int start = colon < 0 ? line.length() : colon + 1;
        if (start < line.length() && line.charAt(start) == ' ') {
          start++;
        }
        String value = line.substring(start);
        if ("data".equals(field)) {
          data.append(value).append('\n');
        } else if ("event".equals(field)) {
          event = value;
        }
      }
      line.setLength(0);
    }

    @Override
    public void onComplete() {
      body.complete(null);
    }
  }
}
