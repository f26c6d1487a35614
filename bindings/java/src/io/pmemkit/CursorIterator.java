package io.pmemkit;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over pmemkit's cursor protocol (pk_*_cursor,
 * pk_cursor_next). Adding or removing entries of the container while
 * iterating makes the next step throw ConcurrentModificationException;
 * replacing values does not. The cursor is freed at the end, by
 * {@link #close()}, or with the iterator when it is abandoned. Made inside
 * a native call's bracket (see {@link NativeHandle}), as the cursor is.
 */
final class CursorIterator<E> implements Iterator<E> {
    @FunctionalInterface
    interface Entry<E> {
        E make(Object key, Object value) throws PmemkitException;
    }

    private final NativeHandle<SWIGTYPE_p_pk_cursor> cursor;
    private final Entry<E> entry;
    private final Object[] kv = new Object[2];
    private boolean ready;
    private boolean done;

    CursorIterator(Pool pool, SWIGTYPE_p_pk_cursor cursor, Entry<E> entry) {
        this.cursor = pool.track(cursor, PmemkitNative::pk_cursor_free);
        this.entry = entry;
    }

    @Override
    public boolean hasNext() {
        if (!ready && !done) {
            ready = PmemkitRuntimeException.unchecked(() -> cursor.call(c -> PmemkitNative.pk_cursor_next(kv, c)));
            if (!ready)
                close();
        }
        return ready;
    }

    @Override
    public E next() {
        if (!hasNext())
            throw new NoSuchElementException();
        ready = false;
        return PmemkitRuntimeException.unchecked(() -> entry.make(kv[0], kv[1]));
    }

    /* Free the cursor now: the iteration is over. */
    void close() {
        ready = false;
        done = true;
        cursor.release();
    }
}
