package dev.llmtask.examples.spring;

import dev.llmtask.LlmStream;
import dev.llmtask.StreamEvent;
import dev.llmtask.examples.replies.ReplyDesk;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /draft-reply}: the draft as server-sent events — {@code delta} events with the text as it
 * arrives, then one {@code done} event with the whole draft, or one {@code failed} event naming the
 * call's status. When the browser closes the connection, the model call is cancelled.
 */
@RestController
class DraftReplyController {
  private static final Duration STREAM_LIMIT = Duration.ofSeconds(90); // above ReplyDesk's 60 s deadline

  private final ReplyDesk replies;

  DraftReplyController(ReplyDesk replies) {
    this.replies = replies;
  }

  @GetMapping(path = "/draft-reply", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter draftReply(@RequestParam String question, @RequestParam String decision,
      @RequestHeader(name = "X-Trace-Id", required = false) String traceId) {
    SseEmitter emitter = new SseEmitter(STREAM_LIMIT.toMillis());
    LlmStream<String> stream = replies.draftReply(question, decision, traceId);
    // the connection closed, failed or timed out: stop the model call too
    emitter.onCompletion(stream::cancel);
    emitter.onError(error -> stream.cancel());
    emitter.onTimeout(stream::cancel);
    stream.onEvent(event -> forward(event, emitter, stream));
    return emitter;
  }

  private static void forward(StreamEvent<String> event, SseEmitter emitter, LlmStream<String> stream) {
    try {
      if (event instanceof StreamEvent.Delta<String> delta) {
        emitter.send(SseEmitter.event().name("delta").data(delta.text()));
      } else if (event instanceof StreamEvent.Completed<String> done) {
        emitter.send(SseEmitter.event().name("done").data(done.result().value()));
        emitter.complete();
      } else if (event instanceof StreamEvent.Failed<String> failed) {
        emitter.send(SseEmitter.event().name("failed").data(Map.of(
            "status_name", failed.error().status().name(), "trace_id", failed.error().record().traceId())));
        emitter.complete();
      } else if (event instanceof StreamEvent.Cancelled<String>) {
        emitter.complete();
      }
    } catch (IOException | IllegalStateException e) {
      // the client has gone (a write to a closed connection): end the model call
      stream.cancel();
      emitter.completeWithError(e);
    }
  }
}
