package io.pmemkit.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.PersistentArray;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.Pool;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;

public class ValueTest {
    @Rule
    public final TestPools pools = new TestPools();

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /* each value with what it reads back as */
    private static Map<String, Object[]> samples() {
        Map<String, Object[]> m = new LinkedHashMap<>();
        m.put("null", new Object[] {null, null});
        m.put("true", new Object[] {true, true});
        m.put("false", new Object[] {false, false});
        m.put("long", new Object[] {-1234567890123L, -1234567890123L});
        m.put("min", new Object[] {Long.MIN_VALUE, Long.MIN_VALUE});
        m.put("max", new Object[] {Long.MAX_VALUE, Long.MAX_VALUE});
        m.put("int", new Object[] {7, 7L});
        m.put("short", new Object[] {(short) -3, -3L});
        m.put("byte", new Object[] {(byte) 5, 5L});
        m.put("double", new Object[] {2.5, 2.5});
        m.put("float", new Object[] {0.5f, 0.5});
        m.put("nan", new Object[] {Double.NaN, Double.NaN});
        m.put("inf", new Object[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY});
        m.put("string", new Object[] {"héllo wörld ✓", "héllo wörld ✓"});
        m.put("astral", new Object[] {"emoji \uD83D\uDE00 and NUL \u0000 inside", "emoji \uD83D\uDE00 and NUL \u0000 inside"});
        m.put("empty", new Object[] {"", ""});
        m.put("long string", new Object[] {"x".repeat(100_000), "x".repeat(100_000)});
        m.put("bigint", new Object[] {TWO_64, TWO_64});
        m.put("-bigint", new Object[] {BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE),
            BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE)});
        m.put("huge", new Object[] {BigInteger.TEN.pow(80).negate(), BigInteger.TEN.pow(80).negate()});
        m.put("2^63", new Object[] {BigInteger.ONE.shiftLeft(63), BigInteger.ONE.shiftLeft(63)});
        m.put("small bigint", new Object[] {BigInteger.valueOf(-99), -99L});
        return m;
    }

    private static void assertSame(String what, Object expected, Object actual) {
        if (expected instanceof byte[]) {
            assertTrue(what, actual instanceof byte[]);
            assertArrayEquals(what, (byte[]) expected, (byte[]) actual);
        } else {
            assertEquals(what, expected, actual);
            if (expected != null)
                assertEquals(what, expected.getClass(), actual.getClass());
        }
    }

    @Test
    public void everyScalarRoundTripsAsValueKeyAndAfterReopening() throws Exception {
        String path = pools.path("values");
        try (Pool pool = Pool.create(path, Pool.DEFAULT_SIZE)) {
            PersistentMap root = pool.root();
            PersistentMap keys = pool.newMap();
            root.put("keys", keys);
            for (Map.Entry<String, Object[]> e : samples().entrySet()) {
                root.put(e.getKey(), e.getValue()[0]);
                assertSame(e.getKey(), e.getValue()[1], root.get(e.getKey()));
                if (!(e.getValue()[0] instanceof Double && ((Double) e.getValue()[0]).isNaN()))
                    keys.put(e.getValue()[0], e.getKey());
            }
            root.put("bytes", new byte[] {0, 1, (byte) 0xff});
            root.put("no bytes", new byte[0]);
        }
        try (Pool pool = Pool.open(path)) {
            PersistentMap root = pool.root();
            PersistentMap keys = (PersistentMap) root.get("keys");
            for (Map.Entry<String, Object[]> e : samples().entrySet()) {
                assertSame(e.getKey(), e.getValue()[1], root.get(e.getKey()));
                if (!(e.getValue()[0] instanceof Double && ((Double) e.getValue()[0]).isNaN()))
                    assertEquals(e.getKey(), keys.get(e.getValue()[1]));
            }
            assertSame("bytes", new byte[] {0, 1, (byte) 0xff}, root.get("bytes"));
            assertSame("no bytes", new byte[0], root.get("no bytes"));
            assertTrue(root.containsKey("null"));
            assertNull(root.get("null"));
        }
    }

    @Test
    public void equalNumbersAreOneKey() throws Exception {
        try (Pool pool = Pool.create(pools.path("numkeys"), Pool.MIN_SIZE)) {
            PersistentMap m = pool.root();
            m.put(1L, "long");
            m.put(1.0, "double");
            m.put(true, "bool");
            assertEquals(1, m.size());
            assertEquals("bool", m.get(1));
            assertEquals(1L, m.keySet().iterator().next());
            m.put("1", "string");
            m.put(new byte[] {'1'}, "bytes");
            assertEquals(3, m.size());
        }
    }

    @Test
    public void nestedPlainCollectionsBecomeContainers() throws Exception {
        String path = pools.path("nested");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("hosts", List.of("a", "b"));
        config.put("limits", Map.of("cpu", 2L, "ratio", 0.5));
        config.put("samples", new long[] {1, 2, 3});
        config.put("weights", new double[] {0.25, 0.75});
        config.put("deep", List.of(List.of(List.of("bottom"))));
        try (Pool pool = Pool.create(path, Pool.DEFAULT_SIZE)) {
            pool.root().put("config", config);
        }
        try (Pool pool = Pool.open(path)) {
            PersistentMap c = (PersistentMap) pool.root().get("config");
            PersistentList hosts = (PersistentList) c.get("hosts");
            assertEquals(List.of("a", "b"), hosts);
            assertEquals(Map.of("cpu", 2L, "ratio", 0.5), c.get("limits"));
            PersistentArray samples = (PersistentArray) c.get("samples");
            assertArrayEquals(new long[] {1, 2, 3}, samples.toLongArray());
            assertArrayEquals(new double[] {0.25, 0.75},
                    ((PersistentArray) c.get("weights")).toDoubleArray(), 0);
            PersistentList deep = (PersistentList) c.get("deep");
            assertEquals("bottom", ((List<?>) ((List<?>) deep.get(0)).get(0)).get(0));
            Map<Object, Object> copy = c.toJava();
            assertEquals(List.of("a", "b"), copy.get("hosts"));
            assertTrue(Arrays.equals(new long[] {1, 2, 3}, (long[]) copy.get("samples")));
            assertTrue(pool.check().ok());
        }
    }

    @Test
    public void unsupportedValuesAndKeysAreRefused() throws Exception {
        try (Pool pool = Pool.create(pools.path("refused"), Pool.MIN_SIZE)) {
            PersistentMap m = pool.root();
            assertThrows(ClassCastException.class, () -> m.put("k", new Object()));
            assertThrows(ClassCastException.class, () -> m.put('c', "char key"));
            assertThrows(ClassCastException.class, () -> m.get(new Object()));
            PersistentMap inner = pool.newMap();
            assertThrows(ClassCastException.class, () -> m.putChecked(inner, "container key"));
            assertThrows(ClassCastException.class, () -> m.putChecked(List.of(1L), "list key"));
            assertTrue(m.isEmpty());
        }
    }

    @Test
    public void aStructureThatContainsItselfIsRefused() throws Exception {
        try (Pool pool = Pool.create(pools.path("cycle"), Pool.MIN_SIZE)) {
            List<Object> loop = new java.util.ArrayList<>();
            loop.add("x");
            loop.add(loop);
            assertThrows(IllegalArgumentException.class, () -> pool.root().put("loop", loop));
            assertTrue(pool.root().isEmpty());
            pool.gc();
            assertTrue(pool.check().ok());
        }
    }

    @Test
    public void containersOfAnotherPoolAreRefused() throws Exception {
        try (Pool a = Pool.create(pools.path("a"), Pool.MIN_SIZE);
                Pool b = Pool.create(pools.path("b"), Pool.MIN_SIZE)) {
            PersistentMap m = a.newMap();
            assertThrows(IllegalArgumentException.class, () -> b.root().put("m", m));
        }
    }
}
