package io.pmemkit;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

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
 * pool, and plain {@link Map}s, {@link java.util.List}s, {@link Set}s (as sets; a
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
public final class PersistentMap extends AbstractMap<Object, Object> {
    private final Pool pool;
    private final NativeHandle<SWIGTYPE_p_pk_map> h;

    PersistentMap(Pool pool, SWIGTYPE_p_pk_map ptr) {
        this.pool = pool;
        this.h = pool.track(ptr, PmemkitNative::pk_map_close);
    }

    /** The pool the map lives in. */
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
    public Object getChecked(Object key) throws PmemkitException {
        Object[] out = new Object[1];
        h.run(m -> PmemkitNative.pk_map_get(out, m, key));
        return pool.wrap(out[0]);
    }

    /** Insert or replace the value of a key (without reading the old one). */
    public void putChecked(Object key, Object value) throws PmemkitException {
        h.run(m -> pool.store(value, v -> PmemkitNative.pk_map_put(m, key, v)));
    }

    /**
     * Remove a key and its value.
     *
     * @throws NotFoundException when the map does not hold the key
     */
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
     * The value of a key as a {@code type} (null when the map does not
     * hold it): a Long also as an Integer, Short, Byte (when it fits) or
     * BigInteger, a Double as a Float; a map as {@code Map.class} or
     * {@code PersistentMap.class}, a list as {@code List.class} or
     * {@code PersistentList.class}.
     *
     * @throws ClassCastException when the value is of another class
     */
    public <T> T get(Object key, Class<T> type) {
        return Containers.as(type, get(key));
    }

    /** {@link #get(Object, Class)} of a Long. */
    public Long getLong(Object key) {
        return get(key, Long.class);
    }

    /** {@link #get(Object, Class)} of a String. */
    public String getString(Object key) {
        return get(key, String.class);
    }

    /** {@link #get(Object, Class)} of a map: the persistent one, live. */
    public PersistentMap getMap(Object key) {
        return get(key, PersistentMap.class);
    }

    /** {@link #get(Object, Class)} of a list: the persistent one, live. */
    public PersistentList getList(Object key) {
        return get(key, PersistentList.class);
    }

    /** {@link #get(Object, Class)} of a set: the persistent one, live. */
    public PersistentSet getSet(Object key) {
        return get(key, PersistentSet.class);
    }

    /** {@link #get(Object, Class)} of a sorted map: the persistent one, live. */
    public PersistentSortedMap getSortedMap(Object key) {
        return get(key, PersistentSortedMap.class);
    }

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

    /** Whether a value equals {@code value}; 1 finds 1L, 0.5f finds 0.5. */
    @Override
    public boolean containsValue(Object value) {
        return super.containsValue(Containers.normalize(value));
    }

    /** The value of a key, or null when the map does not hold it. */
    @Override
    public Object get(Object key) {
        return unchecked(() -> {
            Object v = lookup(key);
            return v == ABSENT ? null : v;
        });
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        return unchecked(() -> {
            Object v = lookup(key);
            return v == ABSENT ? defaultValue : v;
        });
    }

    @Override
    public Object put(Object key, Object value) {
        return unchecked(() -> {
            Object old = lookup(key);
            old = old == ABSENT ? null : Containers.plain(old);
            putChecked(key, value);
            return old;
        });
    }

    @Override
    public Object remove(Object key) {
        return unchecked(() -> {
            pool.checkWritable(); /* a missing key too, as an unmodifiable map's */
            Object old = lookup(key);
            if (old == ABSENT)
                return null;
            old = Containers.plain(old);
            removeChecked(key);
            return old;
        });
    }

    private static final Object ABSENT = new Object();

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
    private Object lookup(Object key) throws PmemkitException {
        Object v = lookupRaw(key);
        return v == ABSENT ? v : pool.wrap(v);
    }

    /*
     * Store a value computed for a key and return it as stored: the
     * persistent container made of a plain collection or array, a scalar
     * as it reads back (1 as 1L). Unchanged when it is the current value.
     */
    private Object store(Object key, Object current, Object v) throws PmemkitException {
        if (v == current)
            return v;
        putChecked(key, v);
        if (Pool.isScalar(v))
            return Containers.normalize(v);
        if (v instanceof PersistentMap || v instanceof PersistentList || v instanceof PersistentArray)
            return v;
        return getChecked(key);
    }

    /* the current value, when present and not null; or null */
    private Object present(Object key) throws PmemkitException {
        Object v = lookup(key);
        return v == ABSENT ? null : v;
    }

    /**
     * The value of a key; when there is none (or null), the function's
     * value, stored: one transaction. Returns what was stored, i.e. the
     * persistent container for a plain collection.
     */
    @Override
    public Object computeIfAbsent(Object key, Function<? super Object, ? extends Object> fn) {
        Objects.requireNonNull(fn);
        return presentOr(key, () -> {
            Object nv = fn.apply(key);
            return nv == null ? null : store(key, null, nv);
        });
    }

    /*
     * The key's value when present and not null; else what `absent`
     * gives, in one transaction that looks again first.
     */
    private Object presentOr(Object key, PmemkitRuntimeException.Call<Object> absent) {
        return unchecked(() -> {
            Object v = present(key);
            if (v != null)
                return v;
            return pool.inTransaction(() -> {
                Object cur = present(key);
                return cur != null ? cur : absent.call();
            });
        });
    }

    /** As {@link Map#computeIfPresent}, in one transaction; returns what was stored. */
    @Override
    public Object computeIfPresent(Object key, BiFunction<? super Object, ? super Object, ? extends Object> fn) {
        Objects.requireNonNull(fn);
        return unchecked(() -> pool.inTransaction(() -> {
            Object cur = present(key);
            if (cur == null)
                return null;
            Object nv = fn.apply(key, cur);
            if (nv == null) {
                removeChecked(key);
                return null;
            }
            return store(key, cur, nv);
        }));
    }

    /** As {@link Map#compute}, in one transaction; returns what was stored. */
    @Override
    public Object compute(Object key, BiFunction<? super Object, ? super Object, ? extends Object> fn) {
        Objects.requireNonNull(fn);
        return unchecked(() -> pool.inTransaction(() -> {
            Object cur = lookup(key);
            Object old = cur == ABSENT ? null : cur;
            Object nv = fn.apply(key, old);
            if (nv == null) {
                if (cur != ABSENT)
                    removeChecked(key);
                return null;
            }
            return store(key, old, nv);
        }));
    }

    /** As {@link Map#merge}, in one transaction; returns what was stored. */
    @Override
    public Object merge(Object key, Object value,
            BiFunction<? super Object, ? super Object, ? extends Object> fn) {
        Objects.requireNonNull(fn);
        Objects.requireNonNull(value);
        return unchecked(() -> pool.inTransaction(() -> {
            Object cur = present(key);
            Object nv = cur == null ? value : fn.apply(cur, value);
            if (nv == null) {
                removeChecked(key);
                return null;
            }
            return store(key, cur, nv);
        }));
    }

    /**
     * As {@link Map#putIfAbsent}, in one transaction: the current value
     * (live, when a container), or null when the value was stored; read
     * the container stored then with {@link #get}, or use
     * {@link #computeIfAbsent}, which returns it.
     */
    @Override
    public Object putIfAbsent(Object key, Object value) {
        return presentOr(key, () -> {
            putChecked(key, value);
            return null;
        });
    }

    /** As {@link Map#replace(Object, Object)}, in one transaction; a replaced container comes back as a plain copy. */
    @Override
    public Object replace(Object key, Object value) {
        return unchecked(() -> pool.inTransaction(() -> {
            Object cur = lookup(key);
            if (cur == ABSENT)
                return null;
            Object old = Containers.plain(cur);
            putChecked(key, value);
            return old;
        }));
    }

    /** As {@link Map#replace(Object, Object, Object)}, in one transaction; 1 matches 1L. */
    @Override
    public boolean replace(Object key, Object oldValue, Object newValue) {
        return ifEquals(key, oldValue, () -> putChecked(key, newValue));
    }

    /** As {@link Map#remove(Object, Object)}, in one transaction; 1 matches 1L. */
    @Override
    public boolean remove(Object key, Object value) {
        return ifEquals(key, value, () -> removeChecked(key));
    }

    /* in one transaction: change when the key's value equals expected (1 matches 1L); whether it did */
    private boolean ifEquals(Object key, Object expected, Transactional<PmemkitException> change) {
        return unchecked(() -> pool.inTransaction(() -> {
            Object cur = lookup(key);
            if (cur == ABSENT || !Objects.equals(cur, Containers.normalize(expected)))
                return false;
            change.run();
            return true;
        }));
    }

    /** As {@link Map#replaceAll}, in one transaction. */
    @Override
    public void replaceAll(BiFunction<? super Object, ? super Object, ? extends Object> fn) {
        Objects.requireNonNull(fn);
        Containers.atomically(pool, () -> super.replaceAll(fn));
    }

    /** Put every entry, all in one transaction. */
    @Override
    public void putAll(Map<?, ?> m) {
        unchecked(() -> {
            pool.transaction(() -> {
                for (Map.Entry<?, ?> e : m.entrySet())
                    putChecked(e.getKey(), e.getValue());
            });
            return null;
        });
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

    /* Remove the entries p accepts, all in one transaction. */
    private boolean removeWhere(Predicate<? super Map.Entry<Object, Object>> p) {
        Objects.requireNonNull(p);
        return unchecked(() -> pool.inTransaction(() -> {
            List<Object> doomed = new ArrayList<>();
            for (Map.Entry<Object, Object> e : entrySet())
                if (p.test(e))
                    doomed.add(e.getKey());
            for (Object k : doomed)
                removeChecked(k);
            return !doomed.isEmpty();
        }));
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

    /* keySet().remove: whether the key was there */
    private boolean removeKey(Object k) {
        return unchecked(() -> {
            try {
                removeChecked(k);
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    /* values().remove: one entry whose value equals v (1 matches 1L), in one transaction */
    private boolean removeValue(Object v) {
        Object n = Containers.normalize(v);
        return unchecked(() -> pool.inTransaction(() -> {
            for (Map.Entry<Object, Object> e : entrySet()) {
                if (Objects.equals(n, e.getValue())) {
                    removeChecked(e.getKey());
                    return true;
                }
            }
            return false;
        }));
    }

    /* An entry whose setValue writes through to the map. */
    private final class WriteThroughEntry extends AbstractMap.SimpleEntry<Object, Object> {
        private static final long serialVersionUID = 1L;

        WriteThroughEntry(Object key, Object value) {
            super(key, value);
        }

        @Override
        public Object setValue(Object value) {
            Object old = put(getKey(), value);
            super.setValue(get(getKey()));
            return old;
        }
    }
}
