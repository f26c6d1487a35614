package io.pmemkit;

/**
 * Space and state of a pool ({@link Pool#stats()}).
 *
 * @param size bytes of the pool file
 * @param used bytes held by allocated objects
 * @param objects number of allocated objects
 * @param unclean whether the previous session did not close the pool
 * @param recovered objects reclaimed when the pool was opened after an
 *        unclean session
 */
public record PoolStats(long size, long used, long objects, boolean unclean,
        long recovered) {
}
