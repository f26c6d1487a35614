package io.pmemkit;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/* What the container classes share that is not in java.util. */
final class Containers {
    private Containers() {
    }

    /*
     * A scalar as it reads back once stored: Integer, Short, Byte and a
     * BigInteger that fits as Long, Float as Double. What equals() and
     * contains() compare with, so that 1 finds 1L as a key does.
     */
    static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte)
            return ((Number) v).longValue();
        if (v instanceof Float f)
            return f.doubleValue();
        if (v instanceof BigInteger b && b.bitLength() < 64)
            return b.longValue();
        return v;
    }

    /* the elements of c, normalized: what a container's removeAll compares with */
    static java.util.Set<Object> normalized(java.util.Collection<?> c) {
        java.util.Set<Object> n = new java.util.HashSet<>();
        for (Object o : c)
            n.add(normalize(o));
        return n;
    }

    /*
     * A value read from a pool as a `type`: itself when it is one; a Long
     * as an Integer, Short or Byte when it fits, or as a BigInteger; a
     * Double as a Float. Anything else throws ClassCastException, as a
     * cast would, naming both classes.
     */
    static <T> T as(Class<T> type, Object v) {
        if (v == null || type.isInstance(v))
            return type.cast(v);
        Object r = null;
        if (v instanceof Long l) {
            long x = l;
            if (type == Integer.class && x == (int) x)
                r = (int) x;
            else if (type == Short.class && x == (short) x)
                r = (short) x;
            else if (type == Byte.class && x == (byte) x)
                r = (byte) x;
            else if (type == BigInteger.class)
                r = BigInteger.valueOf(x);
        } else if (v instanceof Double d && type == Float.class) {
            r = d.floatValue();
        }
        if (r == null)
            throw new ClassCastException("pmemkit: the value " + describe(v) + " is not a "
                    + type.getName());
        return type.cast(r);
    }

    private static String describe(Object v) {
        if (v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof BigInteger)
            return v + " (" + v.getClass().getSimpleName() + ")";
        return "of class " + v.getClass().getName();
    }

    /*
     * A typed view's value class: the interface, for which a plain copy
     * also qualifies (a log's copy is a List, the log is not: Object; a
     * record's is a Map of its attributes: Object).
     */
    static void checkViewType(Class<?> type) {
        if (type == PersistentMap.class || type == PersistentList.class || type == PersistentArray.class
                || type == PersistentBlocks.class || type == PersistentLog.class
                || type == PersistentSet.class || type == PersistentSortedMap.class
                || PersistentObject.class.isAssignableFrom(type))
            throw new IllegalArgumentException("pmemkit: a typed view takes "
                    + (type == PersistentMap.class ? "Map" : type == PersistentSortedMap.class ? "SortedMap"
                            : type == PersistentSet.class ? "Set"
                            : type == PersistentLog.class || PersistentObject.class.isAssignableFrom(type)
                                    ? "Object" : "List")
                    + ".class for containers and records (what put and remove return is a plain copy)");
    }

    /* toString() of a container: what it holds, or that its pool is closed or it is gone. */
    static String toString(String what, java.util.function.Supplier<String> contents) {
        try {
            return contents.get();
        } catch (PmemkitRuntimeException e) {
            if (e.getCause() instanceof ClosedException)
                return what + "[closed]";
            if (e.getCause() instanceof StaleException)
                return what + "[stale]";
            throw e;
        }
    }

    /* Run a java.util default method (sort, replaceAll) in one transaction. */
    static void atomically(Pool pool, Runnable body) {
        PmemkitRuntimeException.unchecked(() -> {
            pool.transaction(body::run);
            return null;
        });
    }

    /* Whether v is a plain collection (stored as a new container). */
    static boolean isPlainCollection(Object v) {
        return v instanceof Map || (v instanceof List && !(v instanceof Tuple))
                || (v instanceof java.util.Set && !(v instanceof FrozenSet));
    }

    /* A plain Java copy of a value read from a pool (a record's: a Map of its attributes). */
    static Object plain(Object v) throws PmemkitException {
        if (v instanceof PersistentMap)
            return ((PersistentMap) v).toJava();
        if (v instanceof PersistentList)
            return ((PersistentList) v).toJava();
        if (v instanceof PersistentArray)
            return ((PersistentArray) v).toJava();
        if (v instanceof PersistentLog)
            return ((PersistentLog) v).toJava();
        if (v instanceof PersistentBlocks)
            return ((PersistentBlocks) v).toJava();
        if (v instanceof PersistentSet)
            return ((PersistentSet) v).toJava();
        if (v instanceof PersistentSortedMap)
            return ((PersistentSortedMap) v).toJava();
        if (v instanceof PersistentObject o)
            return o.toJava();
        return v;
    }

    /*
     * What to store for a container: its reference, when it lives in
     * `pool`; null when v is not a container.
     */
    static Object ref(Pool pool, Object v) throws PmemkitException {
        Pool owner;
        Object ref;
        if (v instanceof PersistentMap m) {
            owner = m.pool();
            ref = m.ref();
        } else if (v instanceof PersistentList l) {
            owner = l.pool();
            ref = l.ref();
        } else if (v instanceof PersistentArray a) {
            owner = a.pool();
            ref = a.ref();
        } else if (v instanceof PersistentLog g) {
            owner = g.pool();
            ref = g.ref();
        } else if (v instanceof PersistentBlocks b) {
            owner = b.pool();
            ref = b.ref();
        } else if (v instanceof PersistentSet s) {
            owner = s.pool();
            ref = s.ref();
        } else if (v instanceof PersistentSortedMap m && !m.isView()) {
            owner = m.pool();
            ref = m.ref();
        } else if (v instanceof PersistentObject o) {
            if (!o.isBound())
                throw new IllegalArgumentException(o.unbound().getMessage());
            owner = o.pool();
            ref = o.ref();
        } else {
            return null;
        }
        if (owner != pool)
            throw new IllegalArgumentException("pmemkit: the container belongs to another pool");
        return ref;
    }

    /* A list index for pmemkit, which would read a negative one from the end. */
    static long index(int index, String what) {
        if (index < 0)
            throw new IndexOutOfBoundsException(what + " index " + index + " is negative");
        return index;
    }

    static int size(long length) {
        return (int) Math.min(length, Integer.MAX_VALUE);
    }
}
