package io.pmemkit;

/**
 * A record whose class name no class registered with the pool has (see
 * {@link Pool#register(Class)}): a generic object of a named class with
 * {@link #className()}, {@link #get}, {@link #set}, {@link #remove},
 * {@link #has}, {@link #attributes()}, {@link #size()} and
 * {@link #toMap()}, every read and write going to the pool, as any
 * {@link PersistentObject}'s.
 *
 * <pre>{@code
 * PersistentRecord r = (PersistentRecord) root.get("point");   // "Point" not registered
 * r.className();            // "Point"
 * r.getLong("x");           // 1
 * r.set("x", 2);            // stored
 * }</pre>
 *
 * Made by a pool only ({@link Pool#newRecord(String)} for a new one).
 */
public final class PersistentRecord extends PersistentObject {
    PersistentRecord() {
    }
}
