package dev.cast.api.db;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jdbi.v3.core.qualifier.Qualifier;

/**
 * Marks a row field whose column holds JSON text: {@link JsonColumns} reads it into the field's
 * type and writes it back as JSON, so no DAO or resource parses a column by hand. On a record
 * component it applies to the constructor parameter (reads) and the accessor (writes with {@code
 * bindMethods}).
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.PARAMETER,
  ElementType.METHOD,
  ElementType.FIELD,
  ElementType.RECORD_COMPONENT
})
public @interface JsonColumn {}
