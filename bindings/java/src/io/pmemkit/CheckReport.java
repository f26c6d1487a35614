package io.pmemkit;

/**
 * What {@link Pool#check()} found: all counts of problems are zero for a
 * healthy pool.
 *
 * @param objects pmemkit objects in the pool
 * @param reachable of them, those reachable from the root
 * @param leaked allocated but not reachable (new containers never stored
 *        count until {@link Pool#gc()} frees them)
 * @param dangling references to something that is not a container
 * @param refcounts containers whose reference count is wrong
 * @param damaged reachable objects with a bad header or offsets
 */
public record CheckReport(long objects, long reachable, long leaked,
        long dangling, long refcounts, long damaged) {
    /** Whether the pool is healthy. */
    public boolean ok() {
        return leaked == 0 && dangling == 0 && refcounts == 0 && damaged == 0;
    }
}
