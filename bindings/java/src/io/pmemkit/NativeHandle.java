package io.pmemkit;

import java.util.function.Consumer;

/**
 * A native handle (map, list, array, cursor) owned by a Java object. The
 * pool releases it when its owner has been collected or when the pool is
 * closed, always in a thread that uses the pool (pmemkit's handles are not
 * thread-safe), never in a cleaner thread. After that, using it throws
 * the pool's ClosedException.
 */
final class NativeHandle<T> {
    private T ptr;
    private final Consumer<T> release;

    NativeHandle(T ptr, Consumer<T> release) {
        this.ptr = ptr;
        this.release = release;
    }

    T get() throws PmemkitException {
        T p = ptr;
        if (p == null)
            throw PmemkitException.forCode(PmemkitNative.PK_ECLOSED);
        return p;
    }

    void release() {
        T p = ptr;
        if (p != null) {
            ptr = null;
            release.accept(p);
        }
    }
}
