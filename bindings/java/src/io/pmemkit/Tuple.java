package io.pmemkit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable tuple of scalars: a composite map key or set element
 * (pmemkit's PK_TUPLE), as Python's tuple.
 *
 * <pre>{@code
 * Map<Object, Object> grid = root.getMap("grid");
 * grid.put(Tuple.of(3, 4), "tree");               // one key of two items
 * grid.get(Tuple.of(3, 4));                       // "tree"
 * grid.get(Tuple.of(3.0, 4));                     // "tree" too: the pool's equality
 * for (Object k : grid.keySet())
 *     ((Tuple) k).get(0);                         // 3L: keys read back as Tuples
 * }</pre>
 *
 * <p>Items are what a map takes as keys: null, Boolean, Long (Integer,
 * Short, Byte and a BigInteger that fits are made Longs, as storing
 * does), Double (Float made a Double), String, byte[] (copied in and out:
 * the tuple cannot be changed through one), a BigInteger outside 64 bits,
 * Tuples and frozen sets (any {@code java.util.Set} is made a
 * {@link FrozenSet}), nested at most 32 deep. Anything else (a List, a
 * Map, a container other than a set, a record, any other class) is refused by {@link #of} with
 * {@code IllegalArgumentException}: a tuple that could not be stored is
 * never made, so nothing is stored.
 *
 * <p>A Tuple is an unmodifiable {@code List<Object>}; {@code equals} and
 * {@code hashCode} are List's, item by item, with one exception: byte[]
 * items compare by content (a Tuple never hands out its own arrays, so
 * identity would mean nothing). Java's equality is the items' own:
 * {@code Tuple.of(1, "a")} equals {@code Tuple.of(1L, "a")} (both hold
 * a Long) but not {@code Tuple.of(1.0, "a")}, while the pool makes those
 * ONE key, item by item as it does numbers ({@code 1}, {@code 1.0} and
 * {@code true}): {@code map.containsKey(Tuple.of(1.0, "a"))} is true for
 * a map holding {@code (1, "a")}, and {@code keySet()} gives the key as it
 * was first stored, {@code Tuple.of(1L, "a")}, which is not
 * {@code equals} to the tuple looked up with. A Tuple is
 * {@link Comparable}: item by item, the shorter first when one is the
 * other's start; numbers compare by value, Strings, Booleans and byte[]s
 * (unsigned, as {@link Arrays#compareUnsigned(byte[], byte[])}) among
 * their own kind, nulls first; items of two other kinds throw
 * {@code ClassCastException}, as a TreeMap of such keys would.
 */
public final class Tuple extends AbstractList<Object> implements RandomAccess, Comparable<Tuple> {
    /** How deep tuples nest (pmemkit's PK_TUPLE_DEPTH): a tuple of scalars is depth 1. */
    public static final int MAX_DEPTH = 32;

    private static final Tuple EMPTY = new Tuple(new Object[0], 1);

    /* the items, normalised; read by the JNI layer (pk_java_to_tuple) */
    private final Object[] items;
    private final int depth;

    private Tuple(Object[] items, int depth) {
        this.items = items;
        this.depth = depth;
    }

    /**
     * A tuple of these items.
     *
     * @throws IllegalArgumentException for an item that cannot be in a
     *         tuple, or tuples nested more than {@link #MAX_DEPTH} deep
     */
    public static Tuple of(Object... items) {
        Objects.requireNonNull(items, "items");
        if (items.length == 0)
            return EMPTY;
        Object[] own = new Object[items.length];
        for (int i = 0; i < items.length; i++)
            own[i] = item(items[i]);
        return new Tuple(own, nesting(own, true));
    }

    /** A tuple of a collection's items, in its iteration order (see {@link #of}). */
    public static Tuple copyOf(Collection<?> items) {
        if (items instanceof Tuple t)
            return t;
        return of(items.toArray());
    }

    /*
     * How deep a tuple or frozen set of these items nests: 1 for scalars;
     * beyond MAX_DEPTH IllegalArgumentException when `check`.
     */
    static int nesting(Object[] items, boolean check) {
        int depth = 1;
        for (Object x : items)
            depth = Math.max(depth, depth(x) + 1);
        if (check && depth > MAX_DEPTH)
            throw new IllegalArgumentException("pmemkit: tuples and frozen sets nest at most "
                    + MAX_DEPTH + " deep");
        return depth;
    }

    /* items as toString shows them, between `open` and `close` */
    static String join(String open, Object[] items, String close) {
        StringBuilder s = new StringBuilder(open);
        for (int i = 0; i < items.length; i++) {
            if (i > 0)
                s.append(", ");
            Object x = items[i];
            s.append(x instanceof byte[] b ? Arrays.toString(b) : String.valueOf(x));
        }
        return s.append(close).toString();
    }

    /* how deep an item nests: 0 for a scalar */
    static int depth(Object x) {
        if (x instanceof Tuple t)
            return t.depth;
        if (x instanceof FrozenSet f)
            return f.depth();
        return 0;
    }

    /*
     * An item as a tuple or a frozen set keeps it (any java.util.Set made a
     * FrozenSet), or IllegalArgumentException.
     */
    static Object item(Object x) {
        if (x == null || x instanceof String || x instanceof Long || x instanceof Double
                || x instanceof Boolean || x instanceof Tuple || x instanceof FrozenSet)
            return x;
        if (FrozenSet.isFrozenable(x))
            return FrozenSet.copyOf((java.util.Set<?>) x);
        if (x instanceof byte[] b)
            return b.clone();
        if (x instanceof Integer || x instanceof Short || x instanceof Byte || x instanceof Float
                || x instanceof BigInteger)
            return Containers.normalize(x);
        throw new IllegalArgumentException("pmemkit: a tuple item is a scalar (null, Boolean, a number, "
                + "String, byte[]), a Tuple or a Set (a frozen set), not a " + x.getClass().getName());
    }

    /* Made by the JNI layer from a PK_TUPLE's items, converted: fresh and trusted. */
    static Tuple fromNative(Object[] items) {
        return new Tuple(items, nesting(items, false));
    }

    /** The item at an index (a byte[] item is a copy). */
    @Override
    public Object get(int index) {
        Object x = items[index];
        return x instanceof byte[] b ? b.clone() : x;
    }

    @Override
    public int size() {
        return items.length;
    }

    /** Whether an item equals {@code o}; 1 finds 1L, byte[] by content. */
    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    @Override
    public int indexOf(Object o) {
        Object n = Containers.normalize(o);
        for (int i = 0; i < items.length; i++)
            if (same(items[i], n))
                return i;
        return -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        Object n = Containers.normalize(o);
        for (int i = items.length - 1; i >= 0; i--)
            if (same(items[i], n))
                return i;
        return -1;
    }

    static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y)
            return Arrays.equals(x, y);
        return Objects.equals(a, b);
    }

    /** Whether o is a List of equal items, in order (byte[] items by content). */
    @Override
    public boolean equals(Object o) {
        if (o == this)
            return true;
        if (o instanceof Tuple t) {
            if (t.items.length != items.length)
                return false;
            for (int i = 0; i < items.length; i++)
                if (!same(items[i], t.items[i]))
                    return false;
            return true;
        }
        return super.equals(o);
    }

    /** List's hash code, byte[] items hashed by content. */
    @Override
    public int hashCode() {
        int h = 1;
        for (Object x : items)
            h = 31 * h + (x instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(x));
        return h;
    }

    /** Python's form: {@code (1, a, [0x04])}; {@code (x,)} for one item. */
    @Override
    public String toString() {
        return join("(", items, items.length == 1 ? ",)" : ")");
    }

    /**
     * Item by item (see the class comment).
     *
     * @throws ClassCastException when two items at one index are of kinds that do not compare
     */
    @Override
    public int compareTo(Tuple o) {
        int n = Math.min(items.length, o.items.length);
        for (int i = 0; i < n; i++) {
            int c = compareItems(items[i], o.items[i]);
            if (c != 0)
                return c;
        }
        return Integer.compare(items.length, o.items.length);
    }

    private static int compareItems(Object a, Object b) {
        if (a == null || b == null)
            return a == null ? (b == null ? 0 : -1) : 1;
        if (a instanceof Number x && b instanceof Number y)
            return compareNumbers(x, y);
        if (a instanceof String x && b instanceof String y)
            return x.compareTo(y);
        if (a instanceof Boolean x && b instanceof Boolean y)
            return x.compareTo(y);
        if (a instanceof byte[] x && b instanceof byte[] y)
            return Arrays.compareUnsigned(x, y);
        if (a instanceof Tuple x && b instanceof Tuple y)
            return x.compareTo(y);
        throw new ClassCastException("pmemkit: tuple items of classes " + a.getClass().getName()
                + " and " + b.getClass().getName() + " do not compare");
    }

    /* Longs, BigIntegers and Doubles by value, exactly; NaN after every number */
    private static int compareNumbers(Number x, Number y) {
        if (x instanceof Double d && y instanceof Double e)
            return Double.compare(d, e);
        if (x instanceof Double)
            return -compareNumbers(y, x);
        BigInteger bx = x instanceof BigInteger u ? u : BigInteger.valueOf(x.longValue());
        if (!(y instanceof Double d))
            return bx.compareTo(y instanceof BigInteger u ? u : BigInteger.valueOf(y.longValue()));
        if (Double.isNaN(d) || d == Double.POSITIVE_INFINITY)
            return -1;
        if (d == Double.NEGATIVE_INFINITY)
            return 1;
        return new BigDecimal(bx).compareTo(new BigDecimal(d));
    }

    /* The items as the pool compares them (PersistentSet.canonical), for set operations. */
    List<Object> canonical() {
        Object[] c = new Object[items.length];
        for (int i = 0; i < items.length; i++)
            c[i] = PersistentSet.canonical(items[i]);
        return Arrays.asList(c);
    }
}
