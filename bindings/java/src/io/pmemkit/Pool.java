package io.pmemkit;

import java.lang.ref.Cleaner;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An open pmemkit pool: a file of crash-consistent persistent containers.
 *
 * <pre>{@code
 * try (Pool pool = Pool.create("/dev/shm/my.pool")) {  // grows on demand
 *     PersistentMap root = pool.root();
 *     root.put("config", Map.of("retries", 3L, "hosts", List.of("a", "b")));
 *     pool.transaction(() -> {               // all of it or none of it
 *         root.put("n", (Long) root.getOrDefault("n", 0L) + 1);
 *         root.put("log", new ArrayList<>());
 *     });
 * }
 * }</pre>
 *
 * <p>Every change to a container is atomic and durable when the method
 * returns. A pool and its containers may be used by any number of threads
 * at once, as the C library underneath (include/pmemkit.h, "Threads"):
 * reads run in parallel, changes to one container are serialised, a
 * transaction holds the whole pool until it ends, and closing the pool
 * waits for the calls in flight (iterators, like java.util's, are for one
 * thread). Containers keep their pool reachable; after
 * {@link #close()} using them throws {@code ClosedException} (wrapped in a
 * {@link PmemkitRuntimeException} by the java.util methods). A pool that
 * becomes unreachable without being closed is closed when it is collected.
 */
public final class Pool implements AutoCloseable {
    /** Smallest pool size {@link #create(String, long)} accepts. */
    public static final long MIN_SIZE = PmemkitNative.PK_POOL_MIN_SIZE;
    /** A size for a fixed pool, 64 MiB ({@link #create(String)} makes a growing one). */
    public static final long DEFAULT_SIZE = 64L << 20;

    private static final Cleaner CLEANER = Cleaner.create();

    /*
     * What closing needs, apart from the Pool object, so that the cleaner
     * can close a pool nobody references any more; and what makes one
     * pool safe to share between threads, as the C library is:
     *
     * - every native call runs between enter() and exit() (or, to end a
     *   transaction or release a handle while the pool is closing,
     *   enterAny()), which count it in `inflight`: in the cell of the
     *   calling thread (a call increments and decrements the same one),
     *   so that threads reading in parallel, as the C library lets them,
     *   do not all write one cache line;
     * - close() refuses new calls (`closing`), aborts its own thread's
     *   transaction, waits until no call is in flight and no other thread
     *   has a transaction open (their next call throws ClosedException;
     *   they may still commit or abort), refuses everything (`ptr` null),
     *   waits again, then releases every handle and closes the pool;
     * - the table of handles is guarded by this object's monitor.
     * The per-call cost is one atomic increment and one decrement.
     */
    static final class State implements Runnable {
        volatile SWIGTYPE_p_pk_pool ptr;
        private volatile boolean closing;
        private static final int CELLS = 32;   /* a power of two */
        private static final int SPREAD = 16;  /* ints: 64 bytes between cells */
        private final AtomicIntegerArray inflight = new AtomicIntegerArray(CELLS * SPREAD);
        /* threads with a transaction open on the pool */
        private final AtomicInteger transactions = new AtomicInteger();
        private final Object closeLock = new Object();
        private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
        private final Map<Reference<?>, NativeHandle.Slot<?>> handles = new HashMap<>();

        State(SWIGTYPE_p_pk_pool ptr) {
            this.ptr = ptr;
        }

        boolean isClosing() {
            return closing;
        }

        /* the calling thread's cell of `inflight` */
        private static int cell() {
            return (int) (Thread.currentThread().getId() & (CELLS - 1)) * SPREAD;
        }

        void enter() throws PmemkitException {
            int c = cell();
            inflight.incrementAndGet(c);
            if (closing) {
                inflight.decrementAndGet(c);
                throw PmemkitException.forCode(PmemkitNative.PK_ECLOSED);
            }
        }

        /* enter() that a closing pool still allows: the pointer, or ClosedException */
        SWIGTYPE_p_pk_pool enterAny() throws PmemkitException {
            int c = cell();
            inflight.incrementAndGet(c);
            SWIGTYPE_p_pk_pool p = ptr;
            if (p == null) {
                inflight.decrementAndGet(c);
                throw PmemkitException.forCode(PmemkitNative.PK_ECLOSED);
            }
            return p;
        }

        void exit() {
            inflight.decrementAndGet(cell());
        }

        /* whether no call is in flight: every cell 0 (each counts whole calls) */
        private boolean idle() {
            for (int i = 0; i < CELLS; i++)
                if (inflight.get(i * SPREAD) != 0)
                    return false;
            return true;
        }

        <R> R call(NativeHandle.Fn<SWIGTYPE_p_pk_pool, R> fn) throws PmemkitException {
            enter();
            try {
                SWIGTYPE_p_pk_pool p = ptr;
                if (p == null)
                    throw PmemkitException.forCode(PmemkitNative.PK_ECLOSED);
                return fn.apply(p);
            } finally {
                exit();
            }
        }

        /* A transaction's begin, commit or abort, keeping `transactions`. */
        void tx(int op) throws PmemkitException {
            SWIGTYPE_p_pk_pool p;
            if (op == BEGIN) {
                enter();
                p = ptr;
            } else {
                p = enterAny();
            }
            try {
                if (op == BEGIN) {
                    PmemkitNative.pk_tx_begin(p);
                    if (PmemkitNative.pk_tx_depth(p) == 1)
                        transactions.incrementAndGet();
                    return;
                }
                boolean outermost = PmemkitNative.pk_tx_depth(p) == 1;
                try {
                    if (op == COMMIT)
                        PmemkitNative.pk_tx_commit(p);
                    else
                        PmemkitNative.pk_tx_abort(p);
                } finally {
                    if (outermost)
                        transactions.decrementAndGet();
                }
            } finally {
                exit();
            }
        }

        /*
         * A handle, released when its NativeHandle is collected; at once
         * when the pool is closed already (safe, says pmemkit.h).
         */
        synchronized <T> NativeHandle<T> track(T ptr, Consumer<T> release) {
            if (this.ptr == null) {
                NativeHandle<T> h = new NativeHandle<>(this, ptr, release);
                h.slot.release();
                return h;
            }
            Reference<?> r;
            while ((r = queue.poll()) != null) {
                NativeHandle.Slot<?> s = handles.remove(r);
                if (s != null)
                    s.release();
            }
            NativeHandle<T> h = new NativeHandle<>(this, ptr, release);
            handles.put(new PhantomReference<>(h, queue), h.slot);
            return h;
        }

        void release(NativeHandle.Slot<?> slot) {
            try {
                enterAny();
            } catch (PmemkitException closed) {
                return; /* released with the pool */
            }
            try {
                synchronized (this) {
                    slot.release();
                }
            } finally {
                exit();
            }
        }

        private void await(boolean transactionsToo) {
            while (!idle() || (transactionsToo && transactions.get() != 0))
                LockSupport.parkNanos(100_000);
        }

        /*
         * Abort this thread's transaction, as pk_pool_close would: first,
         * so that a close in another thread, which waits for it, can end
         * (and threads waiting for the pool's lock go on). Whether there
         * was one.
         */
        private boolean abortOwn() {
            SWIGTYPE_p_pk_pool p;
            try {
                p = enterAny();
            } catch (PmemkitException closed) {
                return false;
            }
            try {
                int depth = PmemkitNative.pk_tx_depth(p);
                for (int d = depth; d > 0; d--) {
                    try {
                        PmemkitNative.pk_tx_abort(p);
                    } catch (PmemkitException e) {
                        // the level is ended all the same
                    }
                }
                if (depth > 0)
                    transactions.decrementAndGet();
                return depth > 0;
            } catch (PmemkitException e) {
                return false; /* pk_tx_depth fails for no open pool */
            } finally {
                exit();
            }
        }

        void close() throws PmemkitException {
            boolean aborted = abortOwn();
            synchronized (closeLock) {
                SWIGTYPE_p_pk_pool p = ptr;
                if (p != null) {
                    closing = true;
                    await(true);
                    ptr = null;
                    await(false);
                    synchronized (this) {
                        for (NativeHandle.Slot<?> s : handles.values())
                            s.release();
                        handles.clear();
                        PmemkitNative.pk_pool_close(p);
                    }
                }
            }
            if (aborted)
                throw PmemkitException.forCode(PmemkitNative.PK_EABORTED);
        }

        @Override
        public void run() {
            try {
                close();
            } catch (PmemkitException e) {
                // an open transaction was aborted: nothing to tell anyone
            }
        }
    }

    private static final int BEGIN = 0, COMMIT = 1, ABORT = 2;

    private final String path;
    private final PoolOptions options;
    private final State state;
    private final Cleaner.Cleanable cleanable;
    private final Records records = new Records(this);
    /* plain collections this thread is storing: refuses ones that contain themselves */
    private final ThreadLocal<Set<Object>> building =
            ThreadLocal.withInitial(() -> Collections.newSetFromMap(new IdentityHashMap<>()));

    private Pool(SWIGTYPE_p_pk_pool ptr, String path, PoolOptions options) {
        this.path = path;
        this.options = options;
        state = new State(ptr);
        cleanable = CLEANER.register(this, state);
    }

    /**
     * Create a pool that grows on demand (up to the library's limit; see
     * {@link #create(String, PoolOptions)} for a maximum, a replica, a
     * mode): {@code path} is what {@link #open(String)} opens again.
     *
     * @throws PmemkitIOException EEXIST if the file exists, ENOENT, EACCES...
     */
    public static Pool create(String path) throws PmemkitException {
        return create(path, PoolOptions.defaults());
    }

    /**
     * Create a pool file of a fixed size.
     *
     * @param path the file; it must not exist
     * @param size its size in bytes, at least {@link #MIN_SIZE}
     * @throws IllegalArgumentException for a size below the minimum
     * @throws PmemkitIOException EEXIST if the file exists, ENOENT, EACCES...
     */
    public static Pool create(String path, long size) throws PmemkitException {
        Objects.requireNonNull(path, "path");
        if (size < MIN_SIZE)
            throw new IllegalArgumentException("pmemkit: pool size " + size
                    + " is below the minimum " + MIN_SIZE);
        return create(path, PoolOptions.fixed(size));
    }

    /**
     * Create a pool as {@code options} say: growing (size 0, the default)
     * up to a maximum or of a fixed size, with a mode, a replica,
     * process-durable ({@link PoolOptions}).
     *
     * @throws IllegalArgumentException for options create does not take
     *         ({@code readOnly}) or that do not go together (a maximum below
     *         the size), or that the library refuses (EINVAL); nothing is
     *         created
     * @throws PmemkitIOException EEXIST if the pool (or its replica) exists,
     *         ENOENT, EACCES..., ENOTSUP for what the library cannot do here
     */
    public static Pool create(String path, PoolOptions options) throws PmemkitException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        options.checkCreate();
        SWIGTYPE_p_pk_pool[] out = new SWIGTYPE_p_pk_pool[1];
        try {
            PmemkitNative.pk_swig_pool_create(out, path, options.size(), options.maxSize(),
                    options.mode(), options.bits(), options.replica());
        } catch (PmemkitIOException e) {
            throw invalid(e);
        }
        return new Pool(out[0], path, options);
    }

    /* EINVAL, the library's word for options it refuses, as Java says it */
    private static PmemkitIOException invalid(PmemkitIOException e) {
        if ("EINVAL".equals(e.codeName()))
            throw new IllegalArgumentException(e.getMessage(), e);
        return e;
    }

    /**
     * Open a pool file (or a growing or replicated pool's file: what
     * {@code create} was given), read-write.
     *
     * @throws PmemkitIOException ENOENT when there is no such file, EAGAIN
     *         when it is open already (in this process or another)
     * @throws PoolException when the file is not a pmemkit pool
     */
    public static Pool open(String path) throws PmemkitException {
        return open(path, PoolOptions.defaults());
    }

    /**
     * Open a pool with the flags of pmemkit's table:
     * {@code Pool.open(path, PoolFlag.READONLY)}.
     */
    public static Pool open(String path, PoolFlag... flags) throws PmemkitException {
        PoolOptions o = PoolOptions.defaults();
        for (PoolFlag f : flags)
            o = o.flag(f, true);
        return open(path, o);
    }

    /**
     * Open a pool as {@code options} say: read-only (every write throws
     * {@link ReadOnlyException}, and the file is never written),
     * process-durable. Open takes flags only.
     *
     * @throws IllegalArgumentException for options that are create's
     *         (size, maxSize, mode, replica), or that the library refuses
     */
    public static Pool open(String path, PoolOptions options) throws PmemkitException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        options.checkOpen();
        SWIGTYPE_p_pk_pool[] out = new SWIGTYPE_p_pk_pool[1];
        try {
            PmemkitNative.pk_swig_pool_open(out, path, options.bits());
        } catch (PmemkitIOException e) {
            throw invalid(e);
        }
        return new Pool(out[0], path, options);
    }

    /** Create a pool that grows (see {@link #create(String)}). */
    public static Pool create(Path path) throws PmemkitException {
        return create(Objects.requireNonNull(path, "path").toString());
    }

    /** Create a pool file (see {@link #create(String, long)}). */
    public static Pool create(Path path, long size) throws PmemkitException {
        return create(Objects.requireNonNull(path, "path").toString(), size);
    }

    /** Create a pool (see {@link #create(String, PoolOptions)}). */
    public static Pool create(Path path, PoolOptions options) throws PmemkitException {
        return create(Objects.requireNonNull(path, "path").toString(), options);
    }

    /** Open a pool file (see {@link #open(String)}). */
    public static Pool open(Path path) throws PmemkitException {
        return open(Objects.requireNonNull(path, "path").toString());
    }

    /** Open a pool (see {@link #open(String, PoolFlag...)}). */
    public static Pool open(Path path, PoolFlag... flags) throws PmemkitException {
        return open(Objects.requireNonNull(path, "path").toString(), flags);
    }

    /** Open a pool (see {@link #open(String, PoolOptions)}). */
    public static Pool open(Path path, PoolOptions options) throws PmemkitException {
        return open(Objects.requireNonNull(path, "path").toString(), options);
    }

    /**
     * Repair a pool that has a replica ({@link PoolOptions#replica}): a
     * damaged or missing copy is rebuilt from a healthy one. The pool must
     * not be open.
     *
     * @throws PoolException when {@code path} is no pool with a replica
     *         (PK_ENOTPOOL), or no healthy copy is left (PK_ECORRUPT)
     * @throws PmemkitIOException EAGAIN when the pool is open, ENOENT...
     */
    public static void repair(String path) throws PmemkitException {
        PmemkitNative.pk_pool_repair(Objects.requireNonNull(path, "path"));
    }

    /** {@link #repair(String)} of a {@link Path}. */
    public static void repair(Path path) throws PmemkitException {
        repair(Objects.requireNonNull(path, "path").toString());
    }

    /** The version of the pmemkit library, "MAJOR.MINOR.PATCH". */
    public static String version() {
        return PmemkitNative.pk_version();
    }

    /** The pool's file. */
    public String path() {
        return path;
    }

    /** The options the pool was created or opened with. */
    public PoolOptions options() {
        return options;
    }

    /**
     * Whether the pool is open read-only: every write throws
     * {@link ReadOnlyException} (the java.util methods an
     * {@code UnsupportedOperationException} with it as the cause).
     */
    public boolean isReadOnly() {
        return options.has(PoolFlag.READONLY);
    }

    /*
     * ReadOnlyException on a read-only pool: for a mutator that may find
     * nothing to change and so reach no native write (which would refuse)
     */
    void checkWritable() throws PmemkitException {
        if (isReadOnly())
            throw PmemkitException.forCode(PmemkitNative.PK_EREADONLY);
    }

    /** Whether the pool is closed, or being closed by another thread. */
    public boolean isClosed() {
        return state.isClosing();
    }

    /**
     * Close the pool; a no-op when it is closed. An open transaction of
     * this thread is aborted first, and the pool is closed all the same.
     * Other threads may be using the pool: from now on their calls throw
     * {@code ClosedException}; close waits for the calls in flight to
     * return and for the transactions open in other threads to end (they
     * may still commit or abort). Do not call it while another thread
     * keeps a transaction open that it will not end.
     *
     * @throws TransactionException when a transaction was aborted so
     */
    @Override
    public void close() throws PmemkitException {
        try {
            state.close();
        } finally {
            cleanable.clean();
        }
    }

    @Override
    public String toString() {
        return "Pool[" + path + (isClosed() ? ", closed]" : "]");
    }

    // ---- records ----------------------------------------------------------

    /**
     * Register a class for the records of its name ({@link PersistentClass}'s
     * value, else its simple name): a {@link PersistentObject} subclass with
     * a constructor without parameters (of any access), or a Java
     * {@code record} class. Reading a record of that name then gives an
     * instance of the class; {@link #newObject} makes one; storing an
     * instance of a registered Java record stores a new record of its
     * components. The registry is this pool object's, filled by the
     * program only: a pool never names code to load. Registering a class
     * again under its name is a no-op.
     *
     * @throws IllegalArgumentException for another kind of class, a name or
     *         class registered to another class or name, an invalid name
     */
    public void register(Class<?> cls) {
        records.register(cls);
    }

    /**
     * {@link #register(Class)} with the instances made by {@code factory}
     * (no reflection): {@code pool.register(Point.class, Point::new)}.
     */
    public <T extends PersistentObject> void register(Class<T> cls, Supplier<? extends T> factory) {
        records.register(cls, factory);
    }

    /** {@link #register(Class)} under another class name than the class's own. */
    public void register(String className, Class<?> cls) {
        records.register(className, cls);
    }

    /**
     * A new object of a registered {@link PersistentObject} class, bound to
     * a new record of its class name with no attributes (unreferenced until
     * stored: {@link #gc()} frees it if it never is).
     *
     * @throws IllegalArgumentException when the class is not registered
     */
    public <T extends PersistentObject> T newObject(Class<T> cls) throws PmemkitException {
        return records.newObject(cls);
    }

    /**
     * A new record of a class name with no attributes: an instance of the
     * class registered for it, else a {@link PersistentRecord}
     * (unreferenced until stored).
     */
    public PersistentObject newRecord(String className) throws PmemkitException {
        return records.newRecord(className);
    }

    /** {@link #newRecord(String)} with attributes, made in one transaction. */
    public PersistentObject newRecord(String className, Map<String, ?> attributes) throws PmemkitException {
        return records.newRecord(className, attributes);
    }

    /** The root map. */
    public PersistentMap root() throws PmemkitException {
        return state.call(p -> {
            SWIGTYPE_p_pk_map[] out = new SWIGTYPE_p_pk_map[1];
            PmemkitNative.pk_pool_root(out, p);
            return new PersistentMap(this, out[0]);
        });
    }

    /**
     * A new empty map, unreferenced until it is stored in a container
     * reachable from the root ({@link #gc()} frees it if it never is).
     */
    public PersistentMap newMap() throws PmemkitException {
        return state.call(p -> {
            SWIGTYPE_p_pk_map[] out = new SWIGTYPE_p_pk_map[1];
            PmemkitNative.pk_map_new(out, p);
            return new PersistentMap(this, out[0]);
        });
    }

    /** A new empty list, unreferenced until stored (see {@link #newMap()}). */
    public PersistentList newList() throws PmemkitException {
        return state.call(p -> {
            SWIGTYPE_p_pk_list[] out = new SWIGTYPE_p_pk_list[1];
            PmemkitNative.pk_list_new(out, p);
            return new PersistentList(this, out[0]);
        });
    }

    /** A new typed array of {@code length} zero elements, unreferenced until stored. */
    public PersistentArray newArray(ElementType type, long length) throws PmemkitException {
        if (type == ElementType.BYTES)
            throw new IllegalArgumentException("pmemkit: BYTES arrays need a width: use newBytesArray");
        return newArray(type, 0, length, null);
    }

    /** A new array of {@code length} zero byte strings of {@code width} bytes each. */
    public PersistentArray newBytesArray(int width, long length) throws PmemkitException {
        return newArray(ElementType.BYTES, width, length, null);
    }

    /** A new I64 array holding {@code values}. */
    public PersistentArray newArray(long[] values) throws PmemkitException {
        return newArray(ElementType.I64, values);
    }

    /** A new F64 array holding {@code values}. */
    public PersistentArray newArray(double[] values) throws PmemkitException {
        return newArray(ElementType.F64, values);
    }

    /** A new integer array of the given element type holding {@code values}. */
    public PersistentArray newArray(ElementType type, long[] values) throws PmemkitException {
        return newArray(type, 0, values.length,
                PersistentArray.encode(type, values.length, (b, i) -> type.putLong(b, i, values[i])));
    }

    /** A new float array of the given element type holding {@code values}. */
    public PersistentArray newArray(ElementType type, double[] values) throws PmemkitException {
        return newArray(type, 0, values.length,
                PersistentArray.encode(type, values.length, (b, i) -> type.putDouble(b, i, values[i])));
    }

    private PersistentArray newArray(ElementType type, int width, long length, byte[] init)
            throws PmemkitException {
        if (length < 0)
            throw new IllegalArgumentException("pmemkit: negative array length");
        return state.call(p -> {
            SWIGTYPE_p_pk_array[] out = new SWIGTYPE_p_pk_array[1];
            PmemkitNative.pk_array_new(out, p, type.code, width, length, init);
            return new PersistentArray(this, out[0]);
        });
    }

    /** A new empty log, unreferenced until stored (see {@link #newMap()}). */
    public PersistentLog newLog() throws PmemkitException {
        return state.call(p -> {
            SWIGTYPE_p_pk_log[] out = new SWIGTYPE_p_pk_log[1];
            PmemkitNative.pk_log_new(out, p);
            return new PersistentLog(this, out[0]);
        });
    }

    /** A new log holding {@code records}, made atomically. */
    public PersistentLog newLog(java.util.Collection<byte[]> records) throws PmemkitException {
        return inTransaction(() -> {
            PersistentLog log = newLog();
            log.appendAll(records);
            return log;
        });
    }

    /**
     * A new block array of {@code count} blocks of {@code blockSize} bytes
     * ({@link PersistentBlocks#MIN_BLOCK_SIZE} to
     * {@link PersistentBlocks#MAX_BLOCK_SIZE}) that read as zeros,
     * unreferenced until stored.
     */
    public PersistentBlocks newBlocks(int blockSize, long count) throws PmemkitException {
        if (blockSize < PersistentBlocks.MIN_BLOCK_SIZE || blockSize > PersistentBlocks.MAX_BLOCK_SIZE)
            throw new IllegalArgumentException("pmemkit: a block size of " + blockSize
                    + " bytes (" + PersistentBlocks.MIN_BLOCK_SIZE + " to "
                    + PersistentBlocks.MAX_BLOCK_SIZE + ")");
        if (count < 0)
            throw new IllegalArgumentException("pmemkit: a negative number of blocks");
        return state.call(p -> {
            SWIGTYPE_p_pk_blocks[] out = new SWIGTYPE_p_pk_blocks[1];
            PmemkitNative.pk_blocks_new(out, p, blockSize, count);
            return new PersistentBlocks(this, out[0]);
        });
    }

    /** A new empty set, unreferenced until stored (see {@link #newMap()}). */
    public PersistentSet newSet() throws PmemkitException {
        return state.call(p -> {
            SWIGTYPE_p_pk_set[] out = new SWIGTYPE_p_pk_set[1];
            PmemkitNative.pk_set_new(out, p);
            return new PersistentSet(this, out[0], false);
        });
    }

    /**
     * A new set of {@code elements}, made in one transaction.
     *
     * @throws ClassCastException for an element that is not a scalar (nothing is made)
     */
    public PersistentSet newSet(java.util.Collection<?> elements) throws PmemkitException {
        List<Object> es = Arrays.asList(PersistentSet.elements(elements));
        return inTransaction(() -> {
            PersistentSet s = newSet();
            s.addAll(es);
            return s;
        });
    }

    /**
     * A new frozen set of {@code elements} (an immutable set, as Python's
     * frozenset: read-only from then on, in every language), made in one
     * transaction.
     *
     * @throws ClassCastException for an element that is not a scalar (nothing is made)
     */
    public PersistentSet newFrozenSet(java.util.Collection<?> elements) throws PmemkitException {
        return inTransaction(() -> {
            Object ref = newSet(elements).ref();
            state.call(p -> {
                PmemkitNative.pk_container_set_flags(p, ref, PmemkitNative.PK_FLAG_FROZEN);
                return null;
            });
            return (PersistentSet) wrap(ref);
        });
    }

    /**
     * A new empty sorted map ({@link PersistentSortedMap}), unreferenced
     * until stored (see {@link #newMap()}).
     */
    public PersistentSortedMap newSortedMap() throws PmemkitException {
        return state.call(p -> {
            SWIGTYPE_p_pk_sorted[] out = new SWIGTYPE_p_pk_sorted[1];
            PmemkitNative.pk_sorted_new(out, p);
            return new PersistentSortedMap(this, out[0]);
        });
    }

    /**
     * A new sorted map of the entries of {@code entries} (any Map: the
     * order is the library's), made in one transaction.
     *
     * @throws ClassCastException for a key that a sorted map does not take
     *         (nothing is made)
     */
    public PersistentSortedMap newSortedMap(Map<?, ?> entries) throws PmemkitException {
        for (Object k : entries.keySet())
            PersistentSortedMap.key(k);
        return inTransaction(() -> {
            PersistentSortedMap m = newSortedMap();
            for (Map.Entry<?, ?> e : entries.entrySet())
                m.putChecked(e.getKey(), e.getValue());
            return m;
        });
    }

    /**
     * Run {@code body} in a transaction: after a crash either all of its
     * changes are in the pool or none. It commits when the body returns;
     * an exception from the body aborts it and propagates unchanged.
     * Transactions nest flatly: only the outermost commit makes changes
     * durable, an abort at any level aborts the whole transaction.
     *
     * @throws TransactionException when the transaction had been aborted
     *         (an operation inside failed after changing the pool, and the
     *         body caught its exception)
     */
    public <E extends Exception> void transaction(Transactional<E> body) throws PmemkitException, E {
        begin();
        try {
            body.run();
        } catch (Throwable t) {
            if (state.ptr != null) {
                try {
                    abort();
                } catch (PmemkitException e) {
                    t.addSuppressed(e);
                }
            }
            throw t;
        }
        commit();
    }

    /** Begin a transaction, or a nested level of the open one (see {@link #transaction}). */
    public void begin() throws PmemkitException {
        state.tx(BEGIN);
    }

    /** Commit the current level of the transaction. */
    public void commit() throws PmemkitException {
        state.tx(COMMIT);
    }

    /** Abort the whole transaction and end its current level. */
    public void abort() throws PmemkitException {
        state.tx(ABORT);
    }

    /** Nesting depth of this thread's transaction on the pool (0: none). */
    public int transactionDepth() throws PmemkitException {
        return state.call(PmemkitNative::pk_tx_depth);
    }

    /**
     * Map every page of the pool now, so that no later operation pays a
     * first-touch page fault (most of a growing map's slowest puts).
     * Takes time in proportion to the pool's size; changes no data.
     */
    public void prefault() throws PmemkitException {
        state.call(p -> {
            PmemkitNative.pk_pool_prefault(p);
            return null;
        });
    }

    /**
     * Free every container not reachable from the root.
     *
     * @return the number of objects freed
     */
    public long gc() throws PmemkitException {
        long[] freed = new long[1];
        state.call(p -> {
            PmemkitNative.pk_pool_gc(freed, p);
            return null;
        });
        return freed[0];
    }

    /**
     * Move objects out of sparsely used parts of the pool, so that the
     * space freed there becomes one free space again (after deleting much,
     * a large container that did not fit may fit after it). Containers
     * and handles stay valid. Not inside a transaction.
     *
     * @throws TransactionException inside a transaction (PK_ETXN)
     * @throws ReadOnlyException on a read-only pool
     * @throws PoolException when the walk meets damage (nothing is moved)
     */
    public DefragReport defrag() throws PmemkitException {
        pk_defrag_report r = new pk_defrag_report();
        try {
            state.call(p -> {
                PmemkitNative.pk_pool_defrag(r, p);
                return null;
            });
            return new DefragReport(r.getObjects(), r.getMoved(), r.getMoved_bytes(),
                    r.getFreed_bytes());
        } finally {
            r.delete();
        }
    }

    /**
     * Make everything written so far durable on the medium: needed for a
     * pool opened {@link PoolFlag#PROCESS_DURABLE process-durable} on a
     * file that is not persistent memory (until then its writes survive a
     * crash of the process, not a power loss); a no-op otherwise.
     *
     * @throws PmemkitIOException for an error of the operating system's (msync)
     */
    public void sync() throws PmemkitException {
        state.call(p -> {
            PmemkitNative.pk_pool_sync(p);
            return null;
        });
    }

    /** Walk the pool and report problems, changing nothing. */
    public CheckReport check() throws PmemkitException {
        pk_check_report r = new pk_check_report();
        try {
            state.call(p -> {
                PmemkitNative.pk_pool_check(r, p);
                return null;
            });
            return new CheckReport(r.getObjects(), r.getReachable(), r.getLeaked(),
                    r.getDangling(), r.getRefcounts(), r.getDamaged());
        } finally {
            r.delete();
        }
    }

    /**
     * Space and state of the pool, with the containers of each kind and
     * the bytes they own ({@link PoolStats#kinds()}); walks every object.
     */
    public PoolStats stats() throws PmemkitException {
        pk_pool_stats s = new pk_pool_stats();
        try {
            Map<PoolStats.Kind, PoolStats.KindStats> kinds = new EnumMap<>(PoolStats.Kind.class);
            state.call(p -> {
                PmemkitNative.pk_pool_stats_get(s, p);
                long[] count = new long[1];
                long[] bytes = new long[1];
                for (PoolStats.Kind k : PoolStats.Kind.values()) {
                    PmemkitNative.pk_pool_kind_stats(count, bytes, p, k.type);
                    kinds.put(k, new PoolStats.KindStats(count[0], bytes[0]));
                }
                return null;
            });
            return new PoolStats(s.getSize(), s.getUsed(), s.getObjects(),
                    s.getUnclean() != 0, s.getRecovered(), kinds, s.getMax_size(), s.getFree());
        } finally {
            s.delete();
        }
    }

    /**
     * The bytes a container of this pool or a record holds in it: its own
     * (its entries, blobs and storage) or, when {@code deep}, with those of
     * every container it refers to, directly or not, each counted once
     * (cycles included). {@code sizeOf(root(), true) == stats().used()}.
     * A view from {@code asMap}/{@code asList} counts as its container.
     *
     * @throws IllegalArgumentException for what holds nothing of its own in
     *         the pool: a plain value (a String, a java.util.Map, a
     *         {@link FrozenSet}, ...), an object made with {@code new}, or
     *         a container of another pool
     */
    public long sizeOf(Object container, boolean deep) throws PmemkitException {
        Objects.requireNonNull(container, "container");
        Object c = container;
        if (c instanceof TypedMap<?, ?> t)
            c = t.persistent();
        else if (c instanceof TypedList<?> t)
            c = t.persistent();
        Object ref = Containers.ref(this, c);
        if (ref == null)
            throw new IllegalArgumentException("pmemkit: sizeOf takes a container or a record "
                    + "of the pool, not a " + container.getClass().getName()
                    + " (a value holds nothing of its own in the pool)");
        long[] shallow = new long[1];
        long[] whole = new long[1];
        state.call(p -> {
            PmemkitNative.pk_container_bytes(shallow, whole, p, ref);
            return null;
        });
        return deep ? whole[0] : shallow[0];
    }

    /** {@code sizeOf(container, false)}: the container's own bytes. */
    public long sizeOf(Object container) throws PmemkitException {
        return sizeOf(container, false);
    }

    // ---- for the containers ----------------------------------------------

    /* A native call on the pool, counted as in flight (see State). */
    <R> R call(NativeHandle.Fn<SWIGTYPE_p_pk_pool, R> fn) throws PmemkitException {
        return state.call(fn);
    }

    /* A handle owned by a container or cursor (see NativeHandle). */
    <T> NativeHandle<T> track(T ptr, Consumer<T> release) {
        return state.track(ptr, release);
    }

    /* What the native layer returned, with references opened as containers. */
    Object wrap(Object v) throws PmemkitException {
        if (!(v instanceof Ref r))
            return v;
        if (r.type == PmemkitNative.PK_RECORD)
            return records.read(r);
        return state.call(p -> {
            switch (r.type) {
            case PmemkitNative.PK_MAP: {
                SWIGTYPE_p_pk_map[] out = new SWIGTYPE_p_pk_map[1];
                PmemkitNative.pk_map_open(out, p, r);
                return new PersistentMap(this, out[0]);
            }
            case PmemkitNative.PK_LIST: {
                SWIGTYPE_p_pk_list[] out = new SWIGTYPE_p_pk_list[1];
                PmemkitNative.pk_list_open(out, p, r);
                return new PersistentList(this, out[0]);
            }
            case PmemkitNative.PK_ARRAY: {
                SWIGTYPE_p_pk_array[] out = new SWIGTYPE_p_pk_array[1];
                PmemkitNative.pk_array_open(out, p, r);
                return new PersistentArray(this, out[0]);
            }
            case PmemkitNative.PK_LOG: {
                SWIGTYPE_p_pk_log[] out = new SWIGTYPE_p_pk_log[1];
                PmemkitNative.pk_log_open(out, p, r);
                return new PersistentLog(this, out[0]);
            }
            case PmemkitNative.PK_BLOCKS: {
                SWIGTYPE_p_pk_blocks[] out = new SWIGTYPE_p_pk_blocks[1];
                PmemkitNative.pk_blocks_open(out, p, r);
                return new PersistentBlocks(this, out[0]);
            }
            case PmemkitNative.PK_SET: {
                SWIGTYPE_p_pk_set[] out = new SWIGTYPE_p_pk_set[1];
                int[] flags = new int[1];
                PmemkitNative.pk_container_flags(flags, p, r);
                PmemkitNative.pk_set_open(out, p, r);
                return new PersistentSet(this, out[0], (flags[0] & PmemkitNative.PK_FLAG_FROZEN) != 0);
            }
            case PmemkitNative.PK_SORTED: {
                SWIGTYPE_p_pk_sorted[] out = new SWIGTYPE_p_pk_sorted[1];
                PmemkitNative.pk_sorted_open(out, p, r);
                return new PersistentSortedMap(this, out[0]);
            }
            default:
                throw PmemkitException.forCode(PmemkitNative.PK_EVALUE);
            }
        });
    }

    /* A value computed in a transaction of its own (nested in the caller's). */
    <T> T inTransaction(PmemkitRuntimeException.Call<T> body) throws PmemkitException {
        Object[] result = new Object[1];
        transaction(() -> result[0] = body.call());
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /* Where a value goes into the pool: the native call, given what to store. */
    @FunctionalInterface
    interface Store {
        void put(Object nativeValue) throws PmemkitException;
    }

    /** Whether the native layer takes {@code v} as it is. */
    static boolean isScalar(Object v) {
        return v == null || v instanceof String || v instanceof Long
                || v instanceof Integer || v instanceof Double || v instanceof Boolean
                || v instanceof byte[] || v instanceof BigInteger
                || v instanceof Short || v instanceof Byte || v instanceof Float
                || v instanceof Tuple || v instanceof FrozenSet;
    }

    /**
     * Whether {@code v} can be a key or a set element: a scalar, or a
     * java.util.Set other than a live PersistentSet (the native layer
     * makes it a frozen set).
     */
    static boolean isKey(Object v) {
        return isScalar(v) || FrozenSet.isFrozenable(v);
    }

    /*
     * Store a value through `store`: a scalar as it is, a container of this
     * pool as a reference, and a plain java.util.Map, List, Set or primitive
     * array as a new container made from it (deeply, all in one
     * transaction with the store).
     */
    void store(Object v, Store store) throws PmemkitException {
        Object ref;
        if (isScalar(v)) {
            store.put(v);
        } else if ((ref = Containers.ref(this, v)) != null) {
            store.put(ref);
        } else if (v instanceof Map || v instanceof List || v instanceof Set || v instanceof long[]
                || v instanceof int[] || v instanceof short[] || v instanceof double[]
                || v instanceof float[]) {
            if (v instanceof Set<?> set)
                PersistentSet.elements(set); /* a bad element aborts no transaction */
            if (v instanceof SortedMap<?, ?> sm)
                for (Object k : sm.keySet())
                    PersistentSortedMap.key(k); /* nor a bad key */
            Set<Object> seen = building.get();
            if (!seen.add(v))
                throw new IllegalArgumentException("pmemkit: cannot store a structure that contains itself");
            try {
                transaction(() -> store.put(build(v)));
            } finally {
                seen.remove(v);
            }
        } else if (v instanceof Record rec) {
            Records.Registered reg = records.registered(rec);
            Set<Object> seen = building.get();
            if (!seen.add(v))
                throw new IllegalArgumentException("pmemkit: cannot store a structure that contains itself");
            try {
                transaction(() -> store.put(records.build(reg, rec)));
            } finally {
                seen.remove(v);
            }
        } else {
            store.put(v); // the native layer throws ClassCastException
        }
    }

    /* A new container made from a plain value; in the caller's transaction. */
    private Object build(Object v) throws PmemkitException {
        if (v instanceof SortedMap<?, ?> sorted)
            return newSortedMap(sorted).ref();
        if (v instanceof Map<?, ?> map) {
            PersistentMap m = newMap();
            for (Map.Entry<?, ?> e : map.entrySet())
                m.putChecked(e.getKey(), e.getValue());
            return m.ref();
        }
        if (v instanceof List<?> list) {
            PersistentList l = newList();
            l.appendAll(list);
            return l.ref();
        }
        if (v instanceof Set<?> set)
            return newSet(set).ref();
        if (v instanceof long[] longs)
            return newArray(longs).ref();
        if (v instanceof double[] doubles)
            return newArray(doubles).ref();
        if (v instanceof int[] ints)
            return newArray(ElementType.I32, Arrays.stream(ints).asLongStream().toArray()).ref();
        if (v instanceof short[] shorts) {
            long[] l = new long[shorts.length];
            for (int i = 0; i < shorts.length; i++)
                l[i] = shorts[i];
            return newArray(ElementType.I16, l).ref();
        }
        float[] f = (float[]) v;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++)
            d[i] = f[i];
        return newArray(ElementType.F32, d).ref();
    }
}
