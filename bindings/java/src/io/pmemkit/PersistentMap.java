package io.pmemkit;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static io.pmemkit.PmemkitRuntimeException.unchecked;

/**
 * A persistent map, in no particular order.
 *
 * <p>Keys are scalars: null, Boolean, Long (Integer, Short and Byte are
 * stored as Long), Double (Float as Double), String, byte[] and
 * BigInteger. Equal numbers are one key: {@code true}, {@code 1L} and
 * {@code 1.0} are the same key, which keeps the type it was first stored
 * with. Values are those, containers of the same pool, and plain
 * {@link Map}s, {@link java.util.List}s and {@code long[]}, {@code int[]},
 * {@code short[]}, {@code double[]}, {@code float[]} arrays, which are
 * stored as new containers (deeply, in one transaction).
 *
 * <p>Every change is atomic and durable when it returns. The methods of
 * {@link Map} throw {@link PmemkitRuntimeException} for pmemkit's
 * failures; the {@code ...Checked} methods throw the checked
 * {@link PmemkitException}s. The values {@link #put} and {@link #remove}
 * return are plain copies when they are containers (the container may be
 * freed with its last reference). Iterators do not support
 * {@code remove()}: use {@link #remove(Object)}.
 */
public final class PersistentMap extends AbstractMap<Object, Object> {
    private final Pool pool;
    private final NativeHandle<SWIGTYPE_p_pk_map> h;

    PersistentMap(Pool pool, SWIGTYPE_p_pk_map ptr) {
        this.pool = pool;
        this.h = pool.track(this, ptr, PmemkitNative::pk_map_close);
    }

    /** The pool the map lives in. */
    public Pool pool() {
        return pool;
    }

    Object ref() throws PmemkitException {
        return PmemkitNative.pk_map_value(h.get());
    }

    // ---- checked --------------------------------------------------------

    /**
     * The value of a key.
     *
     * @throws NotFoundException when the map does not hold the key
     */
    public Object getChecked(Object key) throws PmemkitException {
        Object[] out = new Object[1];
        PmemkitNative.pk_map_get(out, h.get(), key);
        return pool.wrap(out[0]);
    }

    /** Insert or replace the value of a key (without reading the old one). */
    public void putChecked(Object key, Object value) throws PmemkitException {
        SWIGTYPE_p_pk_map m = h.get();
        pool.store(value, v -> PmemkitNative.pk_map_put(m, key, v));
    }

    /**
     * Remove a key and its value.
     *
     * @throws NotFoundException when the map does not hold the key
     */
    public void removeChecked(Object key) throws PmemkitException {
        PmemkitNative.pk_map_remove(h.get(), key);
    }

    /** Whether the map holds a key. */
    public boolean containsKeyChecked(Object key) throws PmemkitException {
        int[] out = new int[1];
        PmemkitNative.pk_map_contains(out, h.get(), key);
        return out[0] != 0;
    }

    /** The number of entries (a long: a map may hold more than Integer.MAX_VALUE). */
    public long length() throws PmemkitException {
        long[] out = new long[1];
        PmemkitNative.pk_map_length(out, h.get());
        return out[0];
    }

    /** A plain copy: a LinkedHashMap, containers in it copied deeply. */
    public Map<Object, Object> toJava() throws PmemkitException {
        Map<Object, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : entrySet())
            copy.put(e.getKey(), Containers.plain(e.getValue()));
        return copy;
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

    /** The value of a key, or null when the map does not hold it. */
    @Override
    public Object get(Object key) {
        return unchecked(() -> {
            Object v = lookup(key);
            return v == ABSENT ? null : v;
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
            Object old = lookup(key);
            if (old == ABSENT)
                return null;
            old = Containers.plain(old);
            removeChecked(key);
            return old;
        });
    }

    private static final Object ABSENT = new Object();

    /* the value of a key, or ABSENT */
    private Object lookup(Object key) throws PmemkitException {
        Object[] out = new Object[1];
        try {
            PmemkitNative.pk_map_get(out, h.get(), key);
        } catch (NotFoundException e) {
            return ABSENT;
        }
        return pool.wrap(out[0]);
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
            PmemkitNative.pk_map_clear(h.get());
            return null;
        });
    }

    @Override
    public Set<Map.Entry<Object, Object>> entrySet() {
        return new AbstractSet<Map.Entry<Object, Object>>() {
            @Override
            public Iterator<Map.Entry<Object, Object>> iterator() {
                return unchecked(() -> {
                    SWIGTYPE_p_pk_cursor[] out = new SWIGTYPE_p_pk_cursor[1];
                    PmemkitNative.pk_map_cursor(out, h.get());
                    return new CursorIterator<>(pool, out[0],
                            (k, v) -> new WriteThroughEntry(k, pool.wrap(v)));
                });
            }

            @Override
            public int size() {
                return PersistentMap.this.size();
            }

            @Override
            public void clear() {
                PersistentMap.this.clear();
            }
        };
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
