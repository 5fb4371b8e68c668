package dev.llmtask.processor.model;

import java.util.Map;
import java.util.Set;
import javax.lang.model.type.TypeMirror;

/**
 * A task's answer type: how it is decoded and what its JSON looks like.
 *
 * @param kind how the answer sits in the root JSON object
 * @param resultType the task's value type {@code T} (boxed when primitive)
 * @param decodeType the class passed to the decoder: the record, the wrapped type, or the list element
 * @param root the root record's slot ({@link Kind#RECORD}), the {@code value} slot ({@link Kind#WRAPPED})
 *     or the {@code items} slot ({@link Kind#LIST})
 * @param records every record reachable from the answer, by qualified name, in discovery order
 * @param recursive the records that reference themselves directly or indirectly
 * @param definitions the records written once under {@code $defs} and referenced with {@code $ref}: the
 *     recursive ones and those used in more than one place, in discovery order
 * @param checks the answer's Bean Validation constraints written out as code, or null when Hibernate
 *     Validator checks them at run time (or the answer is not a record or a list of records)
 */
public record OutputModel(
    Kind kind,
    TypeMirror resultType,
    TypeMirror decodeType,
    Slot root,
    Map<String, RecordDef> records,
    Set<String> recursive,
    Set<String> definitions,
    AnswerChecks checks) {

  /** The root property name of wrapped answers ({@code String}, enums, numbers, booleans). */
  public static final String VALUE_PROPERTY = "value";
  /** The root property name of list answers. */
  public static final String ITEMS_PROPERTY = "items";

  /** How the answer sits in the root object the providers require. */
  public enum Kind {
    /** The record is the root object. */
    RECORD,
    /** {@code {"value": …}}. */
    WRAPPED,
    /** {@code {"items": [ … ]}}. */
    LIST
  }
}
