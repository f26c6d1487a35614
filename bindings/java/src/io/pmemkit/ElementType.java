package io.pmemkit;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The element type of a {@link PersistentArray}. Integer elements read as
 * {@code long} (U64 as the same 64 bits: use
 * {@link Long#toUnsignedString(long)}), float elements as {@code double},
 * BYTES elements as {@code byte[]} of the array's width.
 *
 * <p>Each constant is the row of the C library's element table
 * (PK_ELEM_TABLE in pmemkit_tables.h) whose short name is its name in
 * lower case; its code, width and class are read from that row when the
 * class loads, and the range of an integer type follows from its width
 * and class.
 */
public enum ElementType {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    /** Unsigned 64-bit: every long is accepted, as its 64 bits. */
    U64,
    F32,
    F64,
    /** Fixed-width byte strings; the width is chosen per array. */
    BYTES;

    final int code;
    private final int width;
    private final boolean signed;
    private final boolean integer;
    private final boolean floating;
    private final long min;
    private final long max;

    ElementType() {
        pk_elem_row row = row(name().toLowerCase(Locale.ROOT));
        String cls = row.getCls();
        code = (int) row.getCode();
        width = (int) row.getSize();
        signed = cls.equals("signed");
        integer = signed || cls.equals("unsigned");
        floating = cls.equals("float");
        int bits = 8 * width;
        if (!integer) {
            min = max = 0;
        } else if (bits == 64) {
            /* U64 takes every long, as its 64 bits */
            min = Long.MIN_VALUE;
            max = Long.MAX_VALUE;
        } else if (signed) {
            min = -(1L << (bits - 1));
            max = (1L << (bits - 1)) - 1;
        } else {
            min = 0;
            max = (1L << bits) - 1;
        }
    }

    /* The row of the element table with short name sname. */
    private static pk_elem_row row(String sname) {
        for (long i = 0;; i++) {
            pk_elem_row r = PmemkitNative.pk_elem_table(i);
            if (r == null)
                throw new ExceptionInInitializerError("pmemkit: no element type " + sname
                        + " in the C library's table");
            if (r.getSname().equals(sname))
                return r;
        }
    }

    /** Bytes per element; 0 for BYTES, whose width each array sets. */
    public int width() {
        return width;
    }

    /** Whether elements are integers (read and written as long). */
    public boolean isInteger() {
        return integer;
    }

    /** Whether elements are floating point (read and written as double). */
    public boolean isFloat() {
        return floating;
    }

    static ElementType of(int code) {
        for (ElementType t : values())
            if (t.code == code)
                return t;
        throw new IllegalStateException("pmemkit: unknown element type " + code);
    }

    /* Element i of a native-order buffer of this type. */
    long getLong(ByteBuffer b, int i) {
        if (floating)
            return (long) getDouble(b, i);
        if (!integer)
            throw new UnsupportedOperationException("pmemkit: not a numeric array");
        int at = width * i;
        switch (width) {
        case 1: return signed ? b.get(at) : b.get(at) & 0xffL;
        case 2: return signed ? b.getShort(at) : b.getShort(at) & 0xffffL;
        case 4: return signed ? b.getInt(at) : b.getInt(at) & 0xffffffffL;
        default: return b.getLong(at);
        }
    }

    double getDouble(ByteBuffer b, int i) {
        if (floating)
            return width == 4 ? b.getFloat(width * i) : b.getDouble(width * i);
        if (integer && !signed && width == 8) {
            long v = b.getLong(8 * i);
            return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
        }
        return getLong(b, i);
    }

    void putLong(ByteBuffer b, int i, long v) {
        if (floating) {
            putDouble(b, i, v);
            return;
        }
        if (!integer)
            throw new UnsupportedOperationException("pmemkit: not a numeric array");
        if (v < min || v > max)
            throw new IllegalArgumentException("pmemkit: " + v
                    + " is out of the range of " + this + " elements");
        int at = width * i;
        switch (width) {
        case 1: b.put(at, (byte) v); break;
        case 2: b.putShort(at, (short) v); break;
        case 4: b.putInt(at, (int) v); break;
        default: b.putLong(at, v); break;
        }
    }

    void putDouble(ByteBuffer b, int i, double v) {
        if (floating) {
            if (width == 4)
                b.putFloat(width * i, (float) v);
            else
                b.putDouble(width * i, v);
            return;
        }
        if (v != Math.rint(v))
            throw new IllegalArgumentException("pmemkit: " + v
                    + " is not an integer, as " + this + " elements are");
        putLong(b, i, (long) v);
    }
}
