package io.appenv.operator.informers;

import io.appenv.operator.names.FieldManager;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Map;

/**
 * The informers' cache of the operator's objects, with only the managedFields entry the operator
 * reads: its own server-side apply (JOSDK's SSA matcher compares the desired state with the fields
 * of that entry). The others (the controller-manager's status updates, kubectl's edits) are never
 * read. The kept entry's field set is stored as immutable maps with shared keys: fabric8 reads it
 * as a tree of LinkedHashMaps, one per field path, and at 1,000 environments those trees were most
 * of the heap (docs/benchmarks.md).
 */
public class OwnFieldsItemStore<R extends HasMetadata> extends BasicItemStore<R> {
  private static final String APPLY = "Apply";

  public OwnFieldsItemStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public R put(String key, R obj) {
    List<ManagedFieldsEntry> fields = obj.getMetadata().getManagedFields();
    if (fields != null && !fields.isEmpty()) {
      obj.getMetadata()
          .setManagedFields(
              fields.stream()
                  .filter(
                      f ->
                          FieldManager.APPENV.equals(f.getManager())
                              && APPLY.equals(f.getOperation()))
                  .map(OwnFieldsItemStore::compact)
                  .toList());
    }
    return super.put(key, obj);
  }

  private static ManagedFieldsEntry compact(ManagedFieldsEntry entry) {
    FieldsV1 fields = entry.getFieldsV1();
    if (fields != null && fields.getAdditionalProperties() != null) {
      fields.setAdditionalProperties(compact(fields.getAdditionalProperties()));
    }
    return entry;
  }

  /**
   * The same tree as immutable maps; field names ("f:spec") are shared, list keys ("k:{...}") are
   * not.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> compact(Map<String, Object> tree) {
    if (tree.isEmpty()) {
      return Map.of();
    }
    @SuppressWarnings("rawtypes")
    Map.Entry[] entries = new Map.Entry[tree.size()];
    int i = 0;
    for (Map.Entry<String, Object> e : tree.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        return tree; // not a field set as the API server writes it: kept as it came
      }
      String name =
          e.getKey().startsWith("f:") || ".".equals(e.getKey()) ? e.getKey().intern() : e.getKey();
      Object value =
          e.getValue() instanceof Map<?, ?> child
              ? compact((Map<String, Object>) child)
              : e.getValue();
      entries[i++] = Map.entry(name, value);
    }
    return Map.ofEntries(entries);
  }
}
