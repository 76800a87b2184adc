package io.appenv.operator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * fabric8's serialization, with the objects it reads made smaller for the informers' caches, which
 * hold every object of every environment (docs/benchmarks.md, "Scale": at 1,000 environments they
 * were most of the live heap):
 *
 * <ul>
 *   <li>every string value is interned: most repeat from object to object (label values, names,
 *       images, ports, probe paths), 1.25 million strings were 237,000. Field names and map keys
 *       are interned by Jackson already.
 *   <li>a Kubernetes model object read without unknown fields shares one empty, immutable map of
 *       them instead of an empty LinkedHashMap each (475,000 of them). GenericKubernetesResource
 *       keeps its own: all its fields are in that map, and users set them.
 * </ul>
 *
 * The objects read are equal to those of the default serialization.
 */
public final class CompactObjects extends SimpleModule {
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  public CompactObjects() {
    super("appenv-compact-objects");
    addDeserializer(String.class, new InternedString());
    setDeserializerModifier(new SharedEmptyAdditionalProperties());
  }

  /** The operator's client: fabric8's, reading with this module. */
  public static KubernetesClientBuilder clientBuilder() {
    return new KubernetesClientBuilder().withKubernetesSerialization(kubernetesSerialization());
  }

  /** fabric8's serialization, as it is by default, with this module. */
  public static KubernetesSerialization kubernetesSerialization() {
    return new KubernetesSerialization(
        new ObjectMapper().registerModule(new CompactObjects()), true);
  }

  private static final class InternedString extends StdScalarDeserializer<String> {
    InternedString() {
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

  private static final class SharedEmptyAdditionalProperties extends BeanDeserializerModifier {
    @Override
    public JsonDeserializer<?> modifyDeserializer(
        DeserializationConfig config,
        BeanDescription description,
        JsonDeserializer<?> deserializer) {
      Class<?> type = description.getBeanClass();
      if (!type.getPackageName().startsWith(MODEL_PACKAGE)
          || GenericKubernetesResource.class.isAssignableFrom(type)) {
        return deserializer;
      }
      try {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        return new WithSharedEmptyMap(
            deserializer,
            lookup.findVirtual(type, "getAdditionalProperties", MethodType.methodType(Map.class)),
            lookup.findVirtual(
                type, "setAdditionalProperties", MethodType.methodType(void.class, Map.class)));
      } catch (NoSuchMethodException | IllegalAccessException noAdditionalProperties) {
        return deserializer;
      }
    }
  }

  private static final class WithSharedEmptyMap extends DelegatingDeserializer {
    private final MethodHandle getter;
    private final MethodHandle setter;

    WithSharedEmptyMap(JsonDeserializer<?> delegate, MethodHandle getter, MethodHandle setter) {
      super(delegate);
      this.getter = getter;
      this.setter = setter;
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
      return new WithSharedEmptyMap(newDelegatee, getter, setter);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      return shareEmptyMap(super.deserialize(parser, context));
    }

    @Override
    public Object deserializeWithType(
        JsonParser parser, DeserializationContext context, TypeDeserializer types)
        throws IOException {
      return shareEmptyMap(super.deserializeWithType(parser, context, types));
    }

    private Object shareEmptyMap(Object bean) {
      if (bean == null) {
        return null;
      }
      try {
        Map<?, ?> additional = (Map<?, ?>) getter.invoke(bean);
        if (additional != null && additional.isEmpty()) {
          setter.invoke(bean, Map.of());
        }
        return bean;
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
