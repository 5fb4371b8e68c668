package dev.llmtask.examples.spring;

import dev.llmtask.CallStatus;
import dev.llmtask.LlmTaskException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A failed task call as an RFC 9457 problem ({@code application/problem+json}): the HTTP status that
 * fits the call's {@link CallStatus}, the status named in {@code title} and {@code status_name}, and
 * the trace id; never the prompt, the answer or the failure reason (which may quote them).
 */
@RestControllerAdvice
class LlmProblems {
  @ExceptionHandler(LlmTaskException.class)
  ProblemDetail failedCall(LlmTaskException e) {
    CallStatus status = e.status();
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(httpStatus(status), detail(status));
    problem.setTitle(status.name());
    problem.setType(URI.create("urn:llmtask:status:" + status.wireName()));
    problem.setProperty("status_name", status.name());
    problem.setProperty("trace_id", e.record().traceId());
    problem.setProperty("attempts", e.record().attempts());
    return problem;
  }

  /** The HTTP status for a call status: the caller's fault 4xx, the model or provider's fault 5xx. */
  static HttpStatus httpStatus(CallStatus status) {
    return switch (status) {
      case TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
      case RATE_LIMITED, BUDGET_EXCEEDED -> HttpStatus.TOO_MANY_REQUESTS;
      case QUOTA_EXHAUSTED, CANCELLED -> HttpStatus.SERVICE_UNAVAILABLE;
      case REFUSED -> HttpStatus.UNPROCESSABLE_CONTENT;
      default -> HttpStatus.BAD_GATEWAY; // AUTH_ERROR, BAD_REQUEST (the server's own request), PROVIDER_ERROR, INVALID_OUTPUT
    };
  }

  private static String detail(CallStatus status) {
    return switch (status) {
      case TIMEOUT -> "The model did not answer within the deadline.";
      case RATE_LIMITED -> "The model provider is rate limiting; try again later.";
      case BUDGET_EXCEEDED -> "The spending budget for this task is used up.";
      case QUOTA_EXHAUSTED -> "The model provider's quota is exhausted.";
      case CANCELLED -> "The call was cancelled.";
      case REFUSED -> "The model declined to answer.";
      case INVALID_OUTPUT -> "The model's answer was not valid, also after a re-ask.";
      case AUTH_ERROR -> "The server's credentials for the model provider were rejected.";
      default -> "The model provider failed.";
    };
  }
}
