package dev.llmtask.examples.spring;

import dev.llmtask.examples.rotation.RotationDecision;
import dev.llmtask.examples.rotation.RotationDesk;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /rotation-decision}: the typed decision, or a problem response (see {@link LlmProblems}). */
@RestController
class RotationController {
  /** The request body. */
  record RotationRequest(@NotBlank String question, @NotBlank String accountId,
                         @Min(0) @Max(36500) int credentialAgeDays, boolean keyStale) {}

  private final RotationDesk desk;

  RotationController(RotationDesk desk) {
    this.desk = desk;
  }

  @PostMapping("/rotation-decision")
  RotationDecision decide(@Valid @RequestBody RotationRequest request,
      @RequestHeader(name = "X-Trace-Id", required = false) String traceId) {
    return desk.decideRotation(request.question(), request.accountId(), request.credentialAgeDays(),
        request.keyStale(), Policy.TEXT, traceId);
  }
}
