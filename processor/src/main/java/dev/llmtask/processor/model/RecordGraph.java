package dev.llmtask.processor.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the records of one answer reference each other: which reach themselves, and which are written once
 * under {@code $defs} rather than inlined.
 */
final class RecordGraph {
  private final Map<String, RecordDef> records;

  /** @param records every record of the answer, by qualified name, in discovery order */
  RecordGraph(Map<String, RecordDef> records) {
    this.records = records;
  }

  /** Records that reach themselves through their components. */
  Set<String> recursive() {
    Map<String, Set<String>> edges = new LinkedHashMap<>();
    for (RecordDef r : records.values()) {
      List<String> out = new ArrayList<>();
      for (Property p : r.properties()) {
        collectRefs(p.slot(), out);
      }
      edges.put(r.qualifiedName(), new LinkedHashSet<>(out));
    }
    Set<String> recursive = new LinkedHashSet<>();
    for (String start : edges.keySet()) {
      Deque<String> todo = new ArrayDeque<>(edges.get(start));
      Set<String> seen = new HashSet<>();
      while (!todo.isEmpty()) {
        String next = todo.pop();
        if (next.equals(start)) {
          recursive.add(start);
          break;
        }
        if (seen.add(next)) {
          todo.addAll(edges.getOrDefault(next, Set.of()));
        }
      }
    }
    return recursive;
  }

  /** The recursive records and those referenced from more than one place (the root counts as a place). */
  Set<String> definitions(Slot root, Set<String> recursive) {
    List<String> refs = new ArrayList<>();
    collectRefs(root, refs);
    for (RecordDef r : records.values()) {
      for (Property p : r.properties()) {
        collectRefs(p.slot(), refs);
      }
    }
    Set<String> definitions = new LinkedHashSet<>();
    for (String qn : records.keySet()) {
      if (recursive.contains(qn) || refs.stream().filter(qn::equals).count() > 1) {
        definitions.add(qn);
      }
    }
    return definitions;
  }

  private static void collectRefs(Slot slot, List<String> out) {
    if (slot.type() instanceof ValueType.Ref ref) {
      out.add(ref.qualifiedName());
    } else if (slot.type() instanceof ValueType.Array array) {
      collectRefs(array.items(), out);
    }
  }
}
