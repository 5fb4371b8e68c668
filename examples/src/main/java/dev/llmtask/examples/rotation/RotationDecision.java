package dev.llmtask.examples.rotation;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The model's decision on a key rotation. The constraints become part of the JSON Schema sent to
 * the model and are checked again on the answer.
 */
public record RotationDecision(
    @NotNull Decision decision,
    @JsonProperty("rotation_window_days") @Min(0) @Max(365) int rotationWindowDays,
    @JsonProperty("source_line_ids") @NotEmpty List<@NotBlank String> sourceLineIds) {}
