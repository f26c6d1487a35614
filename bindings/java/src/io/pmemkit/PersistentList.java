package io.pmemkit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import static io.pmemkit.PmemkitRuntimeException.unchecked;
import static io.pmemkit.PmemkitRuntimeException.uncheckedIndex;

/**
 * A persistent list: get and set are O(1), add appends in amortised O(1),
 * add and remove at an index move the elements after it.
 *
 * <p>Values are as for {@link PersistentMap}. Every change is atomic and
 * durable when it returns; {@link #addAll} is one transaction. The methods
 * of {@link List} throw {@link IndexOutOfBoundsException} for a bad index
 * and {@link PmemkitRuntimeException} for other failures of pmemkit; the
 * {@code ...Checked} methods take pmemkit's indexes (negative ones count
 * from the end, -1 is the last element) and throw the checked
 * {@link PmemkitException}s ({@code RangeException} for a bad index). The
 * values {@link #set} and {@link #remove(int)} return are plain copies
 * when they are containers.
 *
 * <p>Numbers compare as they read back: {@code contains(1)},
 * {@code indexOf(1)} and {@code remove((Object) 1)} find {@code 1L}.
 * {@link #remove(Object)}, {@link #removeIf}, {@code removeAll} and
 * {@code retainAll} are one transaction each; iterators support
 * {@code remove()} (after the first, they go on by index).
 * {@link #asList(Class)} is a {@code List<E>} view without casts.
 */
public final class PersistentList extends Sequence {
    private final Pool pool;
    private final NativeHandle<SWIGTYPE_p_pk_list> h;

    PersistentList(Pool pool, SWIGTYPE_p_pk_list ptr) {
        this.pool = pool;
        this.h = pool.track(ptr, PmemkitNative::pk_list_close);
    }

    /** The pool the list lives in. */
    @Override
    public Pool pool() {
        return pool;
    }

    Object ref() throws PmemkitException {
        return h.call(PmemkitNative::pk_list_value);
    }

    // ---- checked --------------------------------------------------------

    /** The number of elements. */
    public long length() throws PmemkitException {
        long[] out = new long[1];
        h.run(l -> PmemkitNative.pk_list_length(out, l));
        return out[0];
    }

    /** The element at an index; negative indexes count from the end. */
    public Object getChecked(long index) throws PmemkitException {
        Object[] out = new Object[1];
        h.run(l -> PmemkitNative.pk_list_get(out, l, index));
        return pool.wrap(out[0]);
    }

    /** Replace the element at an index; negative indexes count from the end. */
    public void setChecked(long index, Object value) throws PmemkitException {
        h.run(l -> pool.store(value, v -> PmemkitNative.pk_list_set(l, index, v)));
    }

    /** Append an element. */
    public void appendChecked(Object value) throws PmemkitException {
        h.run(l -> pool.store(value, v -> PmemkitNative.pk_list_append(l, v)));
    }

    /**
     * Insert an element before an index, as Python's list.insert: an index
     * past the end appends, negative ones count from the end.
     */
    public void insertChecked(long index, Object value) throws PmemkitException {
        h.run(l -> pool.store(value, v -> PmemkitNative.pk_list_insert(l, index, v)));
    }

    /** Remove the element at an index; negative indexes count from the end. */
    public void removeChecked(long index) throws PmemkitException {
        h.run(l -> PmemkitNative.pk_list_pop(l, index));
    }

    /** Append every element, all in one transaction. */
    public void appendAll(Collection<?> values) throws PmemkitException {
        if (values.stream().allMatch(Pool::isScalar)) {
            Object[] all = values.toArray();
            h.run(l -> PmemkitNative.pk_list_extend(l, all));
            return;
        }
        pool.transaction(() -> {
            for (Object v : values)
                appendChecked(v);
        });
    }

    /** A plain copy: an ArrayList, containers in it copied deeply. */
    public List<Object> toJava() throws PmemkitException {
        List<Object> copy = new ArrayList<>();
        for (Object v : this)
            copy.add(Containers.plain(v));
        return copy;
    }

    // ---- java.util.List -------------------------------------------------

    @Override
    public int size() {
        return unchecked(() -> Containers.size(length()));
    }

    @Override
    public Object get(int index) {
        return uncheckedIndex(() -> getChecked(Containers.index(index, "get")));
    }

    @Override
    public Object set(int index, Object value) {
        return uncheckedIndex(() -> {
            Object old = Containers.plain(getChecked(Containers.index(index, "set")));
            setChecked(index, value);
            return old;
        });
    }

    @Override
    public boolean add(Object value) {
        unchecked(() -> {
            appendChecked(value);
            return null;
        });
        return true;
    }

    @Override
    public void add(int index, Object value) {
        unchecked(() -> {
            long n = length();
            if (index < 0 || index > n)
                throw new IndexOutOfBoundsException("add index " + index + " out of range 0.." + n);
            insertChecked(index, value);
            return null;
        });
    }

    @Override
    public Object remove(int index) {
        return uncheckedIndex(() -> {
            Object old = Containers.plain(getChecked(Containers.index(index, "remove")));
            removeChecked(index);
            return old;
        });
    }

    /** Append every element, all in one transaction. */
    @Override
    public boolean addAll(Collection<?> values) {
        unchecked(() -> {
            appendAll(values);
            return null;
        });
        return !values.isEmpty();
    }

    /** Insert every element before an index, all in one transaction. */
    @Override
    public boolean addAll(int index, Collection<?> values) {
        unchecked(() -> {
            long n = length();
            if (index < 0 || index > n)
                throw new IndexOutOfBoundsException("addAll index " + index + " out of range 0.." + n);
            if (index == n) {
                appendAll(values);
                return null;
            }
            pool.transaction(() -> {
                long i = index;
                for (Object v : values)
                    insertChecked(i++, v);
            });
            return null;
        });
        return !values.isEmpty();
    }

    /** Remove every element and give the space back to the pool. */
    @Override
    public void clear() {
        unchecked(() -> {
            h.run(PmemkitNative::pk_list_clear);
            return null;
        });
    }

    /* subList(from, to).clear() comes here: one call, atomic */
    @Override
    protected void removeRange(int fromIndex, int toIndex) {
        uncheckedIndex(() -> {
            h.run(l -> PmemkitNative.pk_list_remove_range(l, fromIndex, toIndex));
            return null;
        });
    }

    /**
     * Iterates with pmemkit's cursor; adding or removing elements meanwhile
     * makes it throw ConcurrentModificationException. Its remove() removes
     * the last element returned; the iteration then goes on by index.
     */
    @Override
    public Iterator<Object> iterator() {
        return unchecked(() -> h.call(l -> {
            SWIGTYPE_p_pk_cursor[] out = new SWIGTYPE_p_pk_cursor[1];
            PmemkitNative.pk_list_cursor(out, l);
            return new Iter(new CursorIterator<>(pool, out[0], (i, v) -> pool.wrap(v)));
        }));
    }

    private final class Iter implements Iterator<Object> {
        private final CursorIterator<Object> cursor;
        private long next;          /* the index of the next element */
        private long length = -1;   /* by index: the length expected */
        private boolean removable;

        Iter(CursorIterator<Object> cursor) {
            this.cursor = cursor;
        }

        @Override
        public boolean hasNext() {
            if (length < 0)
                return cursor.hasNext();
            return unchecked(() -> {
                if (length() != length)
                    throw new ConcurrentModificationException("pmemkit: the list changed under the iterator");
                return next < length;
            });
        }

        @Override
        public Object next() {
            if (!hasNext())
                throw new NoSuchElementException();
            Object v = length < 0 ? cursor.next() : unchecked(() -> getChecked(next));
            next++;
            removable = true;
            return v;
        }

        @Override
        public void remove() {
            if (!removable)
                throw new IllegalStateException("remove() without next()");
            removable = false;
            unchecked(() -> {
                removeChecked(--next);
                length = length();
                return null;
            });
            cursor.close();
        }
    }

    /** Remove the first element that equals {@code o} (1 finds 1L), in one transaction. */
    @Override
    public boolean remove(Object o) {
        return unchecked(() -> pool.inTransaction(() -> {
            int i = indexOf(o);
            if (i < 0)
                return false;
            removeChecked(i);
            return true;
        }));
    }

    /** Remove the elements p accepts, in one transaction. */
    @Override
    public boolean removeIf(Predicate<? super Object> p) {
        Objects.requireNonNull(p);
        return unchecked(() -> pool.inTransaction(() -> {
            List<Integer> doomed = new ArrayList<>();
            int i = 0;
            for (Object x : this) {
                if (p.test(x))
                    doomed.add(i);
                i++;
            }
            for (int k = doomed.size() - 1; k >= 0; k--)
                removeChecked(doomed.get(k));
            return !doomed.isEmpty();
        }));
    }

    /** In one transaction; 1 finds 1L. */
    @Override
    public boolean removeAll(Collection<?> c) {
        Set<Object> n = Containers.normalized(c);
        return removeIf(n::contains);
    }

    /** In one transaction; 1 finds 1L. */
    @Override
    public boolean retainAll(Collection<?> c) {
        Set<Object> n = Containers.normalized(c);
        return removeIf(x -> !n.contains(x));
    }

    // ---- typed access ---------------------------------------------------

    /**
     * The element at an index as a {@code type}, converted as
     * {@link PersistentMap#get(Object, Class)} does.
     *
     * @throws ClassCastException when the element is of another class
     */
    public <T> T get(int index, Class<T> type) {
        return Containers.as(type, get(index));
    }

    /** {@link #get(int, Class)} of a Long. */
    public Long getLong(int index) {
        return get(index, Long.class);
    }

    /** {@link #get(int, Class)} of a String. */
    public String getString(int index) {
        return get(index, String.class);
    }

    /** {@link #get(int, Class)} of a map: the persistent one, live. */
    public PersistentMap getMap(int index) {
        return get(index, PersistentMap.class);
    }

    /** {@link #get(int, Class)} of a list: the persistent one, live. */
    public PersistentList getList(int index) {
        return get(index, PersistentList.class);
    }

    /** {@link #get(int, Class)} of a set: the persistent one, live. */
    public PersistentSet getSet(int index) {
        return get(index, PersistentSet.class);
    }

    /** {@link #get(int, Class)} of a sorted map: the persistent one, live. */
    public PersistentSortedMap getSortedMap(int index) {
        return get(index, PersistentSortedMap.class);
    }

    /**
     * This list as a {@code List<E>}: a view without casts, whose elements
     * are converted as {@link #get(int, Class)} does and whose methods
     * check what they are given. Containers are {@code Map.class} and
     * {@code List.class} elements.
     *
     * @throws IllegalArgumentException for the container classes as E
     */
    public <E> List<E> asList(Class<E> type) {
        return new TypedList<>(this, type);
    }
}
