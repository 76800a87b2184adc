package io.appenv.operator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;

/**
 * Every string the client reads is interned. The informers cache the objects of every environment,
 * and most of their strings repeat: label values, names, images, ports, probe paths. At 1,000
 * environments they were 1.3 million strings, most of the live heap (docs/benchmarks.md, "Scale").
 * Field names and map keys are interned by Jackson already; this does the same for values.
 */
public final class InternedStrings extends SimpleModule {

  public InternedStrings() {
    super("appenv-interned-strings");
    addDeserializer(String.class, new Deserializer());
  }

  /** fabric8's serialization, as it is by default, with this module. */
  public static KubernetesSerialization kubernetesSerialization() {
    return new KubernetesSerialization(
        new ObjectMapper().registerModule(new InternedStrings()), true);
  }

  private static final class Deserializer extends StdScalarDeserializer<String> {
    Deserializer() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String value = StringDeserializer.instance.deserialize(parser, context);
      return value == null ? null : value.intern();
    }

    @Override
    public LogicalType logicalType() {
      return LogicalType.Textual;
    }
  }
}
