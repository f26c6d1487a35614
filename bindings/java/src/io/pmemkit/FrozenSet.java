package io.pmemkit;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable set of scalars as ONE scalar (pmemkit's PK_FROZENSET), so
 * that it can be a map key, a set element or a tuple item, as Python's
 * frozenset.
 *
 * <pre>{@code
 * root.put(Set.of(1, "a"), "x");                // any java.util.Set as a key: a frozen set
 * root.get(Set.of("a", 1.0));                   // "x": any order, the pool's equality
 * FrozenSet k = (FrozenSet) root.keySet().iterator().next();   // read back as a FrozenSet
 * root.put("v", k);                             // as a value: the same frozen set again
 * root.put("w", Set.of(1, "a"));                // a plain Set as a value is still a new set container
 * }</pre>
 *
 * <p>Where a key, a set element or a tuple item is expected, any
 * {@code java.util.Set} (a plain one, a {@code FrozenSet}, a frozen
 * {@link PersistentSet}: its elements are copied) is made a frozen set.
 * A live (not frozen) PersistentSet there is refused, as any container
 * is ({@code ClassCastException}; {@link #copyOf} makes a snapshot).
 * As a value, a {@code FrozenSet} stores the frozen set scalar while any
 * other Set stores a new {@link PersistentSet} container, as before.
 *
 * <p>Members are what a {@link Tuple} takes as items (null, Boolean, a
 * number, String, byte[], Tuples and frozen sets, nested at most
 * {@link Tuple#MAX_DEPTH} deep); anything else is refused by {@link #of}
 * with {@code IllegalArgumentException}, so nothing is stored. Members
 * the pool holds equal ({@code 1}, {@code 1.0}, {@code true}) are one
 * member, the first given: {@code FrozenSet.of(1, 1.0)} is {@code {1}}.
 * A frozen set made here iterates in the order given; one read from a
 * pool in the library's canonical order.
 *
 * <p>A FrozenSet is an unmodifiable {@code Set<Object>}; {@code equals}
 * and {@code hashCode} are Set's, with byte[] members by content. As for
 * {@link Tuple}, Java's equality is the members' own: {@code {1L, "a"}}
 * does not equal {@code {1.0, "a"}}, while the pool makes those one key:
 * {@code map.containsKey(Set.of(1.0, "a"))} is true for a map holding
 * {@code {1, "a"}}, and {@code keySet()} gives the key as first stored.
 */
public final class FrozenSet extends AbstractSet<Object> {
    private static final FrozenSet EMPTY = new FrozenSet(new Object[0], 1);

    /* the members, normalised and distinct; read by the JNI layer (pk_java_to_tuple) */
    private final Object[] items;
    private final int depth;

    private FrozenSet(Object[] items, int depth) {
        this.items = items;
        this.depth = depth;
    }

    /**
     * A frozen set of these members (repeats, by the pool's equality, kept once: the first).
     *
     * @throws IllegalArgumentException for a member that cannot be in a
     *         frozen set, or nesting deeper than {@link Tuple#MAX_DEPTH}
     */
    public static FrozenSet of(Object... members) {
        Objects.requireNonNull(members, "members");
        if (members.length == 0)
            return EMPTY;
        Object[] own = new Object[members.length];
        Set<Object> seen = new HashSet<>();
        int n = 0;
        for (Object m : members) {
            Object x = Tuple.item(m);
            if (seen.add(PersistentSet.canonical(x)))
                own[n++] = x;
        }
        if (n < own.length)
            own = Arrays.copyOf(own, n);
        return new FrozenSet(own, Tuple.nesting(own, true));
    }

    /** A frozen set of a collection's elements (see {@link #of}); a FrozenSet is itself. */
    public static FrozenSet copyOf(Collection<?> members) {
        if (members instanceof FrozenSet f)
            return f;
        return of(members.toArray());
    }

    /* whether a Set may stand for a frozen set: any but a live (not frozen) PersistentSet */
    static boolean isFrozenable(Object x) {
        return x instanceof Set && !(x instanceof PersistentSet p && !p.isFrozen());
    }

    /*
     * A Set reaching the JNI layer as a key, a set element: a frozen set of
     * its elements; a live PersistentSet throws ClassCastException, as any
     * container as a key does (copyOf makes a snapshot on purpose).
     */
    static FrozenSet key(Set<?> s) {
        if (!isFrozenable(s))
            throw new ClassCastException("pmemkit: a live PersistentSet cannot be a key or a set "
                    + "element; FrozenSet.copyOf(set) makes a frozen set of its elements");
        return copyOf(s);
    }

    /* Made by the JNI layer from a PK_FROZENSET's members, converted: fresh and trusted. */
    static FrozenSet fromNative(Object[] items) {
        return new FrozenSet(items, Tuple.nesting(items, false));
    }

    int depth() {
        return depth;
    }

    @Override
    public int size() {
        return items.length;
    }

    /** Whether a member equals {@code o}; 1 finds 1L, byte[] by content, a Set a FrozenSet. */
    @Override
    public boolean contains(Object o) {
        return holds(Containers.normalize(o));
    }

    /** The members (a byte[] member is a copy). */
    @Override
    public Iterator<Object> iterator() {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < items.length;
            }

            @Override
            public Object next() {
                if (i >= items.length)
                    throw new NoSuchElementException();
                Object x = items[i++];
                return x instanceof byte[] b ? b.clone() : x;
            }
        };
    }

    // ---- unmodifiable: every mutator throws, changed or not (as Set.of's) ----

    private static UnsupportedOperationException immutable() {
        return new UnsupportedOperationException("pmemkit: a FrozenSet is immutable");
    }

    @Override
    public boolean add(Object e) {
        throw immutable();
    }

    @Override
    public boolean remove(Object o) {
        throw immutable();
    }

    @Override
    public boolean addAll(Collection<?> c) {
        throw immutable();
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        throw immutable();
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        throw immutable();
    }

    @Override
    public boolean removeIf(java.util.function.Predicate<? super Object> p) {
        throw immutable();
    }

    @Override
    public void clear() {
        throw immutable();
    }

    /** Whether o is a Set of equal members (byte[] members by content). */
    @Override
    public boolean equals(Object o) {
        if (o == this)
            return true;
        if (!(o instanceof Set<?> s) || s.size() != items.length)
            return false;
        for (Object m : s)
            if (!holds(m))
                return false;
        return true;
    }

    /* whether a member is m, by Java's equality (byte[] by content) */
    private boolean holds(Object m) {
        for (Object x : items)
            if (Tuple.same(x, m))
                return true;
        return false;
    }

    /** Set's hash code, byte[] members hashed by content. */
    @Override
    public int hashCode() {
        int h = 0;
        for (Object x : items)
            h += x instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(x);
        return h;
    }

    /** Python's form: {@code frozenset({1, a})}. */
    @Override
    public String toString() {
        return Tuple.join("frozenset({", items, "})");
    }

    /* The members as the pool compares them (PersistentSet.canonical), for set operations. */
    Set<Object> canonical() {
        Set<Object> c = new HashSet<>();
        for (Object x : items)
            c.add(PersistentSet.canonical(x));
        return c;
    }
}
