package dev.llmtask.examples.spring;

import dev.llmtask.action.IdempotentActions;
import dev.llmtask.action.InMemoryActionStore;
import dev.llmtask.examples.rotation.RotationJobs;
import dev.llmtask.examples.rotation.RotationJobs.JobRequest;
import dev.llmtask.examples.rotation.RotationTools;
import dev.llmtask.tool.ToolAuthorizer;
import dev.llmtask.tool.Toolbox;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The tools of the examples' {@code RotationAgent} (a client the starter registers with the others):
 * the rotation job service, actions once per key (in memory here; {@code JdbcActionStore} across
 * instances) and the authorizer, which allows rotation windows of at most 30 days.
 */
@Configuration(proxyBeanMethods = false)
class RotationToolsConfiguration {

  @Bean
  RotationJobs rotationJobs() {
    return new RotationJobs(Duration.ofMillis(50));
  }

  /** The starter gives a {@code Toolbox} bean to the runtime it builds. */
  @Bean
  Toolbox rotationTools(RotationJobs jobs) {
    return Toolbox.builder()
        .add(RotationTools.class, jobs::create)
        .actions(IdempotentActions.using(new InMemoryActionStore()))
        .authorizer(request -> request.arguments() instanceof JobRequest job && job.rotationWindowDays() <= 30
            ? ToolAuthorizer.Decision.allow()
            : ToolAuthorizer.Decision.deny("rotation windows over 30 days need a change ticket"))
        .build();
  }
}
