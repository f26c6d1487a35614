package io.pmemkit;

/**
 * An operating-system error (an errno value), e.g. opening a pool file
 * that does not exist: {@code errno()} is ENOENT's number and
 * {@link #codeName()} is {@code "ENOENT"}.
 */
public class PmemkitIOException extends PmemkitException {
    private static final long serialVersionUID = 1L;

    PmemkitIOException(int errno, String name, String message) {
        super(errno, name, message);
    }

    /** The errno value (the same as {@link #code()}). */
    public int errno() {
        return code();
    }
}
