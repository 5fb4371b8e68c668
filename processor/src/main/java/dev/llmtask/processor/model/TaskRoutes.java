package dev.llmtask.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;

/**
 * A task method's routes and sampling settings as its {@code @LlmTask} (or its interface's) writes them:
 * each attribute is the method's when written there, else the interface's, else absent.
 *
 * @param fallbacks the fallback routes, {@code provider/model}
 * @param fallbackOn the names of the {@code CallStatus} values that trigger a fallback
 */
public record TaskRoutes(
    Attr<List<String>> fallbacks,
    Attr<List<String>> fallbackOn,
    Attr<Double> temperature,
    Attr<Double> topP,
    Attr<Integer> maxOutputTokens,
    Attr<Long> seed,
    Attr<List<String>> stop) {

  /** Whether any sampling setting is written. */
  public boolean hasSampling() {
    return temperature.present() || topP.present() || maxOutputTokens.present() || seed.present() || stop.present();
  }

  /** Reads the attributes of {@code method}'s {@code @LlmTask}, inheriting from its interface's. */
  public static TaskRoutes read(Annotations annotations, ExecutableElement method) {
    Element iface = method.getEnclosingElement();
    Optional<AnnotationMirror> own = annotations.find(method, Names.LLM_TASK);
    Optional<AnnotationMirror> inherited = annotations.find(iface, Names.LLM_TASK);
    Reader r = new Reader(annotations, method, own, iface, inherited);
    return new TaskRoutes(r.list("fallbacks"), r.list("fallbackOn"), r.number("temperature", Double.class),
        r.number("topP", Double.class), r.number("maxOutputTokens", Integer.class), r.number("seed", Long.class),
        r.list("stop"));
  }

  private record Reader(Annotations annotations, Element method, Optional<AnnotationMirror> own, Element iface,
      Optional<AnnotationMirror> inherited) {

    <V> Attr<V> find(String attribute, java.util.function.Function<AnnotationValue, V> value) {
      for (int i = 0; i < 2; i++) {
        Optional<AnnotationMirror> mirror = i == 0 ? own : inherited;
        Element owner = i == 0 ? method : iface;
        if (mirror.isPresent()) {
          AnnotationValue v = annotations.explicitValue(mirror.get(), attribute);
          V read = v == null ? null : value.apply(v);
          if (read != null) {
            return new Attr<>(read, owner, mirror.get(), v);
          }
        }
      }
      return Attr.absent();
    }

    /** A written array: its strings, or the names of its enum constants; absent when empty. */
    Attr<List<String>> list(String attribute) {
      return find(attribute, v -> {
        if (!(v.getValue() instanceof List<?> items) || items.isEmpty()) {
          return null;
        }
        List<String> out = new ArrayList<>(items.size());
        for (Object item : items) {
          Object x = ((AnnotationValue) item).getValue();
          out.add(x instanceof VariableElement constant ? constant.getSimpleName().toString() : String.valueOf(x));
        }
        return List.copyOf(out);
      });
    }

    /** A written number other than -1 (which inherits). */
    <N extends Number> Attr<N> number(String attribute, Class<N> type) {
      return find(attribute, v -> type.isInstance(v.getValue()) && ((Number) v.getValue()).doubleValue() != -1
          ? type.cast(v.getValue()) : null);
    }
  }
}
