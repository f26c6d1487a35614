package io.pmemkit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

import static io.pmemkit.PmemkitRuntimeException.unchecked;

/**
 * A persistent log: records, each a {@code byte[]} of any length below
 * 4 GiB (empty ones and NUL bytes included), appended at its end.
 *
 * <pre>{@code
 * PersistentLog log = pool.newLog(List.of("first".getBytes(UTF_8)));
 * root.put("events", log);                    // a container, as a map or list
 * log.append(new byte[] {1, 0, 2});           // atomic and durable
 * log.appendAll(List.of(a, b));               // both or neither
 * long mark = log.tell();
 * for (byte[] record : log) ...               // in order
 * for (PersistentLog.Entry e : log.from(mark)) ...  // from a saved position
 * }</pre>
 *
 * <p>{@link #append} is atomic and durable when it returns, without a
 * transaction of its own; {@link #appendAll} appends several records as
 * one atomic unit. Records are bytes: a {@code String} has no one byte
 * form, so the methods take {@code byte[]} (encode text yourself; a
 * String in a raw collection throws ClassCastException). Iteration goes on
 * to records appended while it runs; {@link #clear()} makes a running
 * iteration throw ConcurrentModificationException. Every record has a
 * position, stable across reopens until {@code clear()}: {@link #tell()}
 * is the one the next record will get, {@link #from(long)} iterates from
 * one. It is not a {@link java.util.Collection}: {@code byte[]} has no
 * equals, so {@code contains} could never be true.
 */
public final class PersistentLog implements Iterable<byte[]> {
    /** A record and its position (what {@link #from(long)} gives). */
    public record Entry(long position, byte[] record) {
    }

    private final Pool pool;
    private final NativeHandle<SWIGTYPE_p_pk_log> h;

    PersistentLog(Pool pool, SWIGTYPE_p_pk_log ptr) {
        this.pool = pool;
        this.h = pool.track(ptr, PmemkitNative::pk_log_close);
    }

    /** The pool the log lives in. */
    public Pool pool() {
        return pool;
    }

    Object ref() throws PmemkitException {
        return h.call(PmemkitNative::pk_log_value);
    }

    /** Append one record, atomically and durably. */
    public void append(byte[] record) throws PmemkitException {
        Objects.requireNonNull(record, "record");
        h.run(l -> PmemkitNative.pk_log_append(l, record));
    }

    /** Append the records in order, as one atomic unit: all or none. */
    public void appendAll(Collection<byte[]> records) throws PmemkitException {
        Object[] rs = records.toArray();
        for (Object r : rs)
            record(r);
        if (rs.length > 0)
            h.run(l -> PmemkitNative.pk_log_extend(l, rs));
    }

    /** Append the records in order, as one atomic unit: all or none. */
    public void appendAll(byte[]... records) throws PmemkitException {
        appendAll(List.of(records));
    }

    /* a record from a collection that may be raw */
    private static byte[] record(Object r) {
        if (r instanceof byte[] b)
            return b;
        if (r == null)
            throw new NullPointerException("pmemkit: a null log record");
        throw new ClassCastException("pmemkit: a log record is a byte[], not a "
                + r.getClass().getName() + (r instanceof String ? " (encode it)" : ""));
    }

    /** The number of records. */
    public long length() throws PmemkitException {
        long[] out = new long[1];
        h.run(l -> PmemkitNative.pk_log_length(out, l));
        return out[0];
    }

    /** The number of records, as an int (Integer.MAX_VALUE at most). */
    public int size() {
        return unchecked(() -> Containers.size(length()));
    }

    /** The bytes of all the records, their lengths added up. */
    public long nbytes() throws PmemkitException {
        long[] out = new long[1];
        h.run(l -> PmemkitNative.pk_log_nbytes(out, l));
        return out[0];
    }

    /** The position the next record appended will have. */
    public long tell() throws PmemkitException {
        long[] out = new long[1];
        h.run(l -> PmemkitNative.pk_log_tell(out, l));
        return out[0];
    }

    /** Remove every record; positions from before are no longer valid. */
    public void clear() throws PmemkitException {
        h.run(PmemkitNative::pk_log_clear);
    }

    /** The records in order, as byte[]s. */
    @Override
    public Iterator<byte[]> iterator() {
        return unchecked(() -> cursor(0, (k, v) -> (byte[]) v));
    }

    /**
     * The records from a position on, with their positions: 0, one an
     * earlier iteration gave, or one {@link #tell()} gave (the iteration
     * then meets the records appended since).
     *
     * @throws RangeException for a position that is no record's
     */
    public Iterable<Entry> from(long position) throws PmemkitException {
        cursor(position, (k, v) -> null).close(); // the position is checked now
        return () -> unchecked(() -> cursor(position, (k, v) -> new Entry((Long) k, (byte[]) v)));
    }

    private <E> CursorIterator<E> cursor(long position, CursorIterator.Entry<E> entry)
            throws PmemkitException {
        return h.call(l -> {
            SWIGTYPE_p_pk_cursor[] out = new SWIGTYPE_p_pk_cursor[1];
            PmemkitNative.pk_log_cursor_at(out, l, position);
            return new CursorIterator<>(pool, out[0], entry);
        });
    }

    /** A plain copy: the records in an ArrayList. */
    public List<byte[]> toJava() throws PmemkitException {
        List<byte[]> copy = new ArrayList<>();
        for (byte[] r : this)
            copy.add(r);
        return copy;
    }

    /** {@code PersistentLog[n records]}, or {@code PersistentLog[closed]}. */
    @Override
    public String toString() {
        return Containers.toString("PersistentLog", () -> "PersistentLog[" + size() + " records]");
    }
}
