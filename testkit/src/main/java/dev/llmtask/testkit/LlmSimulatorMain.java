package dev.llmtask.testkit;

import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link LlmSimulator} standalone until the process is killed.
 *
 * <pre>
 * java -cp llmtask-testkit.jar:jackson-*.jar dev.llmtask.testkit.LlmSimulatorMain [--port N] [--seed N]
 * </pre>
 *
 * <p>{@code --port 0} (the default) picks a free port. Prints {@code llmtask simulator listening on
 * http://127.0.0.1:PORT} once ready.
 */
public final class LlmSimulatorMain {

  private LlmSimulatorMain() {}

  /**
   * Entry point.
   *
   * @param args {@code --port N} (default 0 = any free port), {@code --seed N} (default 42)
   */
  public static void main(String[] args) throws InterruptedException {
    int port = 0;
    long seed = LlmSimulator.DEFAULT_SEED;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      try {
        if (arg.equals("--port") && i + 1 < args.length) {
          port = Integer.parseInt(args[++i]);
        } else if (arg.startsWith("--port=")) {
          port = Integer.parseInt(arg.substring("--port=".length()));
        } else if (arg.equals("--seed") && i + 1 < args.length) {
          seed = Long.parseLong(args[++i]);
        } else if (arg.startsWith("--seed=")) {
          seed = Long.parseLong(arg.substring("--seed=".length()));
        } else {
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

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: LlmSimulatorMain [--port N] [--seed N]");
    System.exit(2);
  }
}
