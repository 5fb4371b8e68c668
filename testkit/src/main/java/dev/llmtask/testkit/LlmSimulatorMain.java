package dev.llmtask.testkit;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link LlmSimulator} standalone until the process is stopped, so any OpenAI- or
 * Anthropic-compatible client can be pointed at it.
 *
 * <pre>
 * mvn -q -pl testkit exec:java -Dexec.args="--port 8089 --script replies.json"
 * java -cp llmtask-testkit.jar:jackson-*.jar dev.llmtask.testkit.LlmSimulatorMain --port 8089
 * </pre>
 *
 * <p>{@code --port 0} (the default) picks a free port; {@code --seed N} (default 42) seeds the
 * generated answers; {@code --script FILE} queues the replies of a script file (format: {@link
 * LlmSimulator#loadScript}) and prints how many replies and random faults it queued, e.g. {@code
 * llmtask simulator: 4 scripted replies and 1 random fault from replies.json}. Prints {@code
 * llmtask simulator listening on http://127.0.0.1:PORT} once ready. Bad arguments or a bad script print the problem and exit with status 2.
 */
public final class LlmSimulatorMain {

  private LlmSimulatorMain() {}

  /**
   * Entry point.
   *
   * @param args {@code [--port N] [--seed N] [--script FILE]}
   */
  public static void main(String[] args) throws InterruptedException {
    int port = 0;
    long seed = LlmSimulator.DEFAULT_SEED;
    Path script = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String value;
      if (arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        usage("missing value for " + arg);
        return;
      }
      try {
        switch (name) {
          case "--port":
            port = Integer.parseInt(value);
            break;
          case "--seed":
            seed = Long.parseLong(value);
            break;
          case "--script":
            script = Path.of(value);
            break;
          default:
            usage("unknown argument: " + arg);
            return;
        }
      } catch (NumberFormatException e) {
        usage("not a number in: " + arg);
        return;
      }
    }
    if (port < 0 || port > 65535) {
      usage("port out of range: " + port);
      return;
    }
    LlmSimulator simulator = LlmSimulator.start(port, seed);
    if (script != null) {
      try {
        int queued = simulator.loadScript(script);
        // the simulator is new, so what is pending is the script's replies; the rest are random faults
        int replies = simulator.pendingReplies();
        System.out.println("llmtask simulator: " + loadedSummary(replies, queued - replies) + " from " + script);
      } catch (IllegalArgumentException | UncheckedIOException e) {
        simulator.close();
        usage(e.getMessage());
        return;
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                },
                "llmtask-simulator-shutdown"));
    System.out.println("llmtask simulator listening on " + simulator.baseUrl());
    System.out.println("  OpenAI base URL:    " + simulator.openAiBaseUrl());
    System.out.println("  Anthropic base URL: " + simulator.anthropicBaseUrl());
    System.out.flush();
    stopped.await();
  }

  /** "4 scripted replies and 1 random fault": what the script queued, as a user wrote it. */
  static String loadedSummary(int replies, int randomFaults) {
    String summary = replies + (replies == 1 ? " scripted reply" : " scripted replies");
    if (randomFaults > 0) {
      summary += " and " + randomFaults + (randomFaults == 1 ? " random fault" : " random faults");
    }
    return summary;
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: LlmSimulatorMain [--port N] [--seed N] [--script FILE]");
    System.exit(2);
  }
}
