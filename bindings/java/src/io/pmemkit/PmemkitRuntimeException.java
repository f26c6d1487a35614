package io.pmemkit;

import java.util.ConcurrentModificationException;

/**
 * The unchecked form of a {@link PmemkitException}, thrown by the methods
 * of {@link java.util.Map} and {@link java.util.List} (which cannot throw
 * checked exceptions); {@link #getCause()} is the checked exception.
 *
 * <p>Some codes become the exceptions the JDK's collections throw
 * instead, their cause the checked exception too: a container changed
 * under an iterator ({@code PK_ECHANGED}) is a
 * {@link ConcurrentModificationException}; a key or value of a kind
 * pmemkit does not take ({@code PK_EKEYTYPE}, {@code PK_EKIND}) a
 * {@link ClassCastException}; an invalid value or a number out of an
 * element type's range ({@code PK_EVALUE}, {@code PK_ERANGE}) an
 * {@link IllegalArgumentException}; a write to a pool open read-only
 * ({@code PK_EREADONLY}, {@link ReadOnlyException}) an
 * {@link UnsupportedOperationException}, as the JDK's unmodifiable
 * collections throw; and a bad index (PK_ERANGE from a method that takes
 * an index) an {@link IndexOutOfBoundsException}.
 */
public class PmemkitRuntimeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PmemkitRuntimeException(PmemkitException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized PmemkitException getCause() {
        return (PmemkitException) super.getCause();
    }

    /* A call of a checked method, from a method that cannot throw it. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws PmemkitException;
    }

    static <T> T unchecked(Call<T> c) {
        try {
            return c.call();
        } catch (PmemkitException e) {
            throw of(e);
        }
    }

    /* unchecked() for a method whose argument is an index: PK_ERANGE means the index */
    static <T> T uncheckedIndex(Call<T> c) {
        try {
            return c.call();
        } catch (PmemkitException e) {
            if (e.code() == PmemkitNative.PK_ERANGE)
                throw outOfBounds(e);
            throw of(e);
        }
    }

    static IndexOutOfBoundsException outOfBounds(PmemkitException e) {
        IndexOutOfBoundsException r = new IndexOutOfBoundsException(e.getMessage());
        r.initCause(e);
        return r;
    }

    /** The unchecked exception that stands for {@code e}. */
    static RuntimeException of(PmemkitException e) {
        int code = e.code();
        if (code == PmemkitNative.PK_ECHANGED)
            return new ConcurrentModificationException(e.getMessage(), e);
        if (code == PmemkitNative.PK_EKEYTYPE || code == PmemkitNative.PK_EKIND) {
            ClassCastException r = new ClassCastException(e.getMessage());
            r.initCause(e);
            return r;
        }
        if (code == PmemkitNative.PK_ERANGE || code == PmemkitNative.PK_EVALUE)
            return new IllegalArgumentException(e.getMessage(), e);
        if (code == PmemkitNative.PK_EREADONLY)
            return new UnsupportedOperationException(e.getMessage(), e);
        return new PmemkitRuntimeException(e);
    }
}
