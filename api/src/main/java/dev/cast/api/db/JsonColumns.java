package dev.cast.api.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Type;
import java.sql.Types;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.QualifiedArgumentFactory;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.mapper.QualifiedColumnMapperFactory;
import org.jdbi.v3.core.qualifier.QualifiedType;
import org.jdbi.v3.core.statement.UnableToCreateStatementException;

/**
 * The catalog's JSON-in-a-text-column mapping, for fields marked {@link JsonColumn}: a column is
 * read into the field's declared type (e.g. {@code List<String>}, {@code Map<String, Integer>}),
 * and a value bound as one is written as JSON text. SQL NULL and null stay null.
 */
public final class JsonColumns {
  private JsonColumns() {}

  /** Lets {@code jdbi} read and write {@link JsonColumn} fields with {@code json}. */
  public static void install(Jdbi jdbi, ObjectMapper json) {
    jdbi.registerColumnMapper(mappers(json));
    jdbi.registerArgument(arguments(json));
  }

  private static QualifiedColumnMapperFactory mappers(ObjectMapper json) {
    return (QualifiedType<?> type, ConfigRegistry config) -> {
      if (!type.hasQualifier(JsonColumn.class)) {
        return Optional.empty();
      }
      JavaType target = json.getTypeFactory().constructType(type.getType());
      ColumnMapper<Object> mapper =
          (rs, column, ctx) -> {
            String text = rs.getString(column);
            if (text == null) {
              return null;
            }
            try {
              return json.readValue(text, target);
            } catch (JsonProcessingException e) {
              throw new IllegalStateException(
                  "column "
                      + rs.getMetaData().getColumnName(column)
                      + " does not hold JSON of "
                      + target
                      + ": "
                      + e.getOriginalMessage(),
                  e);
            }
          };
      return Optional.of(mapper);
    };
  }

  private static QualifiedArgumentFactory arguments(ObjectMapper json) {
    return (QualifiedType<?> type, Object value, ConfigRegistry config) -> {
      if (!type.hasQualifier(JsonColumn.class)) {
        return Optional.empty();
      }
      Argument argument =
          (position, statement, ctx) -> {
            if (value == null) {
              statement.setNull(position, Types.VARCHAR);
              return;
            }
            try {
              statement.setString(position, json.writeValueAsString(value));
            } catch (JsonProcessingException e) {
              throw new UnableToCreateStatementException(e, ctx);
            }
          };
      return Optional.of(argument);
    };
  }

  /** The qualified type to bind a value of {@code type} as JSON with {@code bindByType}. */
  public static QualifiedType<?> of(Type type) {
    return QualifiedType.of(type).with(JsonColumn.class);
  }
}
