package dev.llmtask.processor.model;

import java.util.List;

/** A record used in an answer, as a JSON object. */
public record RecordDef(String qualifiedName, String simpleName, String description, List<Property> properties) {}
