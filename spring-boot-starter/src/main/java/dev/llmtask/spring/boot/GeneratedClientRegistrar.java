package dev.llmtask.spring.boot;

import dev.llmtask.codegen.GeneratedClients;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.util.ClassUtils;

/**
 * Registers a bean for every generated client in the index the processor writes
 * ({@code META-INF/llmtask/clients}), unless the context already has a bean of that interface. The
 * clients take the context's {@code LlmRuntime} through their constructor.
 */
final class GeneratedClientRegistrar implements BeanDefinitionRegistryPostProcessor, BeanClassLoaderAware {
  private ClassLoader loader = ClassUtils.getDefaultClassLoader();
  private volatile List<GeneratedClients.Entry> entries;

  @Override
  public void setBeanClassLoader(ClassLoader loader) {
    this.loader = loader;
  }

  private List<GeneratedClients.Entry> entries() {
    if (entries == null) {
      entries = GeneratedClients.read(loader);
    }
    return entries;
  }

  /** The task names of every indexed client. */
  Set<String> taskNames() {
    Set<String> names = new TreeSet<>();
    entries().forEach(e -> names.addAll(e.tasks()));
    return names;
  }

  @Override
  public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
    for (GeneratedClients.Entry entry : entries()) {
      Class<?> impl = entry.load(loader);
      Class<?> iface = ClassUtils.resolveClassName(entry.taskInterface(), loader);
      if (registry instanceof ListableBeanFactory beans && beans.getBeanNamesForType(iface, true, false).length > 0) {
        continue; // the application defines this client itself
      }
      RootBeanDefinition definition = new RootBeanDefinition(impl);
      definition.setDescription("llmtask generated client of " + entry.taskInterface());
      registry.registerBeanDefinition(entry.implementation(), definition);
    }
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {}
}
