package io.pmemkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.pmemkit.PmemkitRuntimeException.unchecked;
import static io.pmemkit.PmemkitRuntimeException.uncheckedIndex;

/**
 * A persistent typed array: a fixed number of elements of one
 * {@link ElementType}, stored contiguously. Its length changes only with
 * {@link #resize(long)}, so {@code add} and {@code remove} are unsupported,
 * as for {@link java.util.Arrays#asList}.
 *
 * <p>As a {@link java.util.List}, integer elements are Longs, float
 * elements Doubles and BYTES elements byte[]s; {@link #getLong},
 * {@link #getDouble}, {@link #toLongArray()}, {@link #toDoubleArray()} and
 * {@link #write(long, long[])} read and write them without boxing. Every
 * write is atomic and durable when it returns; a bulk write is one
 * transaction.
 */
public final class PersistentArray extends Sequence {
    private final Pool pool;
    private final NativeHandle<SWIGTYPE_p_pk_array> h;
    private final ElementType type;
    private final int width;

    PersistentArray(Pool pool, SWIGTYPE_p_pk_array ptr) throws PmemkitException {
        this.pool = pool;
        this.h = pool.track(ptr, PmemkitNative::pk_array_close);
        int[] elem = new int[1];
        long[] w = new long[1];
        h.run(a -> PmemkitNative.pk_array_type(elem, w, a));
        this.type = ElementType.of(elem[0]);
        this.width = (int) w[0];
    }

    /** The pool the array lives in. */
    @Override
    public Pool pool() {
        return pool;
    }

    Object ref() throws PmemkitException {
        return h.call(PmemkitNative::pk_array_value);
    }

    public ElementType elementType() {
        return type;
    }

    /** Bytes per element. */
    public int width() {
        return width;
    }

    // ---- checked --------------------------------------------------------

    /** The number of elements. */
    public long length() throws PmemkitException {
        long[] out = new long[1];
        h.run(a -> PmemkitNative.pk_array_length(out, a));
        return out[0];
    }

    /** The element at an index (negative ones count from the end). */
    public Object getChecked(long index) throws PmemkitException {
        Object[] out = new Object[1];
        h.run(a -> PmemkitNative.pk_array_get(out, a, index));
        return out[0];
    }

    /**
     * Write the element at an index (negative ones count from the end):
     * a Long, Integer, Short, Byte or Boolean for integer elements, also a
     * Double or Float for float elements, a byte[] of the width for BYTES.
     *
     * @throws RangeException for a bad index or a number out of the
     *         element type's range
     */
    public void setChecked(long index, Object value) throws PmemkitException {
        h.run(a -> PmemkitNative.pk_array_set(a, index, value));
    }

    /** Change the number of elements; new ones are zero. */
    public void resize(long length) throws PmemkitException {
        h.run(a -> PmemkitNative.pk_array_resize(a, length));
    }

    /** Element {@code index} of an integer array. */
    public long getLong(long index) throws PmemkitException {
        return type.getLong(read(index, 1), 0);
    }

    /** Element {@code index} as a double (any numeric array). */
    public double getDouble(long index) throws PmemkitException {
        return type.getDouble(read(index, 1), 0);
    }

    public void setLong(long index, long value) throws PmemkitException {
        write(index, new long[] {value});
    }

    public void setDouble(long index, double value) throws PmemkitException {
        write(index, new double[] {value});
    }

    /** Every element, as longs (floats are truncated). */
    public long[] toLongArray() throws PmemkitException {
        int n = count(length());
        ByteBuffer b = read(0, n);
        long[] out = new long[n];
        for (int i = 0; i < n; i++)
            out[i] = type.getLong(b, i);
        return out;
    }

    /** Every element, as doubles. */
    public double[] toDoubleArray() throws PmemkitException {
        int n = count(length());
        ByteBuffer b = read(0, n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++)
            out[i] = type.getDouble(b, i);
        return out;
    }

    /**
     * Write {@code values} from element {@code start} on, atomically.
     *
     * @throws IllegalArgumentException for a value out of the element
     *         type's range
     */
    public void write(long start, long[] values) throws PmemkitException {
        write(start, values.length, encode(type, values.length, (b, i) -> type.putLong(b, i, values[i])));
    }

    /** Write {@code values} from element {@code start} on, atomically. */
    public void write(long start, double[] values) throws PmemkitException {
        write(start, values.length, encode(type, values.length, (b, i) -> type.putDouble(b, i, values[i])));
    }

    /**
     * A plain copy: a long[] for integer arrays, a double[] for float
     * arrays, a byte[][] for BYTES arrays.
     */
    public Object toJava() throws PmemkitException {
        if (type.isInteger())
            return toLongArray();
        if (type.isFloat())
            return toDoubleArray();
        int n = count(length());
        ByteBuffer b = read(0, n);
        byte[][] out = new byte[n][width];
        for (int i = 0; i < n; i++)
            b.get(i * width, out[i]);
        return out;
    }

    // ---- java.util.List -------------------------------------------------

    @Override
    public int size() {
        return unchecked(() -> Containers.size(length()));
    }

    @Override
    public Object get(int index) {
        return uncheckedIndex(() -> getChecked(Containers.index(index, "get")));
    }

    @Override
    public Object set(int index, Object value) {
        Object old = get(index);
        // the index is good: a PK_ERANGE now is the value's (IllegalArgumentException)
        unchecked(() -> {
            setChecked(index, value);
            return null;
        });
        return old;
    }

    // ---- bytes ----------------------------------------------------------

    @FunctionalInterface
    interface Encoder {
        void put(ByteBuffer b, int index);
    }

    /* n elements in the native layout, or null for none */
    static byte[] encode(ElementType type, int n, Encoder e) {
        if (type == ElementType.BYTES)
            throw new UnsupportedOperationException("pmemkit: not a numeric array");
        if (n == 0)
            return null;
        byte[] bytes = new byte[Math.multiplyExact(n, type.width())];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        for (int i = 0; i < n; i++)
            e.put(b, i);
        return bytes;
    }

    private static int count(long n) {
        if (n > Integer.MAX_VALUE)
            throw new UnsupportedOperationException("pmemkit: array too large for a Java array");
        return (int) n;
    }

    private ByteBuffer read(long start, int n) throws PmemkitException {
        byte[] bytes = new byte[Math.multiplyExact(n, width)];
        if (n > 0)
            h.run(a -> PmemkitNative.pk_array_read(bytes, a, start, n));
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    private void write(long start, int n, byte[] bytes) throws PmemkitException {
        if (n > 0)
            h.run(a -> PmemkitNative.pk_array_write(a, start, n, bytes));
    }
}
