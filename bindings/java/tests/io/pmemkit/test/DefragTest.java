package io.pmemkit.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.DefragReport;
import io.pmemkit.OutOfSpaceException;
import io.pmemkit.PersistentMap;
import io.pmemkit.Pool;
import io.pmemkit.PoolStats;
import io.pmemkit.TransactionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;

/**
 * Defragmentation: after deleting most of a full pool.
 */
public class DefragTest {
    @Rule
    public final TestPools pools = new TestPools();

    @Test
    public void defragAfterDeletingNinetyPercentMovesAndKeepsEveryValue() throws Exception {
        try (Pool pool = Pool.create(pools.path("defrag"), 64L << 20)) {
            PersistentMap root = pool.root();
            Random rnd = new Random(22);
            Map<String, Object> kept = new HashMap<>();
            List<PersistentMap> maps = new ArrayList<>();
            for (int m = 0; m < 20; m++) {
                PersistentMap map = pool.newMap();
                root.put("m" + m, map);
                maps.add(map);
            }
            int n = 20_000;
            pool.transaction(() -> {
                for (int i = 0; i < n; i++) {
                    Object v = i % 10 == 0 ? GrowingPoolTest.blob(i, 1000) : "value " + i;
                    maps.get(i % maps.size()).putChecked("k" + i, v);
                }
            });
            long usedFull = pool.stats().used();
            pool.transaction(() -> {
                for (int i = 0; i < n; i++) {
                    if (rnd.nextInt(10) != 0)
                        maps.get(i % maps.size()).removeChecked("k" + i);
                    else
                        kept.put("k" + i, i % 10 == 0 ? GrowingPoolTest.blob(i, 1000) : "value " + i);
                }
            });
            long usedBefore = pool.stats().used();
            assertTrue(usedBefore < usedFull);

            assertThrows(TransactionException.class, () -> pool.transaction(pool::defrag));
            DefragReport r = pool.defrag();
            assertTrue(r.toString(), r.objects() >= maps.size() + 1);
            assertTrue(r.toString(), r.moved() > 0 && r.moved() <= r.objects());
            assertTrue(r.toString(), r.movedBytes() >= r.moved());
            assertTrue(r.toString(), r.freedBytes() > 0);
            assertEquals("a moved object keeps its size", usedBefore, pool.stats().used());

            // the maps opened before still work, every value is there
            for (Map.Entry<String, Object> e : kept.entrySet()) {
                int i = Integer.parseInt(e.getKey().substring(1));
                Object v = maps.get(i % maps.size()).get(e.getKey());
                if (e.getValue() instanceof byte[] b)
                    assertArrayEquals(e.getKey(), b, (byte[]) v);
                else
                    assertEquals(e.getKey(), e.getValue(), v);
            }
            int total = 0;
            for (PersistentMap map : maps)
                total += map.size();
            assertEquals(kept.size(), total);
            assertTrue(pool.check().ok());
            maps.get(0).put("after", "defrag");
            assertEquals("defrag", root.getMap("m0").get("after"));

            // again: nothing left to move
            assertEquals(0, pool.defrag().moved());
        }
    }

    /* item id's value: a short string, every tenth a blob of 100 to 1000 bytes */
    private static Object value(long id) {
        if (id % 10 == 3) {
            byte[] b = new byte[100 + (int) (id * 7919 % 900)];
            Arrays.fill(b, (byte) id);
            return b;
        }
        return String.format("v%019d", id);
    }

    /* one in ten survives, spread over every run */
    private static boolean keep(long id) {
        return (id * 0x9E3779B97F4A7C15L >>> 40) % 10 == 0;
    }

    /* whether a blob of n bytes fits (stored, then removed) */
    private static boolean fits(PersistentMap root, int n) throws Exception {
        try {
            root.putChecked("big", new byte[n]);
        } catch (OutOfSpaceException e) {
            return false;
        }
        root.removeChecked("big");
        return true;
    }

    @Test
    public void aLargeValueThatDidNotFitFitsAfterDefrag() throws Exception {
        final int step = 64 << 10;
        try (Pool pool = Pool.create(pools.path("room"), 16L << 20)) {
            PersistentMap root = pool.root();
            List<PersistentMap> maps = new ArrayList<>();
            for (int m = 0; m < 32; m++) {
                PersistentMap map = pool.newMap();
                root.put(-1 - m, map);
                maps.add(map);
            }
            long n = 0;
            try {
                for (;; n++)
                    maps.get((int) (n % 32)).putChecked(n, value(n));
            } catch (OutOfSpaceException full) {
                // the pool is full of small entries
            }
            for (long id = 0; id < n; id++)
                if (!keep(id))
                    maps.get((int) (id % 32)).removeChecked(id);
            PoolStats st = pool.stats();
            int lo = 0, hi = (int) (st.size() / step); /* lo fits, hi not */
            while (hi - lo > 1) {
                int mid = (lo + hi) / 2;
                if (fits(root, mid * step))
                    lo = mid;
                else
                    hi = mid;
            }
            int want = (lo + 16) * step; /* 1 MiB more than fits */
            assertTrue("most of the pool is free: " + st, st.size() - st.used() > 4L * want);
            assertFalse(fits(root, want));

            DefragReport r = pool.defrag();
            assertTrue(r.toString(), r.moved() > 0 && r.freedBytes() >= want);
            assertTrue(r.toString(), fits(root, want));
            root.put("big", new byte[want]);
            for (long id = 0; id < n; id++) {
                Object v = maps.get((int) (id % 32)).get(id);
                if (!keep(id))
                    assertNull(v);
                else if (v instanceof byte[] b)
                    assertArrayEquals((byte[]) value(id), b);
                else
                    assertEquals(value(id), v);
            }
            assertTrue(pool.check().ok());
        }
    }

    @Test
    public void anIteratorAcrossADefragGivesNoWrongOrRepeatedEntry() throws Exception {
        try (Pool pool = Pool.create(pools.path("iter"), 16L << 20)) {
            PersistentMap map = pool.newMap();
            pool.root().put("m", map);
            pool.transaction(() -> {
                for (long i = 0; i < 20_000; i++)
                    map.putChecked(i, value(i));
            });
            pool.transaction(() -> {
                for (long i = 0; i < 20_000; i++)
                    if (!keep(i))
                        map.removeChecked(i);
            });
            Set<Object> seen = new HashSet<>();
            Iterator<Map.Entry<Object, Object>> it = map.entrySet().iterator();
            for (int k = 0; k < 100 && it.hasNext(); k++)
                assertTrue(seen.add(it.next().getKey()));
            pool.defrag();
            try {
                while (it.hasNext()) {
                    Map.Entry<Object, Object> e = it.next();
                    long id = (Long) e.getKey();
                    assertTrue("key " + id + " twice", seen.add(id));
                    assertTrue(keep(id));
                    if (e.getValue() instanceof byte[] b)
                        assertArrayEquals((byte[]) value(id), b);
                    else
                        assertEquals(value(id), e.getValue());
                }
            } catch (java.util.ConcurrentModificationException changed) {
                // as after any change: the iteration stops, nothing wrong was given
            }
            assertEquals(map.size(), new HashSet<>(map.keySet()).size());
        }
    }
}
