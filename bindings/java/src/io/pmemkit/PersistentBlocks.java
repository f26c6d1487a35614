package io.pmemkit;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.UnaryOperator;

import static io.pmemkit.PmemkitRuntimeException.unchecked;
import static io.pmemkit.PmemkitRuntimeException.uncheckedIndex;

/**
 * A persistent block array: {@link #length()} blocks of
 * {@link #blockSize()} bytes (512 to 65536), read and written whole, as a
 * disk's sectors.
 *
 * <pre>{@code
 * PersistentBlocks disk = pool.newBlocks(4096, 100);
 * root.put("disk", disk);
 * disk.set(7, data);               // atomic: old bytes or new after a crash
 * byte[] b = disk.get(7);          // exactly blockSize() bytes
 * disk.add(more);                  // grow by one block and write it, atomically
 * }</pre>
 *
 * <p>As a {@link List} it has a fixed size, as {@link Arrays#asList}, except
 * that {@link #add(byte[])} appends a block ({@code addAll}, {@code sort}
 * and {@code replaceAll} are one transaction each): {@code remove} and
 * {@code clear} throw UnsupportedOperationException (a block array never
 * shrinks; {@link #zero} zeroes a block). {@code get} is exactly one block;
 * {@code set} writes one atomically and durably, zero-filling what the
 * data leaves of it, and returns the old contents (null for a block marked
 * bad). Data longer than a block is refused with
 * IllegalArgumentException, and nothing is written. A new block reads as
 * zeros; {@link #setError} marks one bad, and reading it then throws the
 * I/O error EIO ({@link PmemkitIOException}, wrapped in a
 * {@link PmemkitRuntimeException} by the List methods) until it is
 * written or zeroed. The List methods throw IndexOutOfBoundsException for
 * a negative index or one past the end; the checked methods
 * ({@link #read}, {@link #write}, {@link #zero}, {@link #setError}) take
 * pmemkit's indexes, as the lists' {@code ...Checked} methods do (negative
 * ones count from the end, -1 is the last block), and throw
 * {@code RangeException} for one outside. Two block arrays, or a block array and a list of
 * byte[]s, are equal when their blocks have the same bytes.
 */
public final class PersistentBlocks extends AbstractList<byte[]> implements RandomAccess {
    /** The smallest block size. */
    public static final int MIN_BLOCK_SIZE = 512;
    /** The largest block size. */
    public static final int MAX_BLOCK_SIZE = 65536;

    private final Pool pool;
    private final NativeHandle<SWIGTYPE_p_pk_blocks> h;
    private final int blockSize;

    PersistentBlocks(Pool pool, SWIGTYPE_p_pk_blocks ptr) throws PmemkitException {
        this.pool = pool;
        this.h = pool.track(ptr, PmemkitNative::pk_blocks_close);
        long[] bs = new long[1];
        h.run(b -> PmemkitNative.pk_blocks_block_size(bs, b));
        this.blockSize = (int) bs[0];
    }

    /** The pool the block array lives in. */
    public Pool pool() {
        return pool;
    }

    Object ref() throws PmemkitException {
        return h.call(PmemkitNative::pk_blocks_value);
    }

    /** Bytes per block. */
    public int blockSize() {
        return blockSize;
    }

    // ---- checked --------------------------------------------------------

    /** The number of blocks. */
    public long length() throws PmemkitException {
        long[] out = new long[1];
        h.run(b -> PmemkitNative.pk_blocks_length(out, b));
        return out[0];
    }

    /**
     * Block {@code index}: {@link #blockSize()} bytes.
     *
     * @throws RangeException for an index that is no block's
     * @throws PmemkitIOException EIO for a block marked bad
     */
    public byte[] read(long index) throws PmemkitException {
        Object[] out = new Object[1];
        h.run(b -> PmemkitNative.pk_blocks_get(out, b, block(index)));
        return (byte[]) out[0];
    }

    /**
     * Write block {@code index} whole, atomically and durably; zeros fill
     * what {@code data} leaves of it.
     *
     * @throws IllegalArgumentException for more bytes than a block holds
     *         (nothing is written)
     * @throws RangeException for an index that is no block's
     */
    public void write(long index, byte[] data) throws PmemkitException {
        check(data);
        h.run(b -> PmemkitNative.pk_blocks_write(b, block(index), data));
    }

    /* a block's number from a checked method's index: negative ones count from the end */
    private long block(long index) throws PmemkitException {
        if (index >= 0)
            return index;
        long i = index + length();
        if (i < 0)
            throw PmemkitException.forCode(PmemkitNative.PK_ERANGE);
        return i;
    }

    private void check(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length > blockSize)
            throw new IllegalArgumentException("pmemkit: " + data.length
                    + " bytes for a block of " + blockSize);
    }

    /** Make a block read as zeros (and no longer bad), atomically. */
    public void zero(long index) throws PmemkitException {
        h.run(b -> PmemkitNative.pk_blocks_zero(b, block(index)));
    }

    /** Mark a block bad: reading it throws EIO until it is written or zeroed. */
    public void setError(long index) throws PmemkitException {
        h.run(b -> PmemkitNative.pk_blocks_set_error(b, block(index)));
    }

    /** Append {@code n} blocks that read as zeros, all or none. */
    public void grow(long n) throws PmemkitException {
        if (n < 0)
            throw new IllegalArgumentException("pmemkit: a negative number of blocks");
        h.run(b -> PmemkitNative.pk_blocks_grow(b, n));
    }

    /** Append one block holding {@code data} (zero-filled), atomically. */
    public void append(byte[] data) throws PmemkitException {
        check(data);
        pool.transaction(() -> h.run(b -> {
            long[] n = new long[1];
            PmemkitNative.pk_blocks_grow(b, 1);
            PmemkitNative.pk_blocks_length(n, b);
            PmemkitNative.pk_blocks_write(b, n[0] - 1, data);
        }));
    }

    /** A plain copy: the blocks in an ArrayList. */
    public List<byte[]> toJava() throws PmemkitException {
        List<byte[]> copy = new ArrayList<>();
        for (long i = 0, n = length(); i < n; i++)
            copy.add(read(i));
        return copy;
    }

    // ---- java.util.List -------------------------------------------------

    @Override
    public int size() {
        return unchecked(() -> Containers.size(length()));
    }

    @Override
    public byte[] get(int index) {
        return uncheckedIndex(() -> read(Containers.index(index, "get")));
    }

    /** Write a block; the old contents are returned, null for a block marked bad. */
    @Override
    public byte[] set(int index, byte[] data) {
        check(data);
        return uncheckedIndex(() -> {
            long i = Containers.index(index, "set");
            byte[] old;
            try {
                old = read(i);
            } catch (PmemkitIOException bad) {
                old = null;
            }
            write(i, data);
            return old;
        });
    }

    /** Append a block (see {@link #append}). */
    @Override
    public boolean add(byte[] data) {
        unchecked(() -> {
            append(data);
            return null;
        });
        return true;
    }

    /** Append a block at the end; any other index is unsupported. */
    @Override
    public void add(int index, byte[] data) {
        if (index != size())
            throw new UnsupportedOperationException("pmemkit: a block array only grows at its end");
        add(data);
    }

    /** Append the blocks, in one transaction: all or none. */
    @Override
    public boolean addAll(Collection<? extends byte[]> c) {
        List<byte[]> blocks = new ArrayList<>(c);
        for (byte[] d : blocks)
            check(d);
        Containers.atomically(pool, () -> blocks.forEach(this::add));
        return !blocks.isEmpty();
    }

    /** {@link #addAll(Collection)} at the end; any other index is unsupported. */
    @Override
    public boolean addAll(int index, Collection<? extends byte[]> c) {
        if (index != size())
            throw new UnsupportedOperationException("pmemkit: a block array only grows at its end");
        return addAll(c);
    }

    /** In one transaction: after a crash the blocks are as they were or sorted. */
    @Override
    public void sort(Comparator<? super byte[]> c) {
        Containers.atomically(pool, () -> super.sort(c));
    }

    /** In one transaction. */
    @Override
    public void replaceAll(UnaryOperator<byte[]> op) {
        Containers.atomically(pool, () -> super.replaceAll(op));
    }

    @Override
    public Iterator<byte[]> iterator() {
        return unchecked(() -> h.call(b -> {
            SWIGTYPE_p_pk_cursor[] out = new SWIGTYPE_p_pk_cursor[1];
            PmemkitNative.pk_blocks_cursor(out, b);
            return new CursorIterator<>(pool, out[0], (k, v) -> (byte[]) v);
        }));
    }

    @Override
    public boolean equals(Object o) {
        if (o == this)
            return true;
        if (!(o instanceof List<?> other) || other.size() != size())
            return false;
        Iterator<byte[]> a = iterator();
        Iterator<?> b = other.iterator();
        while (a.hasNext() && b.hasNext())
            if (!(b.next() instanceof byte[] y && Arrays.equals(a.next(), y)))
                return false;
        return !a.hasNext() && !b.hasNext();
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (byte[] b : this)
            hash = 31 * hash + Arrays.hashCode(b);
        return hash;
    }

    /** {@code PersistentBlocks[n x size]}, or {@code PersistentBlocks[closed]}. */
    @Override
    public String toString() {
        return Containers.toString("PersistentBlocks",
                () -> "PersistentBlocks[" + size() + " x " + blockSize + "]");
    }
}
