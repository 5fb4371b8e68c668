package dev.llmtask.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The index of generated clients that the llmtask processor writes: one resource
 * {@code META-INF/llmtask/clients/<interface binary name>} per {@code @LlmTask} interface: its first
 * line the binary name of the generated implementation, then one line per task name. Container integrations (the Spring Boot starter,
 * the CDI extension) read it to register every client without scanning the class path.
 *
 * <p>The index folder is listed in every class-path root that has one (a class folder or a jar;
 * jars keep their folder entries as Maven, Gradle and Spring Boot write them).
 */
public final class GeneratedClients {
  /** The folder, relative to a class-path root, that holds one entry per generated client. */
  public static final String INDEX = "META-INF/llmtask/clients/";

  private GeneratedClients() {}

  /** One generated client: the task interface and its implementation, by binary name, and its task names. */
  public record Entry(String taskInterface, String implementation, List<String> tasks) {
    public Entry {
      Objects.requireNonNull(taskInterface, "taskInterface");
      Objects.requireNonNull(implementation, "implementation");
      tasks = List.copyOf(tasks);
    }

    /** Loads both classes with {@code loader}; the implementation is checked to implement the interface. */
    public Class<?> load(ClassLoader loader) {
      try {
        Class<?> iface = Class.forName(taskInterface, false, loader);
        Class<?> impl = Class.forName(implementation, false, loader);
        if (!iface.isAssignableFrom(impl)) {
          throw new IllegalStateException("llmtask client index entry " + INDEX + taskInterface + " names "
              + implementation + ", which does not implement it: rebuild the module (mvn clean compile)");
        }
        return impl;
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("llmtask client index entry " + INDEX + taskInterface + " names a class that"
            + " is not on the class path (" + e.getMessage() + "): the entry is stale; rebuild the module"
            + " (mvn clean compile)", e);
      }
    }
  }

  /**
   * Every entry visible to {@code loader}, sorted by interface name; when two class-path roots hold an
   * entry for the same interface, the first root wins, as class loading would.
   */
  public static List<Entry> read(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    TreeMap<String, Entry> entries = new TreeMap<>();
    try {
      Enumeration<URL> roots = loader.getResources(INDEX.substring(0, INDEX.length() - 1));
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        for (String iface : list(root)) {
          if (!entries.containsKey(iface)) {
            entries.put(iface, entry(root, iface));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the llmtask client index " + INDEX, e);
    }
    return List.copyOf(entries.values());
  }

  /** The names in the index folder at {@code root}. */
  private static TreeSet<String> list(URL root) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    if ("file".equals(root.getProtocol())) {
      try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
        files.filter(Files::isRegularFile).forEach(f -> names.add(f.getFileName().toString()));
      } catch (URISyntaxException e) {
        throw new IOException("malformed class-path URL " + root, e);
      }
      return names;
    }
    URLConnection connection = root.openConnection();
    if (!(connection instanceof JarURLConnection jar)) {
      throw new IOException("cannot list the llmtask client index at " + root + ": only class folders and jars are"
          + " supported; register the clients yourself with LlmTasks.create(…)");
    }
    jar.setUseCaches(false);
    String prefix = jar.getEntryName() == null ? INDEX : jar.getEntryName().replaceAll("/?$", "/");
    try (JarFile file = jar.getJarFile()) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.startsWith(prefix) && name.length() > prefix.length() && name.indexOf('/', prefix.length()) < 0) {
          names.add(name.substring(prefix.length()));
        }
      }
    }
    return names;
  }

  private static Entry entry(URL root, String iface) throws IOException {
    URL entry = new URL(root.toString().replaceAll("/?$", "/") + iface);
    URLConnection connection = entry.openConnection();
    connection.setUseCaches(false);
    try (InputStream in = connection.getInputStream()) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty()).toList();
      if (lines.isEmpty()) {
        throw new IOException("llmtask client index entry " + entry + " is empty: rebuild the module");
      }
      return new Entry(iface, lines.get(0), lines.subList(1, lines.size()));
    }
  }

  /** Convenience for containers: every indexed implementation class, loaded with {@code loader}. */
  public static List<Class<?>> implementations(ClassLoader loader) {
    List<Class<?>> classes = new ArrayList<>();
    for (Entry e : read(loader)) {
      classes.add(e.load(loader));
    }
    return classes;
  }
}
