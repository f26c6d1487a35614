package io.pmemkit.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.DefragReport;
import io.pmemkit.PersistentMap;
import io.pmemkit.Pool;
import io.pmemkit.TransactionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Rule;
import org.junit.Test;

/**
 * Defragmentation: after deleting most of a full pool.
 */
public class DefragTest {
    @Rule
    public final TestPools pools = new TestPools();

    private static byte[] blob(int i, int n) {
        byte[] b = new byte[n];
        new Random(i).nextBytes(b);
        return b;
    }

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
                    Object v = i % 10 == 0 ? blob(i, 1000) : "value " + i;
                    maps.get(i % maps.size()).putChecked("k" + i, v);
                }
            });
            long usedFull = pool.stats().used();
            pool.transaction(() -> {
                for (int i = 0; i < n; i++) {
                    if (rnd.nextInt(10) != 0)
                        maps.get(i % maps.size()).removeChecked("k" + i);
                    else
                        kept.put("k" + i, i % 10 == 0 ? blob(i, 1000) : "value " + i);
                }
            });
            long usedBefore = pool.stats().used();
            assertTrue(usedBefore < usedFull);

            assertThrows(TransactionException.class, () -> pool.transaction(pool::defrag));
            DefragReport r = pool.defrag();
            assertTrue(r.toString(), r.objects() > kept.size());
            assertTrue(r.toString(), r.moved() > 0);
            assertTrue(r.toString(), r.movedBytes() > 0);
            assertTrue(r.toString(), r.freedBytes() >= 0);
            assertTrue(pool.stats().used() <= usedBefore);

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
}
