package dev.llmtask.processor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;

/**
 * Runs {@link LlmTaskProcessor} and records the names of the source files it creates, which
 * compile-testing does not expose when the compilation has errors.
 */
final class RecordingProcessor extends AbstractProcessor {
  final List<String> createdSources = new ArrayList<>();
  /** Per created source file, the originating elements the processor gave the Filer. */
  final Map<String, List<String>> originatingElements = new java.util.LinkedHashMap<>();
  /** Per resource created through the Filer, the originating elements the processor gave it. */
  final Map<String, List<String>> createdResources = new java.util.LinkedHashMap<>();
  private final LlmTaskProcessor delegate = new LlmTaskProcessor();

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    Filer filer = env.getFiler();
    Filer recording = new Filer() {
      @Override
      public JavaFileObject createSourceFile(CharSequence name, Element... originatingElements) throws IOException {
        createdSources.add(name.toString());
        RecordingProcessor.this.originatingElements.put(name.toString(), java.util.Arrays.stream(originatingElements)
            .map(e -> e.getKind() + " " + e).toList());
        return filer.createSourceFile(name, originatingElements);
      }

      @Override
      public JavaFileObject createClassFile(CharSequence name, Element... originatingElements) throws IOException {
        return filer.createClassFile(name, originatingElements);
      }

      @Override
      public FileObject createResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
          CharSequence relativeName, Element... originatingElements) throws IOException {
        createdResources.put(relativeName.toString(), java.util.Arrays.stream(originatingElements)
            .map(e -> e.getKind() + " " + e).toList());
        return filer.createResource(location, moduleAndPkg, relativeName, originatingElements);
      }

      @Override
      public FileObject getResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
          CharSequence relativeName) throws IOException {
        return filer.getResource(location, moduleAndPkg, relativeName);
      }
    };
    delegate.init(new ProcessingEnvironment() {
      @Override
      public Map<String, String> getOptions() {
        return env.getOptions();
      }

      @Override
      public Messager getMessager() {
        return env.getMessager();
      }

      @Override
      public Filer getFiler() {
        return recording;
      }

      @Override
      public Elements getElementUtils() {
        return env.getElementUtils();
      }

      @Override
      public Types getTypeUtils() {
        return env.getTypeUtils();
      }

      @Override
      public SourceVersion getSourceVersion() {
        return env.getSourceVersion();
      }

      @Override
      public Locale getLocale() {
        return env.getLocale();
      }
    });
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return delegate.getSupportedAnnotationTypes();
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return delegate.getSupportedSourceVersion();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    return delegate.process(annotations, round);
  }
}
