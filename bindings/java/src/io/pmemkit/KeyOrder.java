package io.pmemkit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/*
 * The order of a sorted map's keys (include/pmemkit.h, "Sorted maps"), in
 * Java: null first; then numbers (Boolean as 0 and 1, integers, Double,
 * BigInteger) by value, NaN after every other number (all NaNs equal), a
 * BigInteger right after a Double of the same value; then byte[]
 * (unsigned, bytewise); then Strings by code point; then Tuples, item by
 * item, a prefix first. Anything else (a FrozenSet, a collection, another
 * class) is ClassCastException, as a TreeMap throws for a key it cannot
 * compare. PersistentSortedMap.comparator() gives it.
 */
final class KeyOrder implements Comparator<Object> {
    static final KeyOrder ORDER = new KeyOrder();
    static final Comparator<Object> REVERSED = ORDER.reversed();

    private KeyOrder() {
    }

    private static final int NIL = 0, NUMBER = 1, BYTES = 2, STRING = 3, TUPLE = 4;

    /* the group a key sorts in */
    private static int group(Object k) {
        if (k == null)
            return NIL;
        if (k instanceof Boolean) {
            return NUMBER;
        } else if (k instanceof Number) {
            if (k instanceof Long || k instanceof Integer || k instanceof Short || k instanceof Byte
                    || k instanceof Double || k instanceof Float || k instanceof BigInteger)
                return NUMBER;
        } else if (k instanceof byte[]) {
            return BYTES;
        } else if (k instanceof String) {
            return STRING;
        } else if (k instanceof Tuple) {
            return TUPLE;
        }
        throw new ClassCastException("pmemkit: a sorted map's key is null, a Boolean, a number, "
                + "byte[], a String or a Tuple of those, not a " + k.getClass().getName());
    }

    @Override
    public int compare(Object a, Object b) {
        int ga = group(a), gb = group(b);
        if (ga != gb)
            return Integer.compare(ga, gb);
        switch (ga) {
        case NUMBER:
            return numbers(a, b);
        case BYTES:
            return Arrays.compareUnsigned((byte[]) a, (byte[]) b);
        case STRING:
            return strings((String) a, (String) b);
        case TUPLE:
            return tuples((Tuple) a, (Tuple) b);
        default:
            return 0;
        }
    }

    private int tuples(List<?> a, List<?> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0)
                return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    /* by code point, as UTF-8 bytewise (String.compareTo compares UTF-16 units) */
    private static int strings(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb)
                return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /* a number as the pool holds it: Long, Double or a BigInteger outside 64 bits */
    private static Object number(Object n) {
        if (n instanceof Boolean t)
            return t ? 1L : 0L;
        if (n instanceof Float f)
            return f.doubleValue();
        return Containers.normalize(n);
    }

    private static int numbers(Object x, Object y) {
        Object a = number(x), b = number(y);
        if (a instanceof Long la && b instanceof Long lb)
            return Long.compare(la, lb);
        boolean nanA = a instanceof Double da && da.isNaN(), nanB = b instanceof Double db && db.isNaN();
        if (nanA || nanB)
            return Boolean.compare(nanA, nanB);
        if (a instanceof Double da && b instanceof Double db)
            return da < db ? -1 : da > db ? 1 : 0;            // -0.0 is 0.0
        double ia = infinity(a), ib = infinity(b);
        if (ia != 0 || ib != 0)                              // beyond every other number
            return Double.compare(ia, ib);
        int c = exact(a).compareTo(exact(b));
        if (c != 0 || a.getClass() == b.getClass())
            return c;
        /* a Double and a BigInteger of one value: the BigInteger after */
        return a instanceof BigInteger ? 1 : b instanceof BigInteger ? -1 : 0;
    }

    /* an infinite Double itself; 0 for any other number */
    private static double infinity(Object n) {
        return n instanceof Double d && d.isInfinite() ? d : 0;
    }

    /* a finite number's exact value */
    private static BigDecimal exact(Object n) {
        if (n instanceof Double d)
            return new BigDecimal(d);
        if (n instanceof BigInteger b)
            return new BigDecimal(b);
        return BigDecimal.valueOf((Long) n);
    }

    @Override
    public String toString() {
        return "pmemkit's key order";
    }
}
