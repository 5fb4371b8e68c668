package dev.llmtask.spring.boot;

import dev.llmtask.LlmRuntime;
import dev.llmtask.RateCard;
import dev.llmtask.TelemetrySink;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.ExchangeInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures an {@link LlmRuntime} from the {@code llmtask.*} properties ({@link LlmTaskProperties})
 * and registers every generated {@code @LlmTask} client as a bean.
 *
 * <ul>
 *   <li>Backs off when the application defines its own {@link LlmRuntime} bean; the clients then use that one.</li>
 *   <li>Adds every {@link TelemetrySink}, {@link CallInterceptor} and {@link ExchangeInterceptor} bean, in
 *       {@code @Order} order, a {@link RateCard} bean (or {@code llmtask.price-file}), then runs the
 *       {@link LlmRuntimeCustomizer} beans.</li>
 *   <li>A bad property fails the start-up with an {@link InvalidLlmTaskPropertyException} naming it.</li>
 * </ul>
 */
@AutoConfiguration
@EnableConfigurationProperties(LlmTaskProperties.class)
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
      ObjectProvider<LlmRuntimeCustomizer> customizers) {
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
    sinks.orderedStream().forEach(builder::telemetry);
    callInterceptors.orderedStream().forEach(builder::intercept);
    exchangeInterceptors.orderedStream().forEach(builder::interceptExchanges);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }
}
