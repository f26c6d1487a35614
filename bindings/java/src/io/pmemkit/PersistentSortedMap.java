package io.pmemkit;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

import static io.pmemkit.PmemkitRuntimeException.unchecked;

/**
 * A persistent sorted map: a {@link NavigableMap} whose entries are kept
 * in the order of their keys by the pool (a B+-tree), as a
 * {@link TreeMap} keeps them in memory.
 *
 * <pre>{@code
 * PersistentSortedMap m = pool.newSortedMap();
 * root.put("scores", m);                          // or root.put("scores", aTreeMap)
 * m.put("bob", 3); m.put("alice", 5);
 * m.firstKey();                                   // "alice"
 * m.ceilingKey("b");                              // "bob"
 * m.headMap("b").clear();                         // a live view: one transaction
 * for (Map.Entry<Object, Object> e : m.descendingMap().entrySet()) ...
 * }</pre>
 *
 * <p>Keys are what a {@link PersistentMap} takes but sets: null, Boolean,
 * numbers, String, byte[], BigInteger and {@link Tuple}s of those, with a
 * map's equality ({@code 1}, {@code 1L}, {@code 1.0} and {@code true} are
 * one key, which keeps the class it was first stored with). A frozen set
 * (any {@code java.util.Set}) has no order: as a key it is
 * ClassCastException, as is any other class, with nothing changed.
 *
 * <p><b>The order</b> is the library's, the same in every language: null
 * first; then numbers by value (NaN after all of them; a BigInteger after
 * a Double of the same value, the two being two keys); then byte[]
 * (unsigned, bytewise); then Strings by code point; then Tuples item by
 * item, a prefix first. {@link #comparator()} returns that order as a
 * {@code Comparator} (rather than null: keys of mixed classes have no
 * natural order, so that {@code new TreeMap<>(sortedMap)} copies with the
 * same order, and a {@link SortedMap}'s contract holds for it).
 *
 * <p>Values are a map's (containers, plain collections stored as new
 * containers, a {@link SortedMap} as a new sorted map). Every change is
 * atomic and durable when it returns; {@link #putAll}, {@link #clear} of a
 * view, {@code pollFirstEntry}/{@code pollLastEntry} and the views'
 * {@code removeIf} each run in one transaction. The values {@link #put},
 * {@link #remove} and {@code poll...} return are plain copies when they
 * are containers.
 *
 * <p>{@link #headMap}, {@link #tailMap}, {@link #subMap} and
 * {@link #descendingMap} are live views, as a TreeMap's: they read and
 * write this map, and a key outside their bounds is
 * IllegalArgumentException for {@code put}. A view is a
 * PersistentSortedMap too; storing one stores a copy of its entries as a
 * new sorted map (only the whole map is stored as a reference).
 * {@code equals} and {@code hashCode} are {@link Map}'s.
 */
public final class PersistentSortedMap extends MapBase implements NavigableMap<Object, Object> {
    /**
     * The library's order of keys (see the class comment), as a
     * Comparator: {@code new TreeMap<>(PersistentSortedMap.KEY_ORDER)}
     * holds keys of mixed classes in the order a sorted map keeps them.
     * A key of another class is ClassCastException.
     */
    public static final Comparator<Object> KEY_ORDER = KeyOrder.ORDER;

    private final Pool pool;
    private final NativeHandle<SWIGTYPE_p_pk_sorted> h;
    /* the bounds, in the ascending order; fromStart/toEnd: none */
    private final boolean fromStart, toEnd, loIncl, hiIncl, descending;
    private final Object lo, hi;

    PersistentSortedMap(Pool pool, SWIGTYPE_p_pk_sorted ptr) {
        this(pool, pool.track(ptr, PmemkitNative::pk_sorted_close), true, null, true, true, null, true, false);
    }

    private PersistentSortedMap(Pool pool, NativeHandle<SWIGTYPE_p_pk_sorted> h, boolean fromStart, Object lo,
            boolean loIncl, boolean toEnd, Object hi, boolean hiIncl, boolean descending) {
        this.pool = pool;
        this.h = h;
        this.fromStart = fromStart;
        this.lo = lo;
        this.loIncl = loIncl;
        this.toEnd = toEnd;
        this.hi = hi;
        this.hiIncl = hiIncl;
        this.descending = descending;
    }

    /** The pool the map lives in. */
    @Override
    public Pool pool() {
        return pool;
    }

    /** Whether this is a view (a range or the descending map) rather than the whole map. */
    public boolean isView() {
        return !(fromStart && toEnd && !descending);
    }

    private boolean whole() {
        return fromStart && toEnd;
    }

    Object ref() throws PmemkitException {
        return h.call(PmemkitNative::pk_sorted_value);
    }

    /* a key checked before anything changes: ClassCastException for one that is none */
    static Object key(Object k) {
        KeyOrder.ORDER.compare(k, k);               // a Tuple's items too
        return k;
    }

    // ---- checked --------------------------------------------------------

    /**
     * The value of a key.
     *
     * @throws NotFoundException when the map (or this view) does not hold it
     */
    @Override
    public Object getChecked(Object key) throws PmemkitException {
        if (!inRange(key))
            throw PmemkitException.forCode(PmemkitNative.PK_NOTFOUND);
        Object[] out = new Object[1];
        h.run(m -> PmemkitNative.pk_sorted_get(out, m, key));
        return pool.wrap(out[0]);
    }

    /**
     * Insert or replace the value of a key (without reading the old one).
     *
     * @throws ClassCastException for a key that is none (a Set, a collection...)
     * @throws IllegalArgumentException for a key outside a view's range
     */
    @Override
    public void putChecked(Object key, Object value) throws PmemkitException {
        key(key);
        if (!inRange(key))
            throw new IllegalArgumentException("pmemkit: the key is outside the view's range");
        h.run(m -> pool.store(value, v -> PmemkitNative.pk_sorted_put(m, key, v)));
    }

    /**
     * Remove a key and its value.
     *
     * @throws NotFoundException when the map (or this view) does not hold it
     */
    @Override
    public void removeChecked(Object key) throws PmemkitException {
        if (!inRange(key)) {
            pool.checkWritable();
            throw PmemkitException.forCode(PmemkitNative.PK_NOTFOUND);
        }
        h.run(m -> PmemkitNative.pk_sorted_remove(m, key));
    }

    /** The number of entries (of this view), a long. */
    public long length() throws PmemkitException {
        if (whole()) {
            long[] out = new long[1];
            h.run(m -> PmemkitNative.pk_sorted_length(out, m));
            return out[0];
        }
        return Math.max(0, hiRank() - loRank());
    }

    /** A plain copy: a TreeMap in this map's order, containers in it copied deeply. */
    public TreeMap<Object, Object> toJava() throws PmemkitException {
        TreeMap<Object, Object> copy = new TreeMap<>(comparator());
        for (Map.Entry<Object, Object> e : entrySet())
            copy.put(e.getKey(), Containers.plain(e.getValue()));
        return copy;
    }

    /**
     * The index a key has or would have in the whole map's order: the
     * number of keys before it (with {@code after}, the number of keys
     * before it or equal to it). O(log n).
     */
    public long rank(Object key, boolean after) throws PmemkitException {
        long[] out = new long[1];
        h.run(m -> PmemkitNative.pk_sorted_rank(out, m, key, after ? 1 : 0));
        return out[0];
    }

    /**
     * The entry at an index of the whole map's order (negative: from the
     * end, -1 the last), its value live. O(log n).
     *
     * @throws RangeException outside [-length, length)
     */
    public Map.Entry<Object, Object> entryAt(long index) throws PmemkitException {
        Object[] kv = at(index);
        return new AbstractMap.SimpleImmutableEntry<>(kv[0], pool.wrap(kv[1]));
    }

    /** Remove the entry at an index of the whole map's order (as {@link #entryAt}). */
    public void removeAt(long index) throws PmemkitException {
        h.run(m -> PmemkitNative.pk_sorted_remove_at(m, index));
    }

    // ---- positions, in the ascending order ------------------------------

    private long loRank() throws PmemkitException {
        return fromStart ? 0 : rank(lo, !loIncl);
    }

    private long hiRank() throws PmemkitException {
        if (toEnd) {
            long[] out = new long[1];
            h.run(m -> PmemkitNative.pk_sorted_length(out, m));
            return out[0];
        }
        return rank(hi, hiIncl);
    }

    /* the key and raw value at an index of the whole map */
    private Object[] at(long index) throws PmemkitException {
        Object[] kv = new Object[2];
        h.run(m -> PmemkitNative.pk_sorted_at(kv, m, index));
        return kv;
    }

    /*
     * Navigation is one native call (pk_sorted_at or pk_sorted_seek, so
     * that another thread's writes cannot split it), the bounds checked
     * with KEY_ORDER, which agrees with the pool's order, as TreeMap's
     * views check theirs.
     */

    /* the entry (key, raw value) at an index of the whole map, or null */
    private Object[] atOrNull(long index) throws PmemkitException {
        try {
            return at(index);
        } catch (RangeException empty) {
            return null;
        }
    }

    /* the entry pk_sorted_seek finds from k (PK_SEEK_*), or null */
    private Object[] seek(Object k, int how) throws PmemkitException {
        Object[] kv = new Object[2];
        try {
            h.run(m -> PmemkitNative.pk_sorted_seek(kv, m, k, how));
        } catch (NotFoundException none) {
            return null;
        }
        return kv;
    }

    private Object[] notTooHigh(Object[] kv) {
        return kv == null || tooHigh(kv[0]) ? null : kv;
    }

    private Object[] notTooLow(Object[] kv) {
        return kv == null || tooLow(kv[0]) ? null : kv;
    }

    private Object[] lowest() throws PmemkitException {
        return notTooHigh(fromStart ? atOrNull(0)
                : seek(lo, loIncl ? PmemkitNative.PK_SEEK_GE : PmemkitNative.PK_SEEK_GT));
    }

    private Object[] highest() throws PmemkitException {
        return notTooLow(toEnd ? atOrNull(-1)
                : seek(hi, hiIncl ? PmemkitNative.PK_SEEK_LE : PmemkitNative.PK_SEEK_LT));
    }

    /* the first entry at or after (strict: after) k, in this view's bounds */
    private Object[] up(Object k, boolean strict) throws PmemkitException {
        if (tooLow(k))
            return lowest();
        return notTooHigh(seek(k, strict ? PmemkitNative.PK_SEEK_GT : PmemkitNative.PK_SEEK_GE));
    }

    /* the last entry at or before (strict: before) k, in this view's bounds */
    private Object[] down(Object k, boolean strict) throws PmemkitException {
        if (tooHigh(k))
            return highest();
        return notTooLow(seek(k, strict ? PmemkitNative.PK_SEEK_LT : PmemkitNative.PK_SEEK_LE));
    }

    private boolean tooLow(Object k) {
        if (fromStart)
            return false;
        int c = KeyOrder.ORDER.compare(k, lo);
        return c < 0 || (c == 0 && !loIncl);
    }

    private boolean tooHigh(Object k) {
        if (toEnd)
            return false;
        int c = KeyOrder.ORDER.compare(k, hi);
        return c > 0 || (c == 0 && !hiIncl);
    }

    private boolean inRange(Object k) {
        return !tooLow(k) && !tooHigh(k);
    }

    /* a new view's bound: within this view's (its own bound may be open where it is inclusive) */
    private boolean inRange(Object k, boolean inclusive) {
        if (inclusive)
            return inRange(k);
        return (fromStart || KeyOrder.ORDER.compare(k, lo) >= 0)
                && (toEnd || KeyOrder.ORDER.compare(k, hi) <= 0);
    }

    // ---- entries --------------------------------------------------------

    private Map.Entry<Object, Object> entry(Object[] kv) {
        if (kv == null)
            return null;
        return unchecked(() -> new AbstractMap.SimpleImmutableEntry<>(kv[0], pool.wrap(kv[1])));
    }

    private static Object keyOf(Object[] kv) {
        return kv == null ? null : kv[0];
    }

    private static Object keyOrThrow(Object[] kv) {
        if (kv == null)
            throw new NoSuchElementException("pmemkit: the sorted map is empty");
        return kv[0];
    }

    private Object[] first() {
        return unchecked(() -> descending ? highest() : lowest());
    }

    private Object[] last() {
        return unchecked(() -> descending ? lowest() : highest());
    }

    /* ceiling (strict: higher) in this view's order */
    private Object[] ceiling(Object k, boolean strict) {
        return unchecked(() -> descending ? down(k, strict) : up(k, strict));
    }

    /* floor (strict: lower) in this view's order */
    private Object[] floor(Object k, boolean strict) {
        return unchecked(() -> descending ? up(k, strict) : down(k, strict));
    }

    /* remove the entry and return it with a plain copy of its value, in one transaction */
    private Map.Entry<Object, Object> poll(boolean firstOne) {
        return unchecked(() -> pool.inTransaction(() -> {
            Object[] kv = firstOne ? first() : last();
            if (kv == null)
                return null;
            Object v = Containers.plain(pool.wrap(kv[1]));
            h.run(m -> PmemkitNative.pk_sorted_remove(m, kv[0]));
            return new AbstractMap.SimpleImmutableEntry<>(kv[0], v);
        }));
    }

    // ---- java.util.NavigableMap -----------------------------------------

    /**
     * The library's order of keys (this view's: reversed for a descending
     * one), never null: see the class comment.
     */
    @Override
    public Comparator<Object> comparator() {
        return descending ? KeyOrder.REVERSED : KeyOrder.ORDER;
    }

    @Override
    public Object firstKey() {
        return keyOrThrow(first());
    }

    @Override
    public Object lastKey() {
        return keyOrThrow(last());
    }

    /** The first entry (its value live), or null when empty; {@code setValue} is unsupported. */
    @Override
    public Map.Entry<Object, Object> firstEntry() {
        return entry(first());
    }

    @Override
    public Map.Entry<Object, Object> lastEntry() {
        return entry(last());
    }

    /** Remove the first entry, in one transaction; its value a plain copy. */
    @Override
    public Map.Entry<Object, Object> pollFirstEntry() {
        return poll(true);
    }

    @Override
    public Map.Entry<Object, Object> pollLastEntry() {
        return poll(false);
    }

    @Override
    public Map.Entry<Object, Object> ceilingEntry(Object key) {
        return entry(ceiling(key, false));
    }

    @Override
    public Object ceilingKey(Object key) {
        return keyOf(ceiling(key, false));
    }

    @Override
    public Map.Entry<Object, Object> higherEntry(Object key) {
        return entry(ceiling(key, true));
    }

    @Override
    public Object higherKey(Object key) {
        return keyOf(ceiling(key, true));
    }

    @Override
    public Map.Entry<Object, Object> floorEntry(Object key) {
        return entry(floor(key, false));
    }

    @Override
    public Object floorKey(Object key) {
        return keyOf(floor(key, false));
    }

    @Override
    public Map.Entry<Object, Object> lowerEntry(Object key) {
        return entry(floor(key, true));
    }

    @Override
    public Object lowerKey(Object key) {
        return keyOf(floor(key, true));
    }

    /* a view of the same map, bounds in the ascending order */
    private PersistentSortedMap view(boolean fromStart, Object lo, boolean loIncl, boolean toEnd, Object hi,
            boolean hiIncl, boolean descending) {
        return new PersistentSortedMap(pool, h, fromStart, lo, loIncl, toEnd, hi, hiIncl, descending);
    }

    private void bound(Object k, boolean inclusive) {
        key(k);
        if (!inRange(k, inclusive))
            throw new IllegalArgumentException("pmemkit: the bound is outside the view's range");
    }

    /** The entries from {@code from} to {@code to} (in this map's order): a live view. */
    @Override
    public PersistentSortedMap subMap(Object from, boolean fromInclusive, Object to, boolean toInclusive) {
        bound(from, fromInclusive);
        bound(to, toInclusive);
        if (comparator().compare(from, to) > 0)
            throw new IllegalArgumentException("pmemkit: fromKey > toKey");
        return descending ? view(false, to, toInclusive, false, from, fromInclusive, true)
                : view(false, from, fromInclusive, false, to, toInclusive, false);
    }

    /** The entries before {@code to} (or up to it, inclusive): a live view. */
    @Override
    public PersistentSortedMap headMap(Object to, boolean inclusive) {
        bound(to, inclusive);
        return descending ? view(false, to, inclusive, toEnd, hi, hiIncl, true)
                : view(fromStart, lo, loIncl, false, to, inclusive, false);
    }

    /** The entries from {@code from} on (or after it, not inclusive): a live view. */
    @Override
    public PersistentSortedMap tailMap(Object from, boolean inclusive) {
        bound(from, inclusive);
        return descending ? view(fromStart, lo, loIncl, false, from, inclusive, true)
                : view(false, from, inclusive, toEnd, hi, hiIncl, false);
    }

    @Override
    public PersistentSortedMap subMap(Object from, Object to) {
        return subMap(from, true, to, false);
    }

    @Override
    public PersistentSortedMap headMap(Object to) {
        return headMap(to, false);
    }

    @Override
    public PersistentSortedMap tailMap(Object from) {
        return tailMap(from, true);
    }

    /** The same entries in the reverse order: a live view. */
    @Override
    public PersistentSortedMap descendingMap() {
        return view(fromStart, lo, loIncl, toEnd, hi, hiIncl, !descending);
    }

    @Override
    public NavigableSet<Object> navigableKeySet() {
        return new SortedKeys(this);
    }

    @Override
    public NavigableSet<Object> descendingKeySet() {
        return descendingMap().navigableKeySet();
    }

    // ---- java.util.Map --------------------------------------------------

    @Override
    public int size() {
        return unchecked(() -> Containers.size(length()));
    }

    @Override
    public boolean isEmpty() {
        return unchecked(() -> length() == 0);
    }

    @Override
    public boolean containsKey(Object key) {
        if (!inRange(key))
            return false;
        int[] out = new int[1];
        return unchecked(() -> {
            h.run(m -> PmemkitNative.pk_sorted_contains(out, m, key));
            return out[0] != 0;
        });
    }

    /* the value of a key, wrapped, or ABSENT */
    @Override
    Object lookup(Object key) throws PmemkitException {
        try {
            return getChecked(key);
        } catch (NotFoundException e) {
            return ABSENT;
        }
    }

    /** Put every entry, in one transaction; a bad key first is ClassCastException, nothing put. */
    @Override
    public void putAll(Map<?, ?> m) {
        for (Object k : m.keySet()) {
            key(k);
            if (!inRange(k))
                throw new IllegalArgumentException("pmemkit: the key is outside the view's range");
        }
        super.putAll(m);
    }

    /** Remove every entry (of this view), in one transaction. */
    @Override
    public void clear() {
        unchecked(() -> {
            if (whole()) {
                h.run(PmemkitNative::pk_sorted_clear);
            } else {
                long[] out = new long[1];
                h.run(m -> PmemkitNative.pk_swig_sorted_remove_range(out, m, has(), lo, loIncl ? 0 : 1,
                        hi, hiIncl ? 0 : 1, null));
            }
            return null;
        });
    }

    /**
     * Remove the entries whose keys are in a range of this map's (this
     * view's) order, in one transaction: {@code subMap(from, to).clear()}
     * but without a view.
     *
     * @return how many were removed
     */
    public long removeRange(Object from, boolean fromInclusive, Object to, boolean toInclusive) {
        PersistentSortedMap v = subMap(from, fromInclusive, to, toInclusive);
        return unchecked(() -> {
            long[] out = new long[1];
            v.h.run(m -> PmemkitNative.pk_swig_sorted_remove_range(out, m, v.has(), v.lo, v.loIncl ? 0 : 1,
                    v.hi, v.hiIncl ? 0 : 1, null));
            return out[0];
        });
    }

    private long has() {
        return (fromStart ? 0 : PmemkitNative.PK_SWIG_HAS_LO) | (toEnd ? 0 : PmemkitNative.PK_SWIG_HAS_HI);
    }

    /**
     * The entries whose keys are Strings (or byte[]s) that start with
     * {@code prefix}, in this view's order: a snapshot, as a TreeMap
     * (its values live). {@code prefixMap("user:")}.
     *
     * @throws ClassCastException for a prefix that is neither
     */
    public NavigableMap<Object, Object> prefixMap(Object prefix) {
        if (!(prefix instanceof String || prefix instanceof byte[]))
            throw new ClassCastException("pmemkit: a prefix is a String or a byte[]");
        TreeMap<Object, Object> copy = new TreeMap<>(comparator());
        Iterator<Object[]> it = cursor(prefix, descending);
        while (it.hasNext()) {
            Object[] kv = it.next();
            copy.put(kv[0], unchecked(() -> pool.wrap(kv[1])));
        }
        return copy;
    }

    // ---- iteration ------------------------------------------------------

    /* a cursor over this view's entries (key, raw value), optionally after a key */
    private CursorIterator<Object[]> cursor(Object prefix, boolean reverse, boolean resume, Object after) {
        return unchecked(() -> h.call(m -> {
            long has = has() | (prefix != null ? PmemkitNative.PK_SWIG_HAS_PREFIX : 0);
            Object l = lo, u = hi;
            long lOpen = loIncl ? 0 : 1, uOpen = hiIncl ? 0 : 1;
            if (resume && !reverse) {
                has |= PmemkitNative.PK_SWIG_HAS_LO;
                l = after;
                lOpen = 1;
            } else if (resume) {
                has |= PmemkitNative.PK_SWIG_HAS_HI;
                u = after;
                uOpen = 1;
            }
            SWIGTYPE_p_pk_cursor[] out = new SWIGTYPE_p_pk_cursor[1];
            PmemkitNative.pk_swig_sorted_range_cursor(out, m, has, l, lOpen, u, uOpen, reverse ? 1 : 0, prefix);
            return new CursorIterator<>(pool, out[0], (k, v) -> new Object[] {k, v});
        }));
    }

    private CursorIterator<Object[]> cursor(Object prefix, boolean reverse) {
        return cursor(prefix, reverse, false, null);
    }

    /*
     * The entries in this view's order, as E; remove() removes the last
     * one given, and the iteration goes on after its key (a new cursor).
     */
    private <E> Iterator<E> iterator(CursorIterator.Entry<E> make) {
        return new Iterator<E>() {
            private CursorIterator<Object[]> cursor = cursor(null, descending);
            private Object last;
            private boolean removable;

            @Override
            public boolean hasNext() {
                if (cursor == null)
                    cursor = cursor(null, descending, true, last);
                return cursor.hasNext();
            }

            @Override
            public E next() {
                if (!hasNext())
                    throw new NoSuchElementException();
                Object[] kv = cursor.next();
                last = kv[0];
                removable = true;
                return unchecked(() -> make.make(kv[0], kv[1]));
            }

            @Override
            public void remove() {
                if (!removable)
                    throw new IllegalStateException("remove() without next()");
                removable = false;
                removeKey(last);                    // removed meanwhile: so be it
                if (cursor != null)
                    cursor.close();
                cursor = null;
            }
        };
    }

    @Override
    public Set<Map.Entry<Object, Object>> entrySet() {
        return new View.AsSet<>(() -> iterator((k, v) -> new WriteThroughEntry(k, pool.wrap(v))),
                this::size, this::clear, p -> removeWhere(p), null, null);
    }

    /** The keys in order: {@link #navigableKeySet()}. */
    @Override
    public NavigableSet<Object> keySet() {
        return navigableKeySet();
    }

    @Override
    public Collection<Object> values() {
        return new View<>(() -> iterator((k, v) -> pool.wrap(v)), this::size, this::clear,
                p -> removeWhere(e -> p.test(e.getValue())), this::containsValue, this::removeValue);
    }

    /* keys in order; for SortedKeys */
    Iterator<Object> keyIterator() {
        return iterator((k, v) -> k);
    }

    boolean removeKeys(Predicate<Object> p) {
        return removeWhere(e -> p.test(e.getKey()));
    }

    /** The entries, or {@code PersistentSortedMap[closed]} once the pool is closed. */
    @Override
    public String toString() {
        return Containers.toString("PersistentSortedMap", super::toString);
    }

}
