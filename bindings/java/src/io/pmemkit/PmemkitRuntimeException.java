package io.pmemkit;

import java.util.ConcurrentModificationException;

/**
 * The unchecked form of a {@link PmemkitException}, thrown by the methods
 * of {@link java.util.Map} and {@link java.util.List} (which cannot throw
 * checked exceptions); {@link #getCause()} is the checked exception.
 *
 * <p>Two codes become the exceptions those interfaces specify instead: an
 * index out of range ({@code PK_ERANGE}) is an
 * {@link IndexOutOfBoundsException}, a container changed under an
 * iterator ({@code PK_ECHANGED}) a {@link ConcurrentModificationException};
 * their cause is the checked exception too.
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

    /** The unchecked exception that stands for {@code e}. */
    static RuntimeException of(PmemkitException e) {
        if (e.code() == PmemkitNative.PK_ERANGE) {
            IndexOutOfBoundsException r = new IndexOutOfBoundsException(e.getMessage());
            r.initCause(e);
            return r;
        }
        if (e.code() == PmemkitNative.PK_ECHANGED)
            return new ConcurrentModificationException(e.getMessage(), e);
        return new PmemkitRuntimeException(e);
    }
}
