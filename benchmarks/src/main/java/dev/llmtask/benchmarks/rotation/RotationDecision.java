package dev.llmtask.benchmarks.rotation;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The answer every contender decodes: the same record for llmtask, the hand-written client and LangChain4j. */
public record RotationDecision(
    @NotNull Decision decision,
    @JsonProperty("rotation_window_days") @Min(0) @Max(365) int rotationWindowDays,
    @JsonProperty("source_line_ids") @NotEmpty List<@NotBlank String> sourceLineIds) {}
