package io.pmemkit;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Raw persistent memory: a file mapped whole, its bytes read and written in
 * place through a direct {@link ByteBuffer} and made persistent range by
 * range.
 *
 * <pre>{@code
 * try (Region r = Region.create("/dev/shm/raw", 1 << 20)) {
 *     r.write(0, "hello".getBytes(UTF_8));   // copied in and persisted
 *     ByteBuffer b = r.buffer();             // the mapping itself
 *     b.putLong(64, 42L);
 *     r.persist(64, 8);                      // made persistent
 * }                                          // persists all, then unmaps
 * }</pre>
 *
 * <p>A region persists where pmemkit chooses the way: cache flushes and a
 * fence on persistent memory ({@link #isPmem()}), msync() on any other
 * file. It is not a container: no transactions, and after a crash what was
 * persisted is there (of the rest, any aligned 8-byte store may or may not
 * be). Every range is checked: one outside the mapping, or a negative
 * offset or length, throws {@code RangeException} and reads or writes
 * nothing. After {@link #close()} every method throws
 * {@code ClosedException}.
 *
 * <p>Buffers and close: a store through a buffer of an unmapped region
 * would crash the JVM, and Java cannot take a buffer back. So
 * {@code close()} ends the region (its methods throw, nothing persists any
 * more) but the file stays mapped until every buffer {@link #buffer()}
 * gave has been collected, as the JDK's own MappedByteBuffer does. A store
 * through a buffer after close is therefore safe but never persisted by
 * pmemkit: drop a region's buffers when you close it. A buffer keeps its
 * region reachable: a region that is never closed is persisted and closed
 * once it and its buffers have been collected.
 *
 * <p>The methods may be called from several threads at once; close waits
 * for the calls in flight.
 */
public final class Region implements AutoCloseable {
    /** How a copy into the region is made persistent. */
    public enum Flush {
        /** Flushed and waited for before the call returns (the default). */
        PERSIST(0),
        /** Flushed, not waited for: {@link Region#drain()} waits. */
        NO_DRAIN(PmemkitNative.PK_REGION_NODRAIN),
        /** Plain stores: {@link Region#persist(long, long)} them later. */
        NO_FLUSH(PmemkitNative.PK_REGION_NOFLUSH);

        final int flags;

        Flush(int flags) {
            this.flags = flags;
        }
    }

    private static final Cleaner CLEANER = Cleaner.create();

    /*
     * The mapping, apart from the Region object, so that a cleaner can end
     * a region nobody references: calls are counted in `inflight`; close
     * refuses new ones, waits for those, persists the whole region and
     * drops the region's use; the file is unmapped when the last use (the
     * region's, and one per buffer until the buffer is collected) is gone.
     */
    private static final class Mapping implements Runnable {
        final SWIGTYPE_p_pk_region ptr;
        final long length;
        private final AtomicInteger inflight = new AtomicInteger();
        private final AtomicInteger uses = new AtomicInteger(1);
        private volatile boolean closed;

        Mapping(SWIGTYPE_p_pk_region ptr, long length) {
            this.ptr = ptr;
            this.length = length;
        }

        void enter() throws PmemkitException {
            inflight.incrementAndGet();
            if (closed) {
                inflight.decrementAndGet();
                throw new ClosedException(PmemkitNative.PK_ECLOSED, "PK_ECLOSED",
                        "PK_ECLOSED: region is closed");
            }
        }

        void exit() {
            inflight.decrementAndGet();
        }

        boolean isClosed() {
            return closed;
        }

        /*
         * A buffer's use of the mapping, ended when the buffer is
         * collected; until then the cleaning action keeps `region`
         * reachable, so that a region is not closed under a buffer of it
         * that is still in use.
         */
        void use(ByteBuffer buffer, Region region) {
            uses.incrementAndGet();
            CLEANER.register(buffer, () -> {
                Reference.reachabilityFence(region);
                unuse();
            });
        }

        private void unuse() {
            if (uses.decrementAndGet() == 0) {
                try {
                    PmemkitNative.pk_region_close(ptr);
                } catch (PmemkitException e) {
                    // munmap failed: nothing to undo, no one to tell
                }
            }
        }

        void close() throws PmemkitException {
            synchronized (this) {
                if (closed)
                    return;
                closed = true;
            }
            while (inflight.get() != 0)
                LockSupport.parkNanos(100_000);
            try {
                PmemkitNative.pk_region_persist(ptr, 0, length);
            } finally {
                unuse();
            }
        }

        @Override
        public void run() {
            try {
                close();
            } catch (PmemkitException e) {
                // a region nobody referenced: no one to tell
            }
        }
    }

    private final String path;
    private final Mapping m;
    private final boolean pmem;
    private final Cleaner.Cleanable cleanable;

    private Region(String path, SWIGTYPE_p_pk_region ptr) throws PmemkitException {
        long[] n = new long[1];
        int[] p = new int[1];
        try {
            PmemkitNative.pk_region_length(n, ptr);
            PmemkitNative.pk_region_is_pmem(p, ptr);
        } catch (PmemkitException e) {
            PmemkitNative.pk_region_close(ptr);
            throw e;
        }
        this.path = path;
        this.m = new Mapping(ptr, n[0]);
        this.pmem = p[0] != 0;
        this.cleanable = CLEANER.register(this, m);
    }

    private static Region map(String path, long size, int flags) throws PmemkitException {
        Objects.requireNonNull(path, "path");
        if ((flags & PmemkitNative.PK_REGION_CREATE) != 0 && size <= 0)
            throw new IllegalArgumentException("pmemkit: a region of " + size + " bytes");
        SWIGTYPE_p_pk_region[] out = new SWIGTYPE_p_pk_region[1];
        PmemkitNative.pk_region_map(out, path, size, flags, 0600);
        return new Region(path, out[0]);
    }

    /**
     * Map a file, creating it with {@code size} bytes if it is missing; an
     * existing file is mapped whole, at its own length (never truncated).
     */
    public static Region create(String path, long size) throws PmemkitException {
        return map(path, size, PmemkitNative.PK_REGION_CREATE);
    }

    /**
     * Create a file of {@code size} bytes and map it.
     *
     * @throws PmemkitIOException EEXIST when the file exists
     */
    public static Region createNew(String path, long size) throws PmemkitException {
        return map(path, size, PmemkitNative.PK_REGION_CREATE | PmemkitNative.PK_REGION_EXCL);
    }

    /**
     * Map an existing file whole.
     *
     * @throws PmemkitIOException ENOENT when there is no such file
     */
    public static Region open(String path) throws PmemkitException {
        return map(path, 0, 0);
    }

    /** See {@link #create(String, long)}. */
    public static Region create(Path path, long size) throws PmemkitException {
        return create(Objects.requireNonNull(path, "path").toString(), size);
    }

    /** See {@link #open(String)}. */
    public static Region open(Path path) throws PmemkitException {
        return open(Objects.requireNonNull(path, "path").toString());
    }

    /* a native call, counted as in flight (close waits for it) */
    private <R> R call(NativeHandle.Fn<SWIGTYPE_p_pk_region, R> fn) throws PmemkitException {
        m.enter();
        try {
            return fn.apply(m.ptr);
        } finally {
            m.exit();
            Reference.reachabilityFence(this);
        }
    }

    private void run(NativeHandle.Run<SWIGTYPE_p_pk_region> fn) throws PmemkitException {
        call(p -> {
            fn.run(p);
            return null;
        });
    }

    /** The file. */
    public String path() {
        return path;
    }

    /** The mapped length, in bytes. */
    public long length() throws PmemkitException {
        return call(p -> m.length);
    }

    /** Whether the mapping is persistent memory (else persisting is msync()). */
    public boolean isPmem() {
        return pmem;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return m.isClosed();
    }

    // ---- persistence ----------------------------------------------------

    /** Make the whole region persistent. */
    public void persist() throws PmemkitException {
        persist(0, m.length);
    }

    /** Make {@code length} bytes at {@code offset} persistent. */
    public void persist(long offset, long length) throws PmemkitException {
        run(p -> PmemkitNative.pk_region_persist(p, offset, length));
    }

    /** Flush a range without waiting ({@link #drain()} waits). */
    public void flush(long offset, long length) throws PmemkitException {
        run(p -> PmemkitNative.pk_region_flush(p, offset, length));
    }

    /** Wait for the flushes so far to reach persistence. */
    public void drain() throws PmemkitException {
        run(PmemkitNative::pk_region_drain);
    }

    /** Persist a range through the memory controller's write buffers too. */
    public void deepFlush(long offset, long length) throws PmemkitException {
        run(p -> PmemkitNative.pk_region_deep_flush(p, offset, length));
    }

    // ---- copies ---------------------------------------------------------

    /** Copy {@code data} in at {@code offset}, persisted. */
    public void write(long offset, byte[] data) throws PmemkitException {
        write(offset, data, Flush.PERSIST);
    }

    /** Copy {@code data} in at {@code offset}, made persistent as {@code flush} says. */
    public void write(long offset, byte[] data, Flush flush) throws PmemkitException {
        Objects.requireNonNull(data, "data");
        int flags = flush.flags;
        run(p -> PmemkitNative.pk_region_write(p, offset, data, flags));
    }

    /** {@code length} bytes at {@code offset}, copied out. */
    public byte[] read(long offset, int length) throws PmemkitException {
        Object[] out = new Object[1];
        run(p -> PmemkitNative.pk_region_get(out, p, offset, length));
        return (byte[]) out[0];
    }

    /** Copy {@code length} bytes from {@code src} to {@code dst} (they may overlap), persisted. */
    public void move(long dst, long src, long length) throws PmemkitException {
        move(dst, src, length, Flush.PERSIST);
    }

    /** {@link #move(long, long, long)}, made persistent as {@code flush} says. */
    public void move(long dst, long src, long length, Flush flush) throws PmemkitException {
        int flags = flush.flags;
        run(p -> PmemkitNative.pk_region_move(p, dst, src, length, flags));
    }

    /** Set {@code length} bytes at {@code offset} to {@code value}, persisted. */
    public void fill(long offset, byte value, long length) throws PmemkitException {
        fill(offset, value, length, Flush.PERSIST);
    }

    /** {@link #fill(long, byte, long)}, made persistent as {@code flush} says. */
    public void fill(long offset, byte value, long length, Flush flush) throws PmemkitException {
        int flags = flush.flags;
        run(p -> PmemkitNative.pk_region_fill(p, offset, value & 0xff, length, flags));
    }

    // ---- in place -------------------------------------------------------

    /**
     * The whole mapping as a direct ByteBuffer (big-endian, as every new
     * ByteBuffer: set {@code order()} for native). Stores through it are
     * in the file's memory at once and persistent after
     * {@link #persist(long, long)} of their range (or close).
     *
     * @throws UnsupportedOperationException for a region over 2 GiB (use
     *         {@link #buffer(long, int)})
     */
    public ByteBuffer buffer() throws PmemkitException {
        if (m.length > Integer.MAX_VALUE)
            throw new UnsupportedOperationException("pmemkit: a region of " + m.length
                    + " bytes is larger than a ByteBuffer: take buffers of parts of it");
        return buffer(0, (int) m.length);
    }

    /** {@code length} bytes at {@code offset} of the mapping, as a direct ByteBuffer. */
    public ByteBuffer buffer(long offset, int length) throws PmemkitException {
        return call(p -> {
            ByteBuffer b = PmemkitNative.pk_java_region_buffer(p, offset, length);
            m.use(b, this);
            return b;
        });
    }

    // ---- closing --------------------------------------------------------

    /**
     * Persist the whole region and end it; a no-op when it is closed. The
     * file is unmapped now, or when the buffers of the region still
     * reachable have been collected.
     */
    @Override
    public void close() throws PmemkitException {
        try {
            m.close();
        } finally {
            cleanable.clean();
        }
    }

    @Override
    public String toString() {
        return "Region[" + path + ", " + m.length + " bytes" + (pmem ? ", pmem" : "")
                + (isClosed() ? ", closed]" : "]");
    }
}
