package dev.llmtask.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The support console as a web application: {@code POST /rotation-decision} answers with the typed
 * decision or an RFC 9457 problem naming the call's status, {@code GET /draft-reply} streams the
 * draft reply as server-sent events. The generated clients ({@code RotationDesk}, {@code ReplyDesk})
 * and the {@code LlmRuntime} come from the llmtask starter; without {@code LLM_API_KEY} an embedded
 * simulator answers.
 */
@SpringBootApplication
public class SupportApplication {
  public static void main(String[] args) {
    SpringApplication.run(SupportApplication.class, args);
  }
}
