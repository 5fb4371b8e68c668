package dev.llmtask.benchmarks.startup;

import dev.llmtask.benchmarks.contenders.Contenders;
import dev.llmtask.benchmarks.rotation.RotationDecision;
import dev.llmtask.benchmarks.rotation.Scenario;
import java.net.URI;

/**
 * The child JVM of the start-up benchmark: builds one contender, makes one call against the stub, prints
 * {@link #DONE} when the answer is decoded, and exits. Arguments: contender id, stub base URL.
 */
public final class FirstCall {
  static final String DONE = "first-call-done";

  private FirstCall() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: FirstCall <" + String.join("|", Contenders.ALL) + "> <stub base URL>");
      System.exit(2);
    }
    RotationDecision d = Contenders.create(args[0], URI.create(args[1])).call();
    if (!Scenario.EXPECTED.equals(d)) {
      System.err.println("wrong answer: " + d);
      System.exit(1);
    }
    System.out.println(DONE);
    System.out.flush();
    Runtime.getRuntime().halt(0); // the clock has stopped; skip the shutdown sequence
  }
}
