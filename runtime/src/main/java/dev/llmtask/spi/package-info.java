/**
 * Extension points of the call pipeline. Every task call runs through one chain of links, the same
 * for blocking, async and streamed calls:
 *
 * <pre>
 *   record + deadline ─ your {@link dev.llmtask.spi.CallInterceptor}s ─ output checks + re-asks
 *     └─ per attempt: classified retries ─ your {@link dev.llmtask.spi.ExchangeInterceptor}s ─ the provider exchange
 * </pre>
 *
 * Register interceptors with {@code LlmRuntime.builder().intercept(…)} and
 * {@code .interceptExchanges(…)}; they run in the order registered, the first outermost.
 */
package dev.llmtask.spi;
