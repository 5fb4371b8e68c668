package dev.llmtask.processor.write;

import dev.llmtask.processor.model.TaskInterfaceModel;
import dev.llmtask.processor.model.TaskMethodModel;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import javax.annotation.processing.Filer;
import javax.lang.model.util.Elements;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes the index entry of one generated client: the resource {@code META-INF/llmtask/clients/<interface
 * binary name>}: its first line the implementation's binary name, then one line per task name
 * ({@code decide_rotation}), read by the container integrations
 * (Spring Boot starter, CDI extension) instead of scanning the class path.
 *
 * <p>One resource per interface, with that interface as its only originating element, keeps the
 * processor isolating for Gradle: an edit or a deletion of one interface touches only its own entry,
 * and no entry written in an earlier round or an earlier compilation ever needs merging.
 */
public final class ClientIndexWriter {
  /** The folder of the index; must match {@code dev.llmtask.codegen.GeneratedClients#INDEX}. */
  public static final String INDEX = "META-INF/llmtask/clients/";

  private final Elements elements;

  public ClientIndexWriter(Elements elements) {
    this.elements = elements;
  }

  public void write(TaskInterfaceModel model, Filer filer) throws IOException {
    String iface = elements.getBinaryName(model.element()).toString();
    String impl = (model.packageName().isEmpty() ? "" : model.packageName() + ".") + model.generatedSimpleName();
    FileObject entry = filer.createResource(StandardLocation.CLASS_OUTPUT, "", INDEX + iface, model.element());
    try (Writer out = new OutputStreamWriter(entry.openOutputStream(), StandardCharsets.UTF_8)) {
      out.write(impl + "\n");
      for (TaskMethodModel task : model.tasks()) {
        out.write(task.taskName() + "\n");
      }
    }
  }
}
