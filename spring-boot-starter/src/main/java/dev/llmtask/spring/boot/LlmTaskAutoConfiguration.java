package dev.llmtask.spring.boot;

import dev.llmtask.LlmRuntime;
import dev.llmtask.RateCard;
import dev.llmtask.TelemetrySink;
import dev.llmtask.budget.BudgetAlertListener;
import dev.llmtask.budget.BudgetPolicy;
import dev.llmtask.budget.BudgetStore;
import dev.llmtask.ratelimit.RateLimitPolicy;
import dev.llmtask.tool.Toolbox;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.ExchangeInterceptor;
import dev.llmtask.spi.ResponseStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configures an {@link LlmRuntime} from the {@code llmtask.*} properties ({@link LlmTaskProperties})
 * and registers every generated {@code @LlmTask} client as a bean.
 *
 * <ul>
 *   <li>Backs off when the application defines its own {@link LlmRuntime} bean; the clients then use that one.</li>
 *   <li>Adds every {@link TelemetrySink}, {@link CallInterceptor} and {@link ExchangeInterceptor} bean, in
 *       {@code @Order} order, a {@link RateCard} bean (or {@code llmtask.price-file}), a {@link ResponseStore}
 *       bean as the response cache, a {@link BudgetPolicy} bean (or {@code llmtask.budgets.*}, counted in a
 *       {@link BudgetStore} bean and told to a {@link BudgetAlertListener} bean when defined), a
 *       {@link RateLimitPolicy} bean as the client-side rate limits, a {@link Toolbox} bean as the tools
 *       tasks may call, then runs the
 *       {@link LlmRuntimeCustomizer} beans.</li>
 *   <li>With {@code llmtask-micrometer} and a {@code MeterRegistry} bean, records the calls' metrics; with
 *       {@code llmtask-opentelemetry} and an {@code OpenTelemetry} bean, traces them. Both are registered
 *       before the interceptor beans, so they cover them.</li>
 *   <li>A bad property fails the start-up with an {@link InvalidLlmTaskPropertyException} naming it.</li>
 * </ul>
 */
@AutoConfiguration
@EnableConfigurationProperties(LlmTaskProperties.class)
@Import({ObservabilityConfigurations.Tracing.class, ObservabilityConfigurations.Metrics.class})
public class LlmTaskAutoConfiguration {

  /** Registers the generated clients; static, so that it runs before any other bean is made. */
  @Bean
  static GeneratedClientRegistrar llmTaskGeneratedClients() {
    return new GeneratedClientRegistrar();
  }

  /** The runtime built from {@code llmtask.*}, unless the application defines one. */
  @Bean
  @ConditionalOnMissingBean(LlmRuntime.class)
  LlmRuntime llmRuntime(LlmTaskProperties properties, GeneratedClientRegistrar clients,
      ObjectProvider<TelemetrySink> sinks, ObjectProvider<CallInterceptor> callInterceptors,
      ObjectProvider<ExchangeInterceptor> exchangeInterceptors, ObjectProvider<RateCard> rateCards,
      ObjectProvider<ResponseStore> responseStores, ObjectProvider<BudgetPolicy> budgetPolicies,
      ObjectProvider<BudgetStore> budgetStores, ObjectProvider<BudgetAlertListener> alertListeners,
      ObjectProvider<RateLimitPolicy> rateLimits, ObjectProvider<Toolbox> toolboxes,
      ObjectProvider<OptionalPart> optionalParts, ObjectProvider<LlmRuntimeCustomizer> customizers) {
    LlmRuntime.Builder builder = RuntimeProperties.apply(properties, clients.taskNames(), LlmRuntime.builder());
    RateCard fromFile = RuntimeProperties.priceFile(properties);
    RateCard bean = rateCards.getIfUnique();
    if (fromFile != null && bean != null) {
      throw new InvalidLlmTaskPropertyException("llmtask.price-file", "is set and a RateCard bean is defined too:"
          + " keep one of them");
    }
    RateCard rateCard = fromFile != null ? fromFile : bean;
    if (rateCard != null) {
      builder.rateCard(rateCard);
    }
    BudgetPolicy budgets = budgets(properties, clients, budgetPolicies.getIfUnique(), budgetStores.getIfUnique(),
        alertListeners.getIfUnique());
    if (budgets != null) {
      builder.budgets(budgets);
    }
    responseStores.ifUnique(builder::responseCache);
    rateLimits.ifUnique(builder::rateLimits);
    toolboxes.ifUnique(builder::tools);
    optionalParts.orderedStream().forEach(part -> part.addTo(builder)); // tracing, metrics: before the links
    sinks.orderedStream().forEach(builder::telemetry);
    callInterceptors.orderedStream().forEach(builder::intercept);
    exchangeInterceptors.orderedStream().forEach(builder::interceptExchanges);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /** A {@link BudgetPolicy} bean as it is, else the policy of {@code llmtask.budgets.*}, else none. */
  private static BudgetPolicy budgets(LlmTaskProperties properties, GeneratedClientRegistrar clients,
      BudgetPolicy bean, BudgetStore store, BudgetAlertListener listener) {
    if (bean == null) {
      return BudgetProperties.policy(properties.budgets(), clients.taskNames(), store, listener);
    }
    if (!properties.budgets().limits().isEmpty()) {
      throw new InvalidLlmTaskPropertyException("llmtask.budgets.limits", "is set and a BudgetPolicy bean is"
          + " defined too: keep one of them");
    }
    return bean; // its own store and listener, which may be the store and listener beans
  }
}
