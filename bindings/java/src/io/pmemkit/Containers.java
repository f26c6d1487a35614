package io.pmemkit;

/* What the three container classes share that is not in java.util. */
final class Containers {
    private Containers() {
    }

    /* A plain Java copy of a value read from a pool. */
    static Object plain(Object v) throws PmemkitException {
        if (v instanceof PersistentMap)
            return ((PersistentMap) v).toJava();
        if (v instanceof PersistentList)
            return ((PersistentList) v).toJava();
        if (v instanceof PersistentArray)
            return ((PersistentArray) v).toJava();
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
