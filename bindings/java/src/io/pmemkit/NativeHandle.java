package io.pmemkit;

import java.lang.ref.Reference;
import java.util.function.Consumer;

/**
 * A native handle (map, list, array, cursor) owned by a Java object, and
 * the bracket every native call on it runs in (see {@link Pool.State}):
 * {@link #call} counts the call as in flight on the pool, so that closing
 * the pool waits for it, and keeps this object reachable until the call
 * has returned, so that the pool cannot release the handle under it. The
 * pool releases the handle when this object has been collected (at the
 * next handle made) or when the pool is closed. After that, using it
 * throws the pool's ClosedException.
 */
final class NativeHandle<T> {
    /* What the pool releases: the pointer and how, apart from this object. */
    static final class Slot<T> {
        private volatile T ptr;
        private final Consumer<T> release;

        Slot(T ptr, Consumer<T> release) {
            this.ptr = ptr;
            this.release = release;
        }

        /* with the pool's handle table locked */
        void release() {
            T p = ptr;
            if (p != null) {
                ptr = null;
                release.accept(p);
            }
        }
    }

    /* A native call given the handle's pointer. */
    @FunctionalInterface
    interface Fn<T, R> {
        R apply(T ptr) throws PmemkitException;
    }

    /* A native call that returns nothing. */
    @FunctionalInterface
    interface Run<T> {
        void run(T ptr) throws PmemkitException;
    }

    private final Pool.State pool;
    final Slot<T> slot;

    NativeHandle(Pool.State pool, T ptr, Consumer<T> release) {
        this.pool = pool;
        this.slot = new Slot<>(ptr, release);
    }

    /* Run fn with the pointer, counted as in flight on the pool. */
    <R> R call(Fn<T, R> fn) throws PmemkitException {
        pool.enter();
        try {
            T p = slot.ptr;
            if (p == null)
                throw PmemkitException.forCode(PmemkitNative.PK_ECLOSED);
            return fn.apply(p);
        } finally {
            pool.exit();
            Reference.reachabilityFence(this);
        }
    }

    /* call() for a native call that returns nothing */
    void run(Run<T> fn) throws PmemkitException {
        call(p -> {
            fn.run(p);
            return null;
        });
    }

    /* Release the handle now (a cursor at its end); a no-op once the pool is closed. */
    void release() {
        pool.release(slot);
    }
}
