package io.pmemkit;

/**
 * What {@link Pool#defrag()} did.
 *
 * @param objects pmemkit objects considered
 * @param moved objects moved
 * @param movedBytes their bytes
 * @param freedBytes space given back to the pool's free space (the drop of
 *        {@link PoolStats#used()})
 */
public record DefragReport(long objects, long moved, long movedBytes, long freedBytes) {
}
