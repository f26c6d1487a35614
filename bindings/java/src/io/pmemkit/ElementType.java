package io.pmemkit;

import java.nio.ByteBuffer;

/**
 * The element type of a {@link PersistentArray}. Integer elements read as
 * {@code long} (U64 as the same 64 bits: use
 * {@link Long#toUnsignedString(long)}), float elements as {@code double},
 * BYTES elements as {@code byte[]} of the array's width.
 */
public enum ElementType {
    I8(PmemkitNative.PK_ELEM_I8, 1, Byte.MIN_VALUE, Byte.MAX_VALUE),
    U8(PmemkitNative.PK_ELEM_U8, 1, 0, 0xffL),
    I16(PmemkitNative.PK_ELEM_I16, 2, Short.MIN_VALUE, Short.MAX_VALUE),
    U16(PmemkitNative.PK_ELEM_U16, 2, 0, 0xffffL),
    I32(PmemkitNative.PK_ELEM_I32, 4, Integer.MIN_VALUE, Integer.MAX_VALUE),
    U32(PmemkitNative.PK_ELEM_U32, 4, 0, 0xffffffffL),
    I64(PmemkitNative.PK_ELEM_I64, 8, Long.MIN_VALUE, Long.MAX_VALUE),
    /** Unsigned 64-bit: every long is accepted, as its 64 bits. */
    U64(PmemkitNative.PK_ELEM_U64, 8, Long.MIN_VALUE, Long.MAX_VALUE),
    F32(PmemkitNative.PK_ELEM_F32, 4, 0, 0),
    F64(PmemkitNative.PK_ELEM_F64, 8, 0, 0),
    /** Fixed-width byte strings; the width is chosen per array. */
    BYTES(PmemkitNative.PK_ELEM_BYTES, 0, 0, 0);

    final int code;
    private final int width;
    private final long min;
    private final long max;

    ElementType(int code, int width, long min, long max) {
        this.code = code;
        this.width = width;
        this.min = min;
        this.max = max;
    }

    /** Bytes per element; 0 for BYTES, whose width each array sets. */
    public int width() {
        return width;
    }

    /** Whether elements are integers (read and written as long). */
    public boolean isInteger() {
        return code <= PmemkitNative.PK_ELEM_U64;
    }

    /** Whether elements are floating point (read and written as double). */
    public boolean isFloat() {
        return this == F32 || this == F64;
    }

    static ElementType of(int code) {
        for (ElementType t : values())
            if (t.code == code)
                return t;
        throw new IllegalStateException("pmemkit: unknown element type " + code);
    }

    /* Element i of a native-order buffer of this type. */
    long getLong(ByteBuffer b, int i) {
        switch (this) {
        case I8: return b.get(i);
        case U8: return b.get(i) & 0xffL;
        case I16: return b.getShort(2 * i);
        case U16: return b.getShort(2 * i) & 0xffffL;
        case I32: return b.getInt(4 * i);
        case U32: return b.getInt(4 * i) & 0xffffffffL;
        case I64: case U64: return b.getLong(8 * i);
        case F32: return (long) b.getFloat(4 * i);
        case F64: return (long) b.getDouble(8 * i);
        default: throw new UnsupportedOperationException("pmemkit: not a numeric array");
        }
    }

    double getDouble(ByteBuffer b, int i) {
        switch (this) {
        case F32: return b.getFloat(4 * i);
        case F64: return b.getDouble(8 * i);
        case U64: {
            long v = b.getLong(8 * i);
            return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
        }
        default: return getLong(b, i);
        }
    }

    void putLong(ByteBuffer b, int i, long v) {
        if (isFloat()) {
            putDouble(b, i, v);
            return;
        }
        if (v < min || v > max)
            throw new IllegalArgumentException("pmemkit: " + v
                    + " is out of the range of " + this + " elements");
        switch (this) {
        case I8: case U8: b.put(i, (byte) v); break;
        case I16: case U16: b.putShort(2 * i, (short) v); break;
        case I32: case U32: b.putInt(4 * i, (int) v); break;
        case I64: case U64: b.putLong(8 * i, v); break;
        default: throw new UnsupportedOperationException("pmemkit: not a numeric array");
        }
    }

    void putDouble(ByteBuffer b, int i, double v) {
        switch (this) {
        case F32: b.putFloat(4 * i, (float) v); break;
        case F64: b.putDouble(8 * i, v); break;
        default:
            if (v != Math.rint(v))
                throw new IllegalArgumentException("pmemkit: " + v
                        + " is not an integer, as " + this + " elements are");
            putLong(b, i, (long) v);
        }
    }
}
