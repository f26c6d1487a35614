package io.pmemkit;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/*
 * PersistentMap.asMap(K, V): the map seen as a Map<K, V>. Everything goes
 * to the PersistentMap (so the transactions and the values returned are
 * its own); what comes back is converted with Containers.as, what goes in
 * is checked as Collections.checkedMap does.
 */
final class TypedMap<K, V> extends AbstractMap<K, V> {
    private final PersistentMap map;
    private final Class<K> keyType;
    private final Class<V> valueType;

    TypedMap(PersistentMap map, Class<K> keyType, Class<V> valueType) {
        Containers.checkViewType(valueType);
        this.map = map;
        this.keyType = Objects.requireNonNull(keyType);
        this.valueType = Objects.requireNonNull(valueType);
    }

    /* the container seen */
    PersistentMap persistent() {
        return map;
    }

    private K key(Object k) {
        return Containers.as(keyType, k);
    }

    private V val(Object v) {
        return Containers.as(valueType, v);
    }

    /* what a caller of raw types may pass */
    private static <T> T given(Class<T> type, Object o) {
        if (o != null && !type.isInstance(o))
            throw new ClassCastException("pmemkit: a " + o.getClass().getName() + " given for a " + type.getName());
        return type.cast(o);
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public boolean containsKey(Object k) {
        return map.containsKey(k);
    }

    @Override
    public boolean containsValue(Object v) {
        return map.containsValue(v);
    }

    @Override
    public V get(Object k) {
        return val(map.get(k));
    }

    @Override
    public V getOrDefault(Object k, V dflt) {
        return val(map.getOrDefault(k, dflt));
    }

    @Override
    public V put(K k, V v) {
        return val(map.put(given(keyType, k), given(valueType, v)));
    }

    @Override
    public V remove(Object k) {
        return val(map.remove(k));
    }

    @Override
    public boolean remove(Object k, Object v) {
        return map.remove(k, v);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
            given(keyType, e.getKey());
            given(valueType, e.getValue());
        }
        map.putAll(m);
    }

    @Override
    public void clear() {
        map.clear();
    }

    @Override
    public V computeIfAbsent(K k, Function<? super K, ? extends V> fn) {
        Objects.requireNonNull(fn);
        return val(map.computeIfAbsent(given(keyType, k), x -> given(valueType, fn.apply(k))));
    }

    @Override
    public V computeIfPresent(K k, BiFunction<? super K, ? super V, ? extends V> fn) {
        Objects.requireNonNull(fn);
        return val(map.computeIfPresent(given(keyType, k), (x, old) -> given(valueType, fn.apply(k, val(old)))));
    }

    @Override
    public V compute(K k, BiFunction<? super K, ? super V, ? extends V> fn) {
        Objects.requireNonNull(fn);
        return val(map.compute(given(keyType, k), (x, old) -> given(valueType, fn.apply(k, val(old)))));
    }

    @Override
    public V merge(K k, V v, BiFunction<? super V, ? super V, ? extends V> fn) {
        Objects.requireNonNull(fn);
        return val(map.merge(given(keyType, k), given(valueType, v),
                (old, x) -> given(valueType, fn.apply(val(old), v))));
    }

    @Override
    public V putIfAbsent(K k, V v) {
        return val(map.putIfAbsent(given(keyType, k), given(valueType, v)));
    }

    @Override
    public V replace(K k, V v) {
        return val(map.replace(k, given(valueType, v)));
    }

    @Override
    public boolean replace(K k, V old, V v) {
        return map.replace(k, old, given(valueType, v));
    }

    @Override
    public String toString() {
        return map.toString();
    }

    private Map.Entry<K, V> entry(Map.Entry<Object, Object> e) {
        return new Map.Entry<K, V>() {
            private final K k = key(e.getKey());

            @Override
            public K getKey() {
                return k;
            }

            @Override
            public V getValue() {
                return val(e.getValue());
            }

            @Override
            public V setValue(V v) {
                return val(e.setValue(given(valueType, v)));
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Map.Entry<?, ?> x && Objects.equals(k, x.getKey())
                        && Objects.equals(getValue(), x.getValue());
            }

            @Override
            public int hashCode() {
                return Objects.hashCode(k) ^ Objects.hashCode(getValue());
            }

            @Override
            public String toString() {
                return k + "=" + getValue();
            }
        };
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<Object, Object>> entries = map.entrySet();
        return new View.AsSet<>(() -> View.map(entries.iterator(), this::entry), map::size, map::clear,
                p -> entries.removeIf(e -> p.test(entry(e))), null, null);
    }

    @Override
    public Set<K> keySet() {
        Set<Object> keys = map.keySet();
        return new View.AsSet<>(() -> View.map(keys.iterator(), this::key), map::size, map::clear,
                p -> keys.removeIf(k -> p.test(key(k))), keys::contains, keys::remove);
    }

    @Override
    public Collection<V> values() {
        Collection<Object> values = map.values();
        return new View<>(() -> View.map(values.iterator(), this::val), map::size, map::clear,
                p -> values.removeIf(v -> p.test(val(v))), values::contains, values::remove);
    }
}
