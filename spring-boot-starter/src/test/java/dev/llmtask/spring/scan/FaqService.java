package dev.llmtask.spring.scan;

import org.springframework.stereotype.Service;

/** An application component the scan finds beside the client, taking the client by constructor. */
@Service
public class FaqService {
  private final FaqDesk desk;

  public FaqService(FaqDesk desk) {
    this.desk = desk;
  }

  public String answer(String question) {
    return desk.answer(question);
  }
}
