package dev.cast.api.openapi;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The api's JSON writes null for an absent value of a DTO (a deployment's {@code cause}, a host's
 * {@code freeDiskBytes}), so a property of a reference type is also {@code null} in the contract,
 * and one of a primitive type is always there: required.
 */
final class NullableProperties implements ModelConverter {
  private static boolean installed;

  /** The schemas this converter made nullable (by identity). */
  private final Set<Schema<?>> madeNullable = Collections.newSetFromMap(new IdentityHashMap<>());

  static synchronized void install() {
    if (!installed) {
      ModelConverters.getInstance(true).addConverter(new NullableProperties());
      installed = true;
    }
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Schema resolve(
      AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
    if (!chain.hasNext()) {
      return null;
    }
    Schema schema = chain.next().resolve(type, context, chain);
    if (schema == null || !type.isSchemaProperty() || type.getType() == null) {
      return schema;
    }
    JavaType java = TypeFactory.defaultInstance().constructType(type.getType());
    if (java.isPrimitive()) {
      return schema;
    }
    if (java.isContainerType()) {
      // A list's items and a map's values are never null: the api writes none, and takes none.
      if (schema.getItems() != null) {
        schema.setItems(notNull(schema.getItems()));
      }
      if (schema.getAdditionalProperties() instanceof Schema<?> values) {
        schema.setAdditionalProperties(notNull(values));
      }
    }
    String ref = schema.get$ref();
    if (ref == null && schema.getName() != null && schema.getProperties() != null) {
      // A model: the property refers to it, and the model itself stays as it is.
      ref = "#/components/schemas/" + schema.getName();
    }
    if (ref != null) {
      Schema either = new Schema<>();
      either.setAnyOf(new ArrayList<>(List.of(new Schema<>().$ref(ref), nullSchema())));
      madeNullable.add(either);
      return either;
    }
    if (schema.getTypes() != null && !schema.getTypes().isEmpty()) {
      schema.addType("null");
      madeNullable.add(schema);
    }
    return schema;
  }

  /** Undoes what this converter did; a null an annotation allows stays. */
  @SuppressWarnings("rawtypes")
  private Schema notNull(Schema<?> schema) {
    if (!madeNullable.contains(schema)) {
      return schema;
    }
    if (schema.getAnyOf() != null && schema.getAnyOf().size() == 2) {
      return schema.getAnyOf().get(0);
    }
    if (schema.getTypes() != null && schema.getTypes().size() > 1) {
      schema.getTypes().remove("null");
    }
    return schema;
  }

  private static Schema<?> nullSchema() {
    Schema<?> none = new Schema<>();
    none.addType("null");
    return none;
  }

  /**
   * Settles each component schema's properties: one marked required ({@code requiredMode =
   * REQUIRED}, which the api refuses null) is not nullable, and one that is not nullable (a
   * primitive) is required.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static void settle(Map<String, Schema> schemas) {
    for (Schema<?> schema : schemas.values()) {
      if (schema.getProperties() == null) {
        continue;
      }
      List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
      for (Map.Entry<String, Schema> e : schema.getProperties().entrySet()) {
        Schema property = e.getValue();
        if (required.contains(e.getKey())) {
          if (property.getAnyOf() != null && property.getAnyOf().size() == 2) {
            e.setValue((Schema) property.getAnyOf().get(0));
          } else if (property.getTypes() != null && property.getTypes().size() > 1) {
            property.getTypes().remove("null");
          }
        } else if (!nullable(property)) {
          schema.addRequiredItem(e.getKey());
        }
      }
    }
  }

  private static boolean nullable(Schema<?> property) {
    return (property.getTypes() != null && property.getTypes().contains("null"))
        || property.getAnyOf() != null
        || (property.getTypes() == null && property.get$ref() == null);
  }
}
