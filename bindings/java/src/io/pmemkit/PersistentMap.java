package io.pmemkit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import static io.pmemkit.PmemkitRuntimeException.unchecked;

/**
 * A persistent map, in no particular order.
 *
 * <p>Keys are scalars: null, Boolean, Long (Integer, Short and Byte are
 * stored as Long), Double (Float as Double), String, byte[],
 * BigInteger, {@link Tuple} (a composite key, equal item by item as
 * numbers are) and any {@link Set} but a live {@link PersistentSet} (a
 * {@link FrozenSet} key, equal member by member). Equal numbers are one key: {@code true}, {@code 1L},
 * {@code 1} and {@code 1.0} are the same key, which keeps the type it was
 * first stored with; {@link #get}, {@link #containsKey} and
 * {@link #containsValue} find it from any of them. Integers read back as
 * Long, whatever they were stored from ({@link #asMap} and the typed
 * getters give other classes). Values are those, containers of the same
 * pool, and plain {@link Map}s (a {@link java.util.SortedMap} as a
 * {@link PersistentSortedMap}), {@link java.util.List}s, {@link Set}s (as sets; a
 * {@link FrozenSet} value is the frozen-set scalar) and
 * {@code long[]}, {@code int[]}, {@code short[]}, {@code double[]},
 * {@code float[]} arrays, which are stored as new containers (deeply, in
 * one transaction).
 *
 * <p>Every change is atomic and durable when it returns.
 * {@link #computeIfAbsent}, {@link #computeIfPresent}, {@link #compute},
 * {@link #merge}, {@link #putIfAbsent}, {@link #replace} and the views'
 * {@code removeIf} each run in one transaction, and the value
 * {@code compute...} and {@code merge} return is the one stored: for a
 * plain collection, the persistent container made of it, so that
 * {@code ((List) root.computeIfAbsent("tags", k -> new ArrayList<>())).add("x")}
 * stores "x". The values {@link #put}, {@link #remove} and
 * {@link #replace} return are plain copies when they are containers (the
 * container may be freed with its last reference). The methods of
 * {@link Map} throw {@link PmemkitRuntimeException} for pmemkit's
 * failures (see there for the JDK's exceptions it uses instead); the
 * {@code ...Checked} methods throw the checked {@link PmemkitException}s.
 * Iterators support {@code remove()}: the first one reads the keys the
 * iterator has still to give (the map's order may change when it
 * shrinks).
 */
public final class PersistentMap extends MapBase {
    private final Pool pool;
    private final NativeHandle<SWIGTYPE_p_pk_map> h;

    PersistentMap(Pool pool, SWIGTYPE_p_pk_map ptr) {
        this.pool = pool;
        this.h = pool.track(ptr, PmemkitNative::pk_map_close);
    }

    /** The pool the map lives in. */
    @Override
    public Pool pool() {
        return pool;
    }

    Object ref() throws PmemkitException {
        return h.call(PmemkitNative::pk_map_value);
    }

    // ---- checked --------------------------------------------------------

    /**
     * The value of a key.
     *
     * @throws NotFoundException when the map does not hold the key
     */
    @Override
    public Object getChecked(Object key) throws PmemkitException {
        Object[] out = new Object[1];
        h.run(m -> PmemkitNative.pk_map_get(out, m, key));
        return pool.wrap(out[0]);
    }

    /** Insert or replace the value of a key (without reading the old one). */
    @Override
    public void putChecked(Object key, Object value) throws PmemkitException {
        h.run(m -> pool.store(value, v -> PmemkitNative.pk_map_put(m, key, v)));
    }

    /**
     * Remove a key and its value.
     *
     * @throws NotFoundException when the map does not hold the key
     */
    @Override
    public void removeChecked(Object key) throws PmemkitException {
        h.run(m -> PmemkitNative.pk_map_remove(m, key));
    }

    /** Whether the map holds a key. */
    public boolean containsKeyChecked(Object key) throws PmemkitException {
        int[] out = new int[1];
        h.run(m -> PmemkitNative.pk_map_contains(out, m, key));
        return out[0] != 0;
    }

    /** The number of entries (a long: a map may hold more than Integer.MAX_VALUE). */
    public long length() throws PmemkitException {
        long[] out = new long[1];
        h.run(m -> PmemkitNative.pk_map_length(out, m));
        return out[0];
    }

    /** A plain copy: a LinkedHashMap, containers in it copied deeply. */
    public Map<Object, Object> toJava() throws PmemkitException {
        Map<Object, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : entrySet())
            copy.put(e.getKey(), Containers.plain(e.getValue()));
        return copy;
    }

    // ---- typed access ---------------------------------------------------

    /**
     * This map as a {@code Map<K, V>}: a view, without casts, whose keys
     * and values are converted as {@link #get(Object, Class)} does (so
     * {@code asMap(String.class, Integer.class)} reads Integers) and whose
     * methods check the classes of what they are given, as
     * {@link java.util.Collections#checkedMap} does. Containers are
     * {@code Map.class} and {@code List.class} values (the view's
     * {@code put} returns a plain copy of a replaced one).
     *
     * <pre>{@code
     * Map<String, List> tags = root.getMap("tags").asMap(String.class, List.class);
     * tags.computeIfAbsent("todo", k -> new ArrayList<>()).add("write docs");
     * }</pre>
     *
     * @throws IllegalArgumentException for PersistentMap.class and the
     *         other container classes as V: use Map.class or List.class
     */
    public <K, V> Map<K, V> asMap(Class<K> keyType, Class<V> valueType) {
        return new TypedMap<>(this, keyType, valueType);
    }

    // ---- java.util.Map --------------------------------------------------

    @Override
    public int size() {
        return unchecked(() -> Containers.size(length()));
    }

    @Override
    public boolean containsKey(Object key) {
        return unchecked(() -> containsKeyChecked(key));
    }

    /* the value of a key as the native layer gives it, or ABSENT */
    private Object lookupRaw(Object key) throws PmemkitException {
        Object[] out = new Object[1];
        try {
            h.run(m -> PmemkitNative.pk_map_get(out, m, key));
        } catch (NotFoundException e) {
            return ABSENT;
        }
        return out[0];
    }

    /* the value of a key, or ABSENT */
    @Override
    Object lookup(Object key) throws PmemkitException {
        Object v = lookupRaw(key);
        return v == ABSENT ? v : pool.wrap(v);
    }

    /** Remove every entry and give the space back to the pool. */
    @Override
    public void clear() {
        unchecked(() -> {
            h.run(PmemkitNative::pk_map_clear);
            return null;
        });
    }

    /** The entries, or {@code PersistentMap[closed]} once the pool is closed. */
    @Override
    public String toString() {
        return Containers.toString("PersistentMap", super::toString);
    }

    /* An iterator making E of each key and the native layer's value. */
    private <E> Iterator<E> iterator(CursorIterator.Entry<E> make) {
        return unchecked(() -> h.call(m -> {
            SWIGTYPE_p_pk_cursor[] out = new SWIGTYPE_p_pk_cursor[1];
            PmemkitNative.pk_map_cursor(out, m);
            return new EntryIterator<>(new CursorIterator<>(pool, out[0], (k, v) -> new Object[] {k, v}), make);
        }));
    }

    /*
     * The entries from pmemkit's cursor; after a remove(), from the keys the
     * cursor had still to give, read to its end before the map changed.
     */
    private final class EntryIterator<E> implements Iterator<E> {
        private final CursorIterator<Object[]> cursor;
        private final CursorIterator.Entry<E> make;
        private List<Object> rest;
        private int restAt;
        private Object[] pending;
        private Object last;
        private boolean removable;

        EntryIterator(CursorIterator<Object[]> cursor, CursorIterator.Entry<E> make) {
            this.cursor = cursor;
            this.make = make;
        }

        @Override
        public boolean hasNext() {
            if (rest == null)
                return cursor.hasNext();
            return unchecked(() -> {
                while (pending == null && restAt < rest.size()) {
                    Object k = rest.get(restAt++);
                    Object v = lookupRaw(k);
                    if (v != ABSENT)
                        pending = new Object[] {k, v};
                }
                return pending != null;
            });
        }

        @Override
        public E next() {
            if (!hasNext())
                throw new NoSuchElementException();
            Object[] kv;
            if (rest == null) {
                kv = cursor.next();
            } else {
                kv = pending;
                pending = null;
            }
            last = kv[0];
            removable = true;
            return unchecked(() -> make.make(kv[0], kv[1]));
        }

        @Override
        public void remove() {
            if (!removable)
                throw new IllegalStateException("remove() without next()");
            removable = false;
            unchecked(() -> {
                if (rest == null) {
                    rest = new ArrayList<>();
                    while (cursor.hasNext())
                        rest.add(cursor.next()[0]);
                }
                try {
                    removeChecked(last);
                } catch (NotFoundException gone) {
                    // removed meanwhile: so be it
                }
                return null;
            });
        }
    }

    @Override
    public Set<Map.Entry<Object, Object>> entrySet() {
        return new View.AsSet<>(() -> iterator((k, v) -> new WriteThroughEntry(k, pool.wrap(v))),
                this::size, this::clear, p -> removeWhere(p), null, null);
    }

    @Override
    public Set<Object> keySet() {
        return new View.AsSet<>(() -> iterator((k, v) -> k), this::size, this::clear,
                p -> removeWhere(e -> p.test(e.getKey())), this::containsKey, this::removeKey);
    }

    @Override
    public Collection<Object> values() {
        return new View<>(() -> iterator((k, v) -> pool.wrap(v)), this::size, this::clear,
                p -> removeWhere(e -> p.test(e.getValue())), this::containsValue, this::removeValue);
    }

}
