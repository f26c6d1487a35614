package io.pmemkit;

/**
 * A failure reported by pmemkit: the base of every checked exception the
 * library throws.
 *
 * <p>Each class of pmemkit's error table ({@code include/pmemkit_tables.h})
 * has a subclass generated from the table when the module is built:
 * {@code NotFound} is {@link NotFoundException}, {@code PoolError} is
 * {@code PoolException}, {@code OutOfSpace} is {@code OutOfSpaceException},
 * and so on. Operating-system errors (errno values) are
 * {@link PmemkitIOException}s.
 *
 * <p>It is a {@link java.io.IOException}: a pool is a file, and code that
 * stores data already handles I/O failures (a {@code catch (IOException
 * e)} catches pmemkit's too, and {@code PmemkitIOException}, the
 * operating system's errors, is one).
 */
public class PmemkitException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String name;

    PmemkitException(int code, String name, String message) {
        super(message);
        this.code = code;
        this.name = name;
    }

    /** The C return code: a negative pmemkit code or a positive errno value. */
    public int code() {
        return code;
    }

    /** The code's name: {@code "PK_NOTFOUND"}, {@code "ENOENT"}, ... */
    public String codeName() {
        return name;
    }

    /** The class of the code in the error table ({@code "NotFound"}, ...). */
    public String errorClass() {
        return PmemkitNative.pk_error_class(code);
    }

    /** The exception for a return code, as the native layer throws it. */
    static PmemkitException forCode(int code) {
        String desc = PmemkitNative.pk_strerror(code);
        int colon = desc.indexOf(':');
        return fromNative(code, PmemkitNative.pk_error_class(code),
                colon < 0 ? desc : desc.substring(0, colon), desc);
    }

    /*
     * Called by the JNI wrapper (pk_java_raise) with pk_error_class(code):
     * the subclass comes from a switch generated from the error table.
     */
    static PmemkitException fromNative(int code, String errorClass, String name,
            String message) {
        if (code > 0)
            return new PmemkitIOException(code, name, message);
        PmemkitException e = ErrorTable.forClass(errorClass, code, name, message);
        return e != null ? e : new PmemkitException(code, name, message);
    }
}
