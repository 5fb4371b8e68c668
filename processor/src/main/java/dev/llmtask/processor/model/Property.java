package dev.llmtask.processor.model;

import javax.lang.model.element.Element;

/**
 * A record component as a JSON property: its wire name and its slot.
 *
 * @param source the record component (as its field, which javac can locate in the source), when it is compiled
 *     from source in this compilation: problems with it are reported there; else null, and they are reported on
 *     the task method
 */
public record Property(String jsonName, Slot slot, Element source) {}
