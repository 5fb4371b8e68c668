package dev.llmtask.cdi;

import dev.llmtask.LlmRuntime;
import dev.llmtask.codegen.GeneratedClients;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.literal.InjectLiteral;
import jakarta.enterprise.inject.literal.SingletonLiteral;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.configurator.AnnotatedConstructorConfigurator;
import jakarta.enterprise.inject.spi.configurator.AnnotatedTypeConfigurator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Makes every generated {@code @LlmTask} client a CDI bean, also in annotated discovery mode (where
 * {@code @Singleton} is not bean-defining): the clients come from the index the processor writes
 * ({@code META-INF/llmtask/clients}), not from a class-path scan. Each client is a {@code @Singleton}
 * bean of its interface, built through its {@code LlmRuntime} constructor; the application produces
 * the {@link LlmRuntime} (a producer method or field).
 */
public final class LlmTaskExtension implements Extension {
  void addGeneratedClients(@Observes BeforeBeanDiscovery discovery) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = LlmTaskExtension.class.getClassLoader();
    }
    for (Class<?> client : GeneratedClients.implementations(loader)) {
      addClient(discovery, client);
    }
  }

  private static <T> void addClient(BeforeBeanDiscovery discovery, Class<T> client) {
    AnnotatedTypeConfigurator<T> type = discovery.addAnnotatedType(client, "llmtask:" + client.getName());
    if (!type.getAnnotated().isAnnotationPresent(Singleton.class)) {
      type.add(SingletonLiteral.INSTANCE); // compiled without jakarta.inject on the class path
    }
    for (AnnotatedConstructorConfigurator<T> constructor : type.constructors()) {
      List<?> parameters = constructor.getAnnotated().getParameters();
      boolean takesRuntime = parameters.size() == 1
          && constructor.getAnnotated().getJavaMember().getParameterTypes()[0] == LlmRuntime.class;
      if (takesRuntime && !constructor.getAnnotated().isAnnotationPresent(Inject.class)) {
        constructor.add(InjectLiteral.INSTANCE);
      }
    }
  }
}
