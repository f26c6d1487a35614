package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.ClosedException;
import io.pmemkit.FrozenSet;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.PersistentObject;
import io.pmemkit.Pool;
import io.pmemkit.PoolStats;
import io.pmemkit.PoolStats.Kind;
import io.pmemkit.StaleException;
import io.pmemkit.test.Cross.Point;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/** Space accounting: Pool.stats() per kind, Pool.sizeOf() alone and deep. */
public class SpaceTest extends PoolFixture {
    private static byte[] bytes(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    public void statsCountEachKindAndItsBytesAddUpToUsed() throws Exception {
        Map<Long, byte[]> m = new HashMap<>();
        for (long i = 0; i < 200; i++)
            m.put(i, bytes(i % 10 == 0 ? 5000 : 1, 'x'));
        root.put("m", m);
        root.put("l", List.of(1L, 2L, 3L));
        root.put("s", Set.of(1L, 2L));
        PoolStats st = pool.stats();
        assertEquals(2, st.count(Kind.MAP));              // the root and m
        assertEquals(1, st.count(Kind.LIST));
        assertEquals(1, st.count(Kind.SET));
        assertEquals(0, st.count(Kind.RECORD));
        assertEquals(0, st.count(Kind.LOG));
        assertEquals(0, st.count(Kind.SORTED_MAP));
        assertTrue(st.bytes(Kind.MAP) > 20 * 5000);
        assertEquals(Kind.values().length, st.kinds().size());
        assertThrows(UnsupportedOperationException.class, () -> st.kinds().clear());

        root.put("a", pool.newArray(new long[] {1, 2, 3}));
        root.put("g", pool.newLog(List.of(bytes(10, 'g'))));
        root.put("b", pool.newBlocks(512, 4));
        pool.register(Point.class);
        root.put("p", pool.newObject(Point.class));
        root.put("o", new java.util.TreeMap<>(Map.of(1L, "one")));   // a sorted map
        PoolStats all = pool.stats();
        long sum = 0;
        for (Kind k : Kind.values()) {
            assertEquals(k.toString(), k == Kind.MAP ? 2 : 1, all.count(k));
            assertTrue(k.toString(), all.bytes(k) > 0);
            sum += all.bytes(k);
        }
        assertEquals(all.used(), sum);                    // every object is some container's
    }

    @Test
    public void sizeOfAloneAndDeepCountsEachContainerOnce() throws Exception {
        root.put("m", Map.of("blob", bytes(100000, 'y'), "inner", List.of(bytes(50000, 'z'))));
        PersistentMap m = (PersistentMap) root.get("m");
        PersistentList inner = (PersistentList) m.get("inner");
        assertTrue(pool.sizeOf(m) >= 100000);
        assertTrue(pool.sizeOf(m) < 150000);              // not what it refers to
        assertTrue(pool.sizeOf(inner) >= 50000);
        assertEquals(pool.sizeOf(m), pool.sizeOf(m, false));
        assertEquals(pool.sizeOf(m) + pool.sizeOf(inner), pool.sizeOf(m, true));
        inner.add(m);                                     // a cycle: each once
        assertEquals(pool.sizeOf(m) + pool.sizeOf(inner), pool.sizeOf(m, true));
        assertEquals(pool.sizeOf(m, true), pool.sizeOf(inner, true));
        assertEquals(pool.stats().used(), pool.sizeOf(root, true));
        // a typed view is its container
        assertEquals(pool.sizeOf(m), pool.sizeOf(m.asMap(String.class, Object.class)));
        assertEquals(pool.sizeOf(inner), pool.sizeOf(inner.asList(Object.class)));
    }

    @Test
    public void sizeOfRecordsAndRefusals() throws Exception {
        pool.register(Point.class);
        Point p = pool.newObject(Point.class);
        p.set("data", bytes(20000, 'q'));
        root.put("p", p);
        assertTrue(pool.sizeOf(p) >= 20000);
        assertEquals(pool.sizeOf(p), pool.sizeOf(p, true));   // refers to nothing
        PersistentObject r = pool.newRecord("Unknown.Thing");
        r.set("inner", List.of(bytes(30000, 'w')));
        assertTrue(pool.sizeOf(r, true) >= pool.sizeOf(r) + 30000);

        // made with new: in no pool, it holds nothing there
        assertThrows(IllegalArgumentException.class, () -> pool.sizeOf(new Point()));
        for (Object bad : new Object[] {1L, "x", new HashMap<>(), List.of(), bytes(3, 'a'),
                FrozenSet.of(1L), new RecordTest.Pt(1, 2.5)})
            assertThrows(String.valueOf(bad), IllegalArgumentException.class, () -> pool.sizeOf(bad));
        assertThrows(NullPointerException.class, () -> pool.sizeOf(null));
        try (Pool other = Pool.create(pools.path("other"), Pool.MIN_SIZE)) {
            assertThrows(IllegalArgumentException.class, () -> pool.sizeOf(other.root()));
        }
    }

    @Test
    public void sizeOfAGoneContainerOrAClosedPoolThrows() throws Exception {
        root.put("m", Map.of("a", 1L));
        PersistentMap m = (PersistentMap) root.get("m");
        root.remove("m");
        assertThrows(StaleException.class, () -> pool.sizeOf(m));
        PersistentMap kept = pool.root();
        pool.close();
        assertThrows(ClosedException.class, () -> pool.sizeOf(kept, true));
        assertThrows(ClosedException.class, pool::stats);
        pool = Pool.open(path);                           // for closePool()
    }
}
