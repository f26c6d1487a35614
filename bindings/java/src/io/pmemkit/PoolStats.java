package io.pmemkit;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Space and state of a pool ({@link Pool#stats()}).
 *
 * <pre>{@code
 * PoolStats st = pool.stats();
 * st.used();                                   // bytes held by allocations
 * st.count(PoolStats.Kind.MAP);                // maps in the pool
 * st.bytes(PoolStats.Kind.MAP);                // the bytes they own
 * st.kinds().get(PoolStats.Kind.LIST);         // KindStats[count=.., bytes=..]
 * }</pre>
 *
 * @param size bytes of the pool mapped: the file's size, or a growing
 *        pool's parts together, now
 * @param used bytes held by allocated objects
 * @param objects number of allocated objects
 * @param unclean whether the previous session did not close the pool
 * @param recovered objects reclaimed when the pool was opened after an
 *        unclean session
 * @param kinds for each kind of container, how many the pool holds
 *        (reachable or not: {@link Pool#gc()} frees the others) and the
 *        bytes they own (their entries, blobs and storage, not the
 *        containers they refer to); the bytes of all kinds add up to
 *        {@code used}. Unmodifiable, in {@link Kind} order.
 * @param maxSize the most the pool may grow to: a growing pool's maximum,
 *        a fixed pool's size
 * @param free bytes the pool could still allocate, at most: {@code maxSize}
 *        less {@code used} and libpmemobj's own metadata; for a growing
 *        pool no more than its size now and what its file system has free
 */
public record PoolStats(long size, long used, long objects, boolean unclean,
        long recovered, Map<Kind, KindStats> kinds, long maxSize, long free) {

    /** The kinds of container a pool holds, as {@link PoolStats#kinds()} counts them. */
    public enum Kind {
        MAP(PmemkitNative.PK_MAP), LIST(PmemkitNative.PK_LIST), ARRAY(PmemkitNative.PK_ARRAY),
        LOG(PmemkitNative.PK_LOG), BLOCKS(PmemkitNative.PK_BLOCKS), SET(PmemkitNative.PK_SET),
        /** records: {@link PersistentObject}s */
        RECORD(PmemkitNative.PK_RECORD),
        /** sorted maps: {@link PersistentSortedMap}s */
        SORTED_MAP(PmemkitNative.PK_SORTED);

        /* pmemkit's pk_type */
        final int type;

        Kind(int type) {
            this.type = type;
        }
    }

    /**
     * The containers of one kind in a pool.
     *
     * @param count how many
     * @param bytes the bytes they own
     */
    public record KindStats(long count, long bytes) {
    }

    /** A copy of {@code kinds}, unmodifiable; a kind it lacks has no containers. */
    public PoolStats {
        EnumMap<Kind, KindStats> copy = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values())
            copy.put(k, kinds.getOrDefault(k, new KindStats(0, 0)));
        kinds = Collections.unmodifiableMap(copy);
    }

    /** How many containers of a kind the pool holds. */
    public long count(Kind kind) {
        return kinds.get(kind).count();
    }

    /** The bytes the containers of a kind own. */
    public long bytes(Kind kind) {
        return kinds.get(kind).bytes();
    }
}
