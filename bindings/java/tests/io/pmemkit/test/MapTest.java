package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.NotFoundException;
import io.pmemkit.PersistentMap;
import io.pmemkit.Pool;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class MapTest {
    @Rule
    public final TestPools pools = new TestPools();

    private Pool pool;
    private PersistentMap map;

    @Before
    public void setUp() throws Exception {
        pool = Pool.create(pools.path("map"), Pool.DEFAULT_SIZE);
        map = pool.root();
    }

    @After
    public void tearDown() throws Exception {
        pool.close();
    }

    @Test
    public void behavesAsAHashMap() {
        Map<Object, Object> expected = new HashMap<>();
        for (long i = 0; i < 1000; i++) {
            assertEquals(expected.put(i, "v" + i), map.put(i, "v" + i));
        }
        for (long i = 0; i < 1000; i += 3)
            assertEquals(expected.remove(i), map.remove(i));
        assertNull(map.remove(-1L));
        assertEquals(expected.put(5L, "five"), map.put(5L, "five"));
        assertEquals(expected.size(), map.size());
        assertEquals(expected, map);
        assertEquals(map, expected);
        assertEquals(expected.hashCode(), map.hashCode());
        assertEquals(expected.keySet(), map.keySet());
        assertEquals(new HashSet<>(expected.values()), new HashSet<>(map.values()));
        assertTrue(map.containsKey(5L));
        assertFalse(map.containsKey(3L));
        assertTrue(map.containsValue("five"));
        assertEquals("dflt", map.getOrDefault(3L, "dflt"));
        map.clear();
        assertTrue(map.isEmpty());
        assertEquals(Map.of(), map);
    }

    @Test
    public void iterationVisitsEveryEntryOnce() {
        for (long i = 0; i < 500; i++)
            map.put("k" + i, i);
        Set<Object> seen = new HashSet<>();
        long sum = 0;
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            assertTrue(seen.add(e.getKey()));
            sum += (Long) e.getValue();
        }
        assertEquals(500, seen.size());
        assertEquals(499L * 500 / 2, sum);
        Iterator<Object> it = map.keySet().iterator();
        for (int i = 0; i < 500; i++)
            it.next();
        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    @Test
    public void entrySetValueWritesThrough() {
        map.put("a", 1L);
        for (Map.Entry<Object, Object> e : map.entrySet())
            assertEquals(1L, e.setValue(2L));
        assertEquals(2L, map.get("a"));
        map.replaceAll((k, v) -> (Long) v * 10);
        assertEquals(20L, map.get("a"));
    }

    @Test
    public void addingKeysWhileIteratingIsDetected() {
        map.put("a", 1L);
        map.put("b", 2L);
        Iterator<Object> it = map.keySet().iterator();
        it.next();
        map.put("c", 3L);
        assertThrows(ConcurrentModificationException.class, () -> {
            while (it.hasNext())
                it.next();
        });
        assertThrows(IllegalStateException.class, () -> map.keySet().iterator().remove());
    }

    @Test
    public void checkedVariantsReportAbsence() throws Exception {
        map.putChecked("here", null);
        assertNull(map.getChecked("here"));
        assertThrows(NotFoundException.class, () -> map.getChecked("gone"));
        assertThrows(NotFoundException.class, () -> map.removeChecked("gone"));
        map.removeChecked("here");
        assertFalse(map.containsKeyChecked("here"));
        assertEquals(0, map.length());
    }

    @Test
    public void replacedContainersComeBackAsPlainCopies() throws Exception {
        map.put("list", List.of("x", "y"));
        Object old = map.put("list", "scalar now");
        assertEquals(List.of("x", "y"), old);
        assertEquals(java.util.ArrayList.class, old.getClass());
        map.put("map", Map.of("k", List.of(1L)));
        assertEquals(Map.of("k", List.of(1L)), map.remove("map"));
        pool.gc();
        assertTrue(pool.check().ok());
    }

    @Test
    public void putAllIsOneTransaction() throws Exception {
        Map<Object, Object> batch = new java.util.LinkedHashMap<>();
        batch.put("ok", 1L);
        batch.put("bad", new Object());
        assertThrows(ClassCastException.class, () -> map.putAll(batch));
        assertTrue(map.isEmpty());
        batch.remove("bad");
        batch.put("nested", Map.of("a", 1L));
        map.putAll(batch);
        assertEquals(2, map.size());
    }

    @Test
    public void storingTheSameContainerTwiceSharesIt() throws Exception {
        PersistentMap shared = pool.newMap();
        map.put("one", shared);
        map.put("two", shared);
        shared.put("x", 1L);
        assertEquals(1L, ((PersistentMap) map.get("one")).get("x"));
        assertEquals(1L, ((PersistentMap) map.get("two")).get("x"));
        map.remove("one");
        assertEquals(1L, ((PersistentMap) map.get("two")).get("x"));
        assertTrue(pool.check().ok());
    }
}
