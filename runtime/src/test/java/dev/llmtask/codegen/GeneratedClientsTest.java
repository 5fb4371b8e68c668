package dev.llmtask.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedClientsTest {
  @TempDir
  Path dir;

  private Path classFolder(String name, String... entries) throws IOException {
    Path index = dir.resolve(name).resolve(GeneratedClients.INDEX);
    Files.createDirectories(index);
    for (int i = 0; i < entries.length; i += 2) {
      Files.writeString(index.resolve(entries[i]), entries[i + 1] + "\n");
    }
    return dir.resolve(name);
  }

  private Path jar(String name, String... entries) throws IOException {
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String folder : List.of("META-INF/", "META-INF/llmtask/", GeneratedClients.INDEX)) {
        out.putNextEntry(new JarEntry(folder));
        out.closeEntry();
      }
      for (int i = 0; i < entries.length; i += 2) {
        out.putNextEntry(new JarEntry(GeneratedClients.INDEX + entries[i]));
        OutputStream body = out;
        body.write((entries[i + 1] + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }

  private static URLClassLoader loader(Path... roots) throws IOException {
    URL[] urls = new URL[roots.length];
    for (int i = 0; i < roots.length; i++) {
      urls[i] = roots[i].toUri().toURL();
    }
    return new URLClassLoader(urls, GeneratedClientsTest.class.getClassLoader());
  }

  @Test
  void readsTheEntriesOfClassFoldersAndJarsSortedAndFirstRootWins() throws IOException {
    Path folder = classFolder("classes", "java.lang.Runnable", "java.lang.Thread\nrun_task\nother_task");
    Path jar = jar("lib.jar", "java.util.concurrent.Callable", "java.util.concurrent.FutureTask",
        "java.lang.Runnable", "java.lang.Object");
    try (URLClassLoader loader = loader(folder, jar)) {
      assertThat(GeneratedClients.read(loader)).containsExactly(
          new GeneratedClients.Entry("java.lang.Runnable", "java.lang.Thread", List.of("run_task", "other_task")),
          new GeneratedClients.Entry("java.util.concurrent.Callable", "java.util.concurrent.FutureTask", List.of()));
    }
  }

  @Test
  void noIndexIsNoClients() throws IOException {
    Files.createDirectories(dir.resolve("empty"));
    try (URLClassLoader loader = loader(dir.resolve("empty"))) {
      assertThat(GeneratedClients.read(loader)).isEmpty();
    }
  }

  @Test
  void aStaleEntryFailsNamingItAndWhatToDo() throws IOException {
    try (URLClassLoader loader = loader(classFolder("stale", "com.example.Gone", "com.example.Gone_LlmTask"))) {
      assertThatThrownBy(() -> GeneratedClients.implementations(loader))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(GeneratedClients.INDEX + "com.example.Gone")
          .hasMessageContaining("mvn clean compile");
    }
  }

  @Test
  void anEntryWhoseClassDoesNotImplementTheInterfaceFails() throws IOException {
    try (URLClassLoader loader = loader(classFolder("wrong", "java.lang.Runnable", "java.lang.String"))) {
      assertThatThrownBy(() -> GeneratedClients.implementations(loader))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("java.lang.String, which does not implement it");
    }
  }
}
