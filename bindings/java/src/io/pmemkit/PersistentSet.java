package io.pmemkit;

import java.nio.ByteBuffer;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import static io.pmemkit.PmemkitRuntimeException.unchecked;

/**
 * A persistent set, in no particular order: a {@code java.util.Set<Object>}.
 *
 * <pre>{@code
 * root.put("tags", Set.of("a", "b"));          // any java.util.Set is stored as one
 * PersistentSet tags = root.getSet("tags");    // live
 * tags.add("c");                               // atomic and durable
 * tags.addAll(List.of("d", "e"));              // one transaction
 * tags.removeIf(t -> t.equals("a"));           // one transaction
 * }</pre>
 *
 * <p>Elements are what a {@link PersistentMap} takes as keys: null,
 * Boolean, Long (Integer, Short, Byte stored as Long), Double (Float as
 * Double), String, byte[], BigInteger, {@link Tuple} and a
 * {@code java.util.Set} (a {@link FrozenSet}); with the same equality:
 * {@code 1}, {@code 1L}, {@code 1.0} and {@code true} are one element,
 * which keeps the class it was first added with, and {@link #contains}
 * finds it from any of them; {@code byte[]} elements are equal by
 * content. Anything else (a List, a Map, a live container) is
 * ClassCastException, and a bulk operation given one changes nothing.
 *
 * <p>Every change is atomic and durable when it returns;
 * {@link #addAll}, {@link #removeAll}, {@link #retainAll},
 * {@link #removeIf} and an iterator's first {@code remove()} aside, each is
 * one native call; those four run in one transaction each. A set that
 * stands for an immutable one (written from Python's {@code frozenset},
 * or by {@link Pool#newFrozenSet}) is {@linkplain #isFrozen() frozen}:
 * every mutator throws UnsupportedOperationException, as the JDK's
 * unmodifiable sets do.
 *
 * <p>{@link #equals} and {@link #hashCode} follow the {@link Set}
 * contract with the elements as they read back (integers as Long), and
 * {@code byte[]} elements by content: a set of 1 and "a" equals
 * {@code Set.of(1L, "a")}, and not {@code Set.of(1, "a")}, as
 * {@code Set.of(1L).equals(Set.of(1))} is false (equals must be
 * symmetric, and a plain set's cannot be changed). Two persistent sets
 * holding equal bytes are equal; a plain {@code HashSet<byte[]>} compares
 * arrays by identity, so from its side it never equals a set of bytes.
 */
public final class PersistentSet extends AbstractSet<Object> {
    private final Pool pool;
    private final NativeHandle<SWIGTYPE_p_pk_set> h;
    private final boolean frozen;

    PersistentSet(Pool pool, SWIGTYPE_p_pk_set ptr, boolean frozen) {
        this.pool = pool;
        this.h = pool.track(ptr, PmemkitNative::pk_set_close);
        this.frozen = frozen;
    }

    /** The pool the set lives in. */
    public Pool pool() {
        return pool;
    }

    /** Whether the set is frozen (an immutable set: every mutator throws). */
    public boolean isFrozen() {
        return frozen;
    }

    Object ref() throws PmemkitException {
        return h.call(PmemkitNative::pk_set_value);
    }

    /* every mutator starts here */
    private void writable() {
        if (frozen)
            throw new UnsupportedOperationException("pmemkit: the set is frozen (an immutable set): read-only");
    }

    /* an element's class checked before anything changes */
    static Object element(Object e) {
        if (!Pool.isKey(e))
            throw new ClassCastException("pmemkit: a set element is a scalar (null, Boolean, a number, "
                    + "String, byte[], Tuple) or a Set (a frozen set), not a " + e.getClass().getName());
        return e;
    }

    /* the elements of c, each checked, before a transaction that stores them begins */
    static Object[] elements(Collection<?> c) {
        Object[] es = c.toArray();
        for (Object e : es)
            element(e);
        return es;
    }

    // ---- checked --------------------------------------------------------

    /** Add an element (nothing changes when it is there), without asking whether it was. */
    public void addChecked(Object e) throws PmemkitException {
        writable();
        element(e);
        h.run(s -> PmemkitNative.pk_set_add(s, e));
    }

    /**
     * Remove an element.
     *
     * @throws NotFoundException when the set does not hold it
     */
    public void removeChecked(Object e) throws PmemkitException {
        writable();
        h.run(s -> PmemkitNative.pk_set_discard(s, e));
    }

    /** Whether the set holds an element. */
    public boolean containsChecked(Object e) throws PmemkitException {
        int[] out = new int[1];
        h.run(s -> PmemkitNative.pk_set_contains(out, s, e));
        return out[0] != 0;
    }

    /** The number of elements (a long). */
    public long length() throws PmemkitException {
        long[] out = new long[1];
        h.run(s -> PmemkitNative.pk_set_length(out, s));
        return out[0];
    }

    /** A plain copy: a LinkedHashSet (unmodifiable when the set is frozen). */
    public Set<Object> toJava() throws PmemkitException {
        Set<Object> copy = new LinkedHashSet<>(this);
        return frozen ? Collections.unmodifiableSet(copy) : copy;
    }

    // ---- java.util.Set --------------------------------------------------

    @Override
    public int size() {
        return unchecked(() -> Containers.size(length()));
    }

    /** Whether the set holds the element; 1 finds 1L, 1.0 and true. */
    @Override
    public boolean contains(Object o) {
        return unchecked(() -> containsChecked(o));
    }

    /** Add an element; whether it was not there (exact unless another thread adds it meanwhile). */
    @Override
    public boolean add(Object e) {
        writable();
        element(e);
        return unchecked(() -> {
            if (containsChecked(e))
                return false;
            addChecked(e);
            return true;
        });
    }

    /** Remove an element; whether it was there. */
    @Override
    public boolean remove(Object o) {
        writable();
        return unchecked(() -> {
            try {
                removeChecked(o);
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    /** Remove every element and give the space back to the pool. */
    @Override
    public void clear() {
        writable();
        unchecked(() -> {
            h.run(PmemkitNative::pk_set_clear);
            return null;
        });
    }

    /** Add every element, in one transaction; a bad element first is ClassCastException, nothing added. */
    @Override
    public boolean addAll(Collection<?> c) {
        writable();
        Object[] es = elements(c);
        return unchecked(() -> pool.inTransaction(() -> {
            long before = length();
            for (Object e : es)
                addChecked(e);
            return length() != before;
        }));
    }

    /** Remove every element of c (1 removes 1L), in one transaction. */
    @Override
    public boolean removeAll(Collection<?> c) {
        writable();
        Object[] es = elements(c);
        return unchecked(() -> pool.inTransaction(() -> {
            long before = length();
            for (Object e : es) {
                try {
                    removeChecked(e);
                } catch (NotFoundException absent) {
                    // not there: nothing to remove
                }
            }
            return length() != before;
        }));
    }

    /** Keep only the elements c holds (1L is kept for 1), in one transaction. */
    @Override
    public boolean retainAll(Collection<?> c) {
        writable();
        Set<Object> keep = new HashSet<>();
        for (Object e : c)
            if (Pool.isKey(e))
                keep.add(canonical(e));
        return removeWhere(e -> !keep.contains(canonical(e)));
    }

    /** Remove the elements p accepts, in one transaction. */
    @Override
    public boolean removeIf(Predicate<? super Object> p) {
        writable();
        return removeWhere(Objects.requireNonNull(p));
    }

    private boolean removeWhere(Predicate<? super Object> p) {
        return unchecked(() -> pool.inTransaction(() -> {
            List<Object> doomed = new ArrayList<>();
            for (Object e : this)
                if (p.test(e))
                    doomed.add(e);
            for (Object e : doomed)
                removeChecked(e);
            return !doomed.isEmpty();
        }));
    }

    /**
     * The elements; {@code remove()} removes the last one given (after the
     * first, the iterator goes on from the elements it had still to give,
     * read at once).
     */
    @Override
    public Iterator<Object> iterator() {
        return unchecked(() -> h.call(s -> {
            SWIGTYPE_p_pk_cursor[] out = new SWIGTYPE_p_pk_cursor[1];
            PmemkitNative.pk_set_cursor(out, s);
            return new Elements(new CursorIterator<>(pool, out[0], (k, v) -> k));
        }));
    }

    /* The elements from the cursor; after a remove(), from the ones it had still to give. */
    private final class Elements implements Iterator<Object> {
        private final CursorIterator<Object> cursor;
        private List<Object> rest;
        private int restAt;
        private Object last;
        private boolean removable;

        Elements(CursorIterator<Object> cursor) {
            this.cursor = cursor;
        }

        @Override
        public boolean hasNext() {
            return rest == null ? cursor.hasNext() : restAt < rest.size();
        }

        @Override
        public Object next() {
            if (!hasNext())
                throw new NoSuchElementException();
            last = rest == null ? cursor.next() : rest.get(restAt++);
            removable = true;
            return last;
        }

        @Override
        public void remove() {
            writable();
            if (!removable)
                throw new IllegalStateException("remove() without next()");
            removable = false;
            if (rest == null) {
                rest = new ArrayList<>();
                while (cursor.hasNext())
                    rest.add(cursor.next());
            }
            PersistentSet.this.remove(last);
        }
    }

    /*
     * An element as pmemkit compares it (lib/value.c, pk__key_make):
     * booleans, integers and integral doubles in 64 bits as Long, other
     * doubles as Double, bytes by content.
     */
    static Object canonical(Object e) {
        if (e instanceof Boolean b)
            return b ? 1L : 0L;
        if (e instanceof Float || e instanceof Double) {
            double d = ((Number) e).doubleValue();
            if (d >= -0x1p63 && d < 0x1p63 && d == Math.rint(d))
                return (long) d;
            return d;
        }
        if (e instanceof byte[] b)
            return ByteBuffer.wrap(b);
        if (e instanceof Tuple t)
            return t.canonical();
        if (e instanceof Set<?> s)
            return FrozenSet.copyOf(s).canonical();
        return Containers.normalize(e);
    }

    /* An element as equals and hashCode compare it: itself, bytes by content. */
    private static Object comparable(Object e) {
        return e instanceof byte[] b ? ByteBuffer.wrap(b) : e;
    }

    private static Set<Object> comparables(Collection<?> c) {
        Set<Object> s = new HashSet<>();
        for (Object e : c)
            s.add(comparable(e));
        return s;
    }

    /** Whether o is a Set of the same elements (see the class comment for the comparison). */
    @Override
    public boolean equals(Object o) {
        if (o == this)
            return true;
        if (!(o instanceof Set<?> s) || s.size() != size())
            return false;
        return comparables(this).equals(comparables(s));
    }

    /** The sum of the elements' hash codes (byte[]: by content), as Set specifies. */
    @Override
    public int hashCode() {
        int hash = 0;
        for (Object e : this)
            hash += Objects.hashCode(comparable(e));
        return hash;
    }

    /** The elements, or {@code PersistentSet[closed]} once the pool is closed. */
    @Override
    public String toString() {
        return Containers.toString("PersistentSet", super::toString);
    }
}
