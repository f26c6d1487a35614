package io.pmemkit.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.pmemkit.ElementType;
import io.pmemkit.PersistentArray;
import io.pmemkit.PersistentMap;
import io.pmemkit.Pool;
import io.pmemkit.RangeException;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class ArrayTest {
    @Rule
    public final TestPools pools = new TestPools();

    private Pool pool;
    private PersistentMap root;

    @Before
    public void setUp() throws Exception {
        pool = Pool.create(pools.path("array"), Pool.DEFAULT_SIZE);
        root = pool.root();
    }

    @After
    public void tearDown() throws Exception {
        pool.close();
    }

    @Test
    public void everyIntegerTypeKeepsItsRange() throws Exception {
        long[][] bounds = {
            {Byte.MIN_VALUE, Byte.MAX_VALUE}, {0, 255}, {Short.MIN_VALUE, Short.MAX_VALUE},
            {0, 65535}, {Integer.MIN_VALUE, Integer.MAX_VALUE}, {0, 4294967295L},
            {Long.MIN_VALUE, Long.MAX_VALUE},
        };
        ElementType[] types = {ElementType.I8, ElementType.U8, ElementType.I16, ElementType.U16,
            ElementType.I32, ElementType.U32, ElementType.I64};
        for (int t = 0; t < types.length; t++) {
            PersistentArray a = pool.newArray(types[t], 3);
            root.put(types[t].name(), a);
            assertEquals(types[t], a.elementType());
            assertEquals(types[t].width(), a.width());
            a.write(0, new long[] {bounds[t][0], bounds[t][1]});
            assertArrayEquals(new long[] {bounds[t][0], bounds[t][1], 0}, a.toLongArray());
            assertEquals(bounds[t][1], a.get(1));
            if (types[t] != ElementType.I64) {
                long over = bounds[t][1] + 1;
                assertThrows(IllegalArgumentException.class, () -> a.setLong(0, over));
                assertThrows(RangeException.class, () -> a.setChecked(0, over));
            }
            assertEquals(bounds[t][0], a.getLong(0));
        }
    }

    @Test
    public void everyElementTypeMakesArraysOfItsWidth() throws Exception {
        for (ElementType t : ElementType.values()) {
            PersistentArray a = t == ElementType.BYTES ? pool.newBytesArray(3, 2)
                    : pool.newArray(t, 2);
            assertEquals(t, a.elementType());
            assertEquals(t == ElementType.BYTES ? 3 : t.width(), a.width());
            assertEquals(t.name(), t != ElementType.BYTES, t.isInteger() != t.isFloat());
        }
        assertEquals(0, ElementType.BYTES.width());
    }

    @Test
    public void u64TakesAll64Bits() throws Exception {
        PersistentArray a = pool.newArray(ElementType.U64, new long[] {-1L, 1L});
        assertEquals("18446744073709551615", Long.toUnsignedString(a.getLong(0)));
        assertEquals(18446744073709551615.0, a.getDouble(0), 0);
        a.set(1, -2L);
        assertEquals(-2L, a.get(1));
    }

    @Test
    public void floatArrays() throws Exception {
        PersistentArray d = pool.newArray(new double[] {0.5, -1e300});
        PersistentArray f = pool.newArray(ElementType.F32, new double[] {0.25, 3});
        root.put("d", d);
        root.put("f", f);
        assertArrayEquals(new double[] {0.5, -1e300}, d.toDoubleArray(), 0);
        assertEquals(0.25, f.get(0));
        f.setDouble(1, 1.5);
        f.set(0, 2L);
        assertArrayEquals(new double[] {2, 1.5}, f.toDoubleArray(), 0);
        assertArrayEquals(new double[] {2, 1.5}, (double[]) f.toJava(), 0);
    }

    @Test
    public void aListOfFixedLength() throws Exception {
        PersistentArray a = pool.newArray(new long[] {3, 1, 2});
        assertEquals(List.of(3L, 1L, 2L), a);
        java.util.Collections.sort(a, null);
        assertEquals(List.of(1L, 2L, 3L), a);
        assertThrows(UnsupportedOperationException.class, () -> a.add(4L));
        assertThrows(UnsupportedOperationException.class, () -> a.remove(0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(3));
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(-1));
        assertEquals(2L, a.getChecked(-2));
        a.resize(5);
        assertEquals(List.of(1L, 2L, 3L, 0L, 0L), a);
        a.resize(1);
        assertArrayEquals(new long[] {1}, a.toLongArray());
    }

    @Test
    public void byteStringElements() throws Exception {
        PersistentArray a = pool.newBytesArray(4, 2);
        root.put("b", a);
        a.set(0, new byte[] {1, 2, 3, 4});
        assertArrayEquals(new byte[] {1, 2, 3, 4}, (byte[]) a.get(0));
        assertArrayEquals(new byte[4], (byte[]) a.get(1));
        assertThrows(io.pmemkit.ValueException.class, () -> a.setChecked(1, new byte[] {1}));
        byte[][] copy = (byte[][]) a.toJava();
        assertArrayEquals(new byte[] {1, 2, 3, 4}, copy[0]);
    }

    @Test
    public void bulkWritesSurviveReopening() throws Exception {
        String path = pools.path("arrays");
        long[] values = new long[10_000];
        for (int i = 0; i < values.length; i++)
            values[i] = (long) i * i;
        try (Pool p = Pool.create(path, Pool.DEFAULT_SIZE)) {
            PersistentArray a = p.newArray(ElementType.I64, values.length);
            p.root().put("squares", a);
            a.write(0, values);
        }
        try (Pool p = Pool.open(java.nio.file.Path.of(path))) {
            PersistentArray a = (PersistentArray) p.root().get("squares");
            assertArrayEquals(values, a.toLongArray());
            assertThrows(RangeException.class, () -> a.write(values.length - 1, new long[] {1, 2}));
            assertEquals(values[values.length - 1], a.getLong(values.length - 1));
        }
    }
}
