package io.pmemkit;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import static io.pmemkit.PmemkitRuntimeException.unchecked;

/*
 * What PersistentMap and PersistentSortedMap share: the java.util.Map
 * methods written with a lookup and the checked get, put and remove
 * (the compute family and the conditional ones in one transaction each,
 * returning what was stored), and the typed getters.
 */
abstract class MapBase extends AbstractMap<Object, Object> {
    /** The pool the map lives in. */
    public abstract Pool pool();

    /**
     * The value of a key.
     *
     * @throws NotFoundException when the map does not hold the key
     */
    public abstract Object getChecked(Object key) throws PmemkitException;

    /** Insert or replace the value of a key (without reading the old one). */
    public abstract void putChecked(Object key, Object value) throws PmemkitException;

    /**
     * Remove a key and its value.
     *
     * @throws NotFoundException when the map does not hold the key
     */
    public abstract void removeChecked(Object key) throws PmemkitException;

    static final Object ABSENT = new Object();

    /* the value of a key (containers opened), or ABSENT */
    abstract Object lookup(Object key) throws PmemkitException;

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

    // ---- java.util.Map --------------------------------------------------

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
            pool().checkWritable(); /* a missing key too, as an unmodifiable map's */
            Object old = lookup(key);
            if (old == ABSENT)
                return null;
            old = Containers.plain(old);
            removeChecked(key);
            return old;
        });
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
            return pool().inTransaction(() -> {
                Object cur = present(key);
                return cur != null ? cur : absent.call();
            });
        });
    }

    /** As {@link Map#computeIfPresent}, in one transaction; returns what was stored. */
    @Override
    public Object computeIfPresent(Object key, BiFunction<? super Object, ? super Object, ? extends Object> fn) {
        Objects.requireNonNull(fn);
        return unchecked(() -> pool().inTransaction(() -> {
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
        return unchecked(() -> pool().inTransaction(() -> {
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
        return unchecked(() -> pool().inTransaction(() -> {
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
        return unchecked(() -> pool().inTransaction(() -> {
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
        return unchecked(() -> pool().inTransaction(() -> {
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
        Containers.atomically(pool(), () -> super.replaceAll(fn));
    }

    /** Put every entry, all in one transaction. */
    @Override
    public void putAll(Map<?, ?> m) {
        unchecked(() -> {
            pool().transaction(() -> {
                for (Map.Entry<?, ?> e : m.entrySet())
                    putChecked(e.getKey(), e.getValue());
            });
            return null;
        });
    }

    /* Remove the entries p accepts, all in one transaction. */
    boolean removeWhere(Predicate<? super Map.Entry<Object, Object>> p) {
        Objects.requireNonNull(p);
        return unchecked(() -> pool().inTransaction(() -> {
            List<Object> doomed = new ArrayList<>();
            for (Map.Entry<Object, Object> e : entrySet())
                if (p.test(e))
                    doomed.add(e.getKey());
            for (Object k : doomed)
                removeChecked(k);
            return !doomed.isEmpty();
        }));
    }

    /* keySet().remove: whether the key was there */
    boolean removeKey(Object k) {
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
    boolean removeValue(Object v) {
        Object n = Containers.normalize(v);
        return unchecked(() -> pool().inTransaction(() -> {
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
    final class WriteThroughEntry extends AbstractMap.SimpleEntry<Object, Object> {
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
