package com.example;

import dev.llmtask.CallOptions;
import dev.llmtask.IdempotencyKey;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmStream;
import dev.llmtask.LlmTask;
import dev.llmtask.TraceId;
import dev.llmtask.UserPrompt;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Every return shape, every special parameter, method attributes overriding the interface's. */
@LlmTask(promptVersion = "shapes@1", maxRetries = 1)
public interface AllShapes {
  record Reply(String text) {}

  @UserPrompt("{{question}}")
  Reply reply(String question);

  @UserPrompt("{{question}}")
  LlmResult<Reply> replyWithRecord(String question, @TraceId String traceId);

  @LlmTask(timeout = "1500ms", repairs = 0)
  @UserPrompt("{{question}}")
  CompletableFuture<Reply> replyAsync(String question, CallOptions options);

  @UserPrompt("{{question}}")
  CompletableFuture<LlmResult<Reply>> replyAsyncWithRecord(String question, @IdempotencyKey String key);

  @LlmTask(name = "draft_reply", timeout = "2m")
  @UserPrompt("Draft a reply to: {{question}}")
  LlmStream<Reply> streamReply(String question, @TraceId String traceId);

  @UserPrompt("Summarize: {{scan}}")
  LlmStream<String> summarizeScan(String scan);

  @UserPrompt("Label: {{question}}")
  String label(String question);

  @UserPrompt("Count the accounts in: {{text}}")
  int countAccounts(String text);

  @UserPrompt("{{question}}")
  List<Reply> replies(String question);
}
