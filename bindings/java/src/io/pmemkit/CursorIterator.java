package io.pmemkit;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over pmemkit's cursor protocol (pk_*_cursor,
 * pk_cursor_next). Adding or removing entries of the container while
 * iterating makes the next step throw ConcurrentModificationException;
 * replacing values does not. The cursor is freed at the end, or with the
 * iterator when it is abandoned.
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
        this.cursor = pool.track(this, cursor, PmemkitNative::pk_cursor_free);
        this.entry = entry;
    }

    @Override
    public boolean hasNext() {
        if (!ready && !done) {
            ready = PmemkitRuntimeException.unchecked(() -> PmemkitNative.pk_cursor_next(kv, cursor.get()));
            if (!ready) {
                done = true;
                cursor.release();
            }
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
}
