package dev.llmtask;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages form layers: no package cycles (edges into the root package aside, whose
 * value types every layer uses while {@link LlmRuntime} sits on top), and no public package shows
 * an {@code internal} type in a public or protected signature.
 */
class PackageLayeringTest {
  private static final String ROOT = "dev.llmtask";
  private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.llmtask[\\w.]*)\\s+->\\s+(dev\\.llmtask[\\w.]*)\\s+\\S+\\s*$");

  @Test
  void thePackageGraphHasNoCycleOutsideTheRootPackage() throws Exception {
    Map<String, Set<String>> graph = packageGraph(classesDir());
    assertThat(graph).as("jdeps found the runtime's packages").containsKeys(ROOT + ".codegen", ROOT + ".spi");

    List<String> cycle = findCycle(graph);

    assertThat(cycle).as("a package cycle (edges into %s ignored): %s", ROOT, String.join(" -> ", cycle)).isEmpty();
  }

  @Test
  void theCycleFinderNamesACycle() {
    Map<String, Set<String>> graph = new TreeMap<>();
    graph.put("a", Set.of("b"));
    graph.put("b", Set.of("c", ROOT));
    graph.put("c", Set.of("a"));
    graph.put(ROOT, Set.of("a"));

    assertThat(findCycle(graph)).containsExactly("a", "b", "c", "a");
    graph.put("c", Set.of(ROOT));
    assertThat(findCycle(graph)).as("edges into the root package are ignored").isEmpty();
  }

  @Test
  void noPublicPackageShowsAnInternalType() throws Exception {
    List<String> leaks = new ArrayList<>();
    int checked = 0;
    for (String className : classNames(classesDir())) {
      String pkg = className.substring(0, className.lastIndexOf('.'));
      if (pkg.startsWith(ROOT + ".internal")) {
        continue;
      }
      Class<?> type = Class.forName(className, false, getClass().getClassLoader());
      if (!isVisible(type)) {
        continue;
      }
      checked++;
      leaks.addAll(internalTypesIn(type));
    }

    assertThat(checked).as("public classes checked").isGreaterThan(20);
    assertThat(leaks).as("public signatures that name an internal type").isEmpty();
  }

  /** {@code pkg -> the runtime packages it uses}, self-edges dropped, from {@code jdeps -verbose:package}. */
  static Map<String, Set<String>> packageGraph(Path classes) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps")
        .orElseThrow(() -> new IllegalStateException("jdeps is not available: run the tests on a JDK, not a JRE"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = jdeps.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        "-verbose:package", "-filter:none", classes.toString());
    String report = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as("jdeps exit status; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String line : report.split("\\R")) {
      Matcher m = EDGE.matcher(line);
      if (m.matches()) {
        graph.computeIfAbsent(m.group(1), k -> new TreeSet<>());
        if (!m.group(1).equals(m.group(2))) {
          graph.get(m.group(1)).add(m.group(2));
        }
      }
    }
    return graph;
  }

  /** The first cycle found, as its packages with the first repeated at the end; empty when none. */
  static List<String> findCycle(Map<String, Set<String>> graph) {
    Set<String> done = new HashSet<>();
    for (String start : graph.keySet()) {
      List<String> cycle = cycleFrom(start, graph, done, new ArrayDeque<>(), new HashSet<>());
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    return List.of();
  }

  private static List<String> cycleFrom(String node, Map<String, Set<String>> graph, Set<String> done, Deque<String> path,
      Set<String> onPath) {
    if (onPath.contains(node)) {
      List<String> cycle = new ArrayList<>();
      boolean in = false;
      for (String p : (Iterable<String>) path::descendingIterator) {
        in |= p.equals(node);
        if (in) {
          cycle.add(p);
        }
      }
      cycle.add(node);
      return cycle;
    }
    if (!done.add(node)) {
      return List.of();
    }
    path.push(node);
    onPath.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (next.equals(ROOT)) {
        continue; // the root's value types are used by every layer
      }
      List<String> cycle = cycleFrom(next, graph, done, path, onPath);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.pop();
    onPath.remove(node);
    return List.of();
  }

  private static Path classesDir() throws URISyntaxException {
    return Path.of(LlmRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static List<String> classNames(Path classes) throws IOException {
    try (Stream<Path> files = Files.walk(classes)) {
      return files.map(classes::relativize).map(Path::toString)
          .filter(name -> name.endsWith(".class") && !name.endsWith("module-info.class") && !name.endsWith("package-info.class"))
          .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
          .sorted().toList();
    }
  }

  /** Public, or protected, and so is every class enclosing it. */
  private static boolean isVisible(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
      int m = c.getModifiers();
      if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic() || !(Modifier.isPublic(m) || Modifier.isProtected(m))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> internalTypesIn(Class<?> type) {
    List<String> leaks = new ArrayList<>();
    check(leaks, type.getName() + " extends", type.getGenericSuperclass());
    for (Type t : type.getGenericInterfaces()) {
      check(leaks, type.getName() + " implements", t);
    }
    for (TypeVariable<?> v : type.getTypeParameters()) {
      check(leaks, type.getName() + " <" + v.getName() + ">", v);
    }
    for (Field f : type.getDeclaredFields()) {
      if (exposed(f.getModifiers()) && !f.isSynthetic()) {
        check(leaks, type.getName() + "." + f.getName(), f.getGenericType());
      }
    }
    List<Executable> members = new ArrayList<>(List.of(type.getDeclaredMethods()));
    members.addAll(List.<Constructor<?>>of(type.getDeclaredConstructors()));
    for (Executable e : members) {
      if (!exposed(e.getModifiers()) || e.isSynthetic() || (e instanceof Method m && m.isBridge())) {
        continue;
      }
      String where = type.getName() + "#" + e.getName();
      if (e instanceof Method m) {
        check(leaks, where + " returns", m.getGenericReturnType());
      }
      for (Type p : e.getGenericParameterTypes()) {
        check(leaks, where + " takes", p);
      }
      for (Type x : e.getGenericExceptionTypes()) {
        check(leaks, where + " throws", x);
      }
      for (TypeVariable<?> v : e.getTypeParameters()) {
        check(leaks, where + " <" + v.getName() + ">", v);
      }
    }
    return leaks;
  }

  private static boolean exposed(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void check(List<String> leaks, String where, Type type) {
    collect(type, new HashSet<>()).stream()
        .filter(c -> c.getPackageName().startsWith(ROOT + ".internal"))
        .forEach(c -> leaks.add(where + " " + c.getName()));
  }

  /** Every class a (possibly generic) type names. */
  private static Set<Class<?>> collect(Type type, Set<Type> seen) {
    Set<Class<?>> found = new HashSet<>();
    if (type == null || !seen.add(type)) {
      return found;
    }
    if (type instanceof Class<?> c) {
      Class<?> element = c;
      while (element.isArray()) {
        element = element.getComponentType();
      }
      found.add(element);
    } else if (type instanceof ParameterizedType p) {
      found.addAll(collect(p.getRawType(), seen));
      for (Type a : p.getActualTypeArguments()) {
        found.addAll(collect(a, seen));
      }
    } else if (type instanceof GenericArrayType a) {
      found.addAll(collect(a.getGenericComponentType(), seen));
    } else if (type instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        found.addAll(collect(b, seen));
      }
      for (Type b : w.getLowerBounds()) {
        found.addAll(collect(b, seen));
      }
    } else if (type instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        found.addAll(collect(b, seen));
      }
    }
    return found;
  }
}
