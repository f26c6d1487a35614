package io.pmemkit;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;

import static io.pmemkit.PmemkitRuntimeException.unchecked;

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
 */
public final class PersistentList extends AbstractList<Object> implements RandomAccess {
    private final Pool pool;
    private final NativeHandle<SWIGTYPE_p_pk_list> h;

    PersistentList(Pool pool, SWIGTYPE_p_pk_list ptr) {
        this.pool = pool;
        this.h = pool.track(this, ptr, PmemkitNative::pk_list_close);
    }

    /** The pool the list lives in. */
    public Pool pool() {
        return pool;
    }

    Object ref() throws PmemkitException {
        return PmemkitNative.pk_list_value(h.get());
    }

    // ---- checked --------------------------------------------------------

    /** The number of elements. */
    public long length() throws PmemkitException {
        long[] out = new long[1];
        PmemkitNative.pk_list_length(out, h.get());
        return out[0];
    }

    /** The element at an index; negative indexes count from the end. */
    public Object getChecked(long index) throws PmemkitException {
        Object[] out = new Object[1];
        PmemkitNative.pk_list_get(out, h.get(), index);
        return pool.wrap(out[0]);
    }

    /** Replace the element at an index; negative indexes count from the end. */
    public void setChecked(long index, Object value) throws PmemkitException {
        SWIGTYPE_p_pk_list l = h.get();
        pool.store(value, v -> PmemkitNative.pk_list_set(l, index, v));
    }

    /** Append an element. */
    public void appendChecked(Object value) throws PmemkitException {
        SWIGTYPE_p_pk_list l = h.get();
        pool.store(value, v -> PmemkitNative.pk_list_append(l, v));
    }

    /**
     * Insert an element before an index, as Python's list.insert: an index
     * past the end appends, negative ones count from the end.
     */
    public void insertChecked(long index, Object value) throws PmemkitException {
        SWIGTYPE_p_pk_list l = h.get();
        pool.store(value, v -> PmemkitNative.pk_list_insert(l, index, v));
    }

    /** Remove the element at an index; negative indexes count from the end. */
    public void removeChecked(long index) throws PmemkitException {
        PmemkitNative.pk_list_pop(h.get(), index);
    }

    /** Append every element, all in one transaction. */
    public void appendAll(Collection<?> values) throws PmemkitException {
        SWIGTYPE_p_pk_list l = h.get();
        if (values.stream().allMatch(Pool::isScalar)) {
            PmemkitNative.pk_list_extend(l, values.toArray());
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
        return unchecked(() -> getChecked(Containers.index(index, "get")));
    }

    @Override
    public Object set(int index, Object value) {
        return unchecked(() -> {
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
        return unchecked(() -> {
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
            PmemkitNative.pk_list_clear(h.get());
            return null;
        });
    }

    /* subList(from, to).clear() comes here: one call, atomic */
    @Override
    protected void removeRange(int fromIndex, int toIndex) {
        unchecked(() -> {
            PmemkitNative.pk_list_remove_range(h.get(), fromIndex, toIndex);
            return null;
        });
    }

    /** Iterates with pmemkit's cursor; adding or removing elements meanwhile
     * makes it throw ConcurrentModificationException. */
    @Override
    public Iterator<Object> iterator() {
        return unchecked(() -> {
            SWIGTYPE_p_pk_cursor[] out = new SWIGTYPE_p_pk_cursor[1];
            PmemkitNative.pk_list_cursor(out, h.get());
            return new CursorIterator<>(pool, out[0], (i, v) -> pool.wrap(v));
        });
    }
}
