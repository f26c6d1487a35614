package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.PersistentArray;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/*
 * Issue 19: the java.util idioms a Java programmer writes store what they
 * seem to store (or fail loudly), and the removal idioms work.
 */
public class IdiomTest extends PoolFixture {
    @Test
    @SuppressWarnings("unchecked")
    public void computeIfAbsentReturnsTheStoredContainer() throws Exception {
        ((List<Object>) root.computeIfAbsent("tags", k -> new ArrayList<>())).add("x");
        ((List<Object>) root.computeIfAbsent("tags", k -> new ArrayList<>())).add("y");
        ((Map<Object, Object>) root.computeIfAbsent("index", k -> new HashMap<>())).put("a", 1);
        assertEquals(-7L, root.computeIfAbsent("n", k -> -7));
        assertNull(root.computeIfAbsent("none", k -> null));
        assertFalse(root.containsKey("none"));
        reopen();
        assertEquals(List.of("x", "y"), root.get("tags"));
        assertEquals(Map.of("a", 1L), root.get("index"));
        assertEquals(-7L, root.get("n"));
    }

    @Test
    @SuppressWarnings("unchecked")
    public void computeMergeAndComputeIfPresentReturnTheStoredValue() throws Exception {
        ((List<Object>) root.compute("c", (k, v) -> v == null ? new ArrayList<>() : v)).add("c1");
        ((List<Object>) root.compute("c", (k, v) -> v == null ? new ArrayList<>() : v)).add("c2");
        ((List<Object>) root.merge("m", List.of("m1"), (a, b) -> a)).add("m2");
        ((List<Object>) root.merge("m", List.of("ignored"), (a, b) -> a)).add("m3");
        root.put("p", new ArrayList<>());
        ((List<Object>) root.computeIfPresent("p", (k, v) -> List.of("fresh"))).add("p1");
        assertNull(root.computeIfPresent("absent", (k, v) -> List.of()));
        assertEquals(1L, root.merge("count", 1, (a, b) -> (Long) a + (Integer) b));
        assertEquals(2L, root.merge("count", 1, (a, b) -> (Long) a + (Integer) b));
        assertNull(root.compute("count", (k, v) -> null));
        assertFalse(root.containsKey("count"));
        reopen();
        assertEquals(List.of("c1", "c2"), root.get("c"));
        assertEquals(List.of("m1", "m2", "m3"), root.get("m"));
        assertEquals(List.of("fresh", "p1"), root.get("p"));
    }

    @Test
    public void theComputingMethodsAreOneTransaction() throws Exception {
        root.put("kept", "before");
        RuntimeException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> root.compute("kept", (k, v) -> {
            root.put("side", "effect");
            throw boom;
        })));
        assertThrows(IllegalStateException.class, () -> root.computeIfAbsent("new", k -> {
            root.put("side", "effect");
            throw boom;
        }));
        assertThrows(IllegalStateException.class, () -> root.merge("kept", "x", (a, b) -> {
            root.remove("kept");
            throw boom;
        }));
        assertEquals(Map.of("kept", "before"), root);
        assertEquals(0, pool.transactionDepth());
    }

    @Test
    public void putIfAbsentKeepsTheMapContract() throws Exception {
        assertNull(root.putIfAbsent("l", new ArrayList<>(List.of("a"))));
        PersistentList l = (PersistentList) root.putIfAbsent("l", List.of("ignored"));
        l.add("b");
        assertNull(root.putIfAbsent("n", 1));
        assertEquals(1L, root.putIfAbsent("n", 2));
        reopen();
        assertEquals(List.of("a", "b"), root.get("l"));
        assertEquals(1L, root.get("n"));
    }

    @Test
    public void putReplaceAndGetOrDefaultReturnWhatTheMapHeld() throws Exception {
        assertNull(root.put("k", List.of("old")));
        assertEquals(List.of("old"), root.put("k", "v"));
        assertEquals("v", root.replace("k", "w"));
        assertNull(root.replace("absent", "x"));
        assertFalse(root.containsKey("absent"));
        assertTrue(root.replace("k", "w", 5));
        assertTrue(root.replace("k", 5, "five"));            // 5 matches the stored 5L
        assertFalse(root.replace("k", "nope", "x"));
        root.put("null", null);
        assertNull(root.getOrDefault("null", "dflt"));
        assertEquals("dflt", root.getOrDefault("absent", "dflt"));
        assertFalse(root.remove("k", "nope"));
        assertTrue(root.remove("k", "five"));
        root.put("n", 3);
        assertTrue(root.remove("n", 3));
        assertEquals(Map.of("null", List.of()).keySet(), root.keySet());
    }

    @Test
    public void listSetAndAddAtAnIndex() throws Exception {
        PersistentList l = (PersistentList) root.computeIfAbsent("l", k -> new ArrayList<>());
        l.add("a");
        l.add(0, List.of("inner"));
        assertEquals(List.of("inner"), l.set(0, "first"));
        l.add(2, "last");
        reopen();
        assertEquals(List.of("first", "a", "last"), root.get("l"));
    }

    @Test
    public void sortAndReplaceAllAreOneTransaction() throws Exception {
        PersistentList l = (PersistentList) root.computeIfAbsent("l", k -> new ArrayList<>());
        l.addAll(List.of(3, 1, 2));
        int[] calls = {0};
        assertThrows(IllegalStateException.class, () -> l.replaceAll(x -> {
            if (++calls[0] == 3)
                throw new IllegalStateException("third");
            return 0;
        }));
        assertEquals(List.of(3L, 1L, 2L), l);
        l.sort(null);
        PersistentArray a = pool.newArray(new long[] {5, 4});
        root.put("a", a);
        a.replaceAll(x -> (Long) x * 2);
        a.sort(null);
        reopen();
        assertEquals(List.of(1L, 2L, 3L), root.get("l"));
        assertEquals(List.of(8L, 10L), root.get("a"));
    }

    @Test
    public void removalIdiomsOfLists() throws Exception {
        PersistentList l = (PersistentList) root.computeIfAbsent("l", k -> new ArrayList<>());
        l.addAll(List.of(1, 2, 3, 4, 5, 6, "x", 2));
        assertTrue(l.remove((Object) 2));                    // the first 2 (stored 2L)
        assertFalse(l.remove((Object) 99));
        assertTrue(l.removeIf(o -> o instanceof Long n && n % 2 == 1));
        Iterator<Object> it = l.iterator();
        while (it.hasNext())
            if ("x".equals(it.next()))
                it.remove();
        assertThrows(IllegalStateException.class, l.iterator()::remove);
        assertEquals(List.of(4L, 6L, 2L), l);
        l.removeAll(List.of(4));
        l.retainAll(List.of(2, 6L));
        assertTrue(l.contains(6));
        assertEquals(1, l.indexOf(2));
        reopen();
        assertEquals(List.of(6L, 2L), root.get("l"));
    }

    @Test
    public void removalIdiomsOfMaps() throws Exception {
        PersistentMap m = (PersistentMap) root.computeIfAbsent("m", k -> new HashMap<>());
        for (int i = 0; i < 200; i++)
            m.put("k" + i, i);
        Iterator<Map.Entry<Object, Object>> it = m.entrySet().iterator();
        int seen = 0;
        while (it.hasNext()) {
            Map.Entry<Object, Object> e = it.next();
            seen++;
            if ((Long) e.getValue() % 10 == 0)
                it.remove();
        }
        assertEquals(200, seen);
        assertEquals(180, m.size());
        assertTrue(m.keySet().removeIf(k -> ((String) k).endsWith("1")));
        assertTrue(m.entrySet().removeIf(e -> (Long) e.getValue() >= 150));
        assertTrue(m.values().remove(2));                    // an Integer finds 2L
        assertFalse(m.values().remove(2));
        assertTrue(m.values().removeIf(v -> (Long) v < 10));
        assertTrue(m.keySet().remove("k12"));
        Iterator<Object> keys = m.keySet().iterator();
        keys.next();
        keys.remove();
        Map<Object, Object> expected = new HashMap<>();
        for (long i = 10; i < 150; i++)
            if (i % 10 != 0 && i % 10 != 1 && i != 12)
                expected.put("k" + i, i);
        assertEquals(expected.size() - 1, m.size());
        assertTrue(expected.entrySet().containsAll(m.entrySet()));
        reopen();
        assertEquals(expected.size() - 1, ((Map<?, ?>) root.get("m")).size());
        assertTrue(pool.check().ok());
    }

    @Test
    public void integersAreLongsAndFindThem() throws Exception {
        root.put(1, "one");
        assertTrue(root.containsKey(1));
        assertTrue(root.containsKey(1L));
        assertEquals("one", root.get(1));
        assertEquals("one", root.get(1L));
        assertEquals(Set.of(1L), root.keySet());
        root.put("n", 1);
        assertEquals(Long.class, root.get("n").getClass());
        assertTrue(root.containsValue(1));
        assertTrue(root.containsValue(1L));
        assertTrue(root.values().contains((short) 1));
        root.put("f", 0.5f);
        assertTrue(root.containsValue(0.5f));
        assertEquals(Integer.valueOf(1), root.get("n", Integer.class));
    }

    @Test
    public void typedAccessWithoutCasts() throws Exception {
        root.put("n", 41);
        root.put("s", "text");
        root.put("d", 2.5);
        root.put("b", true);
        root.put("bytes", new byte[] {1});
        root.put("m", Map.of("x", 1));
        root.put("l", List.of("y"));
        root.put("a", new long[] {1, 2});
        long n = root.getLong("n") + 1;
        assertEquals(42, n);
        assertEquals("text", root.getString("s"));
        assertEquals(2.5, root.get("d", Double.class), 0);
        assertEquals(2.5f, root.get("d", Float.class), 0);
        assertTrue(root.get("b", Boolean.class));
        assertEquals(1, root.get("bytes", byte[].class)[0]);
        root.getMap("m").put("z", 2);
        root.getList("l").add("w");
        assertEquals(2, root.get("a", PersistentArray.class).size());
        assertEquals(List.of(1L, 2L), root.get("a", List.class));
        assertNull(root.getLong("absent"));
        ClassCastException e = assertThrows(ClassCastException.class, () -> root.getLong("s"));
        assertTrue(e.getMessage(), e.getMessage().contains("java.lang.Long"));
        assertEquals("y", root.getList("l").getString(0));
        assertEquals(Map.of("x", 1L, "z", 2L), root.getMap("m"));

        Map<String, Integer> counts = root.getMap("m").asMap(String.class, Integer.class);
        counts.merge("x", 1, Integer::sum);
        int x = counts.get("x");
        assertEquals(2, x);
        assertEquals(Map.of("x", 2, "z", 2), counts);
        for (Map.Entry<String, Integer> en : counts.entrySet())
            en.setValue(en.getValue() * 10);
        assertEquals(Integer.valueOf(20), counts.get("z"));
        @SuppressWarnings({"rawtypes", "unchecked"})
        Map<String, Object> raw = (Map) counts;
        assertThrows(ClassCastException.class, () -> raw.put("bad", "not an Integer"));

        @SuppressWarnings("rawtypes")
        Map<String, List> lists = root.asMap(String.class, List.class);
        @SuppressWarnings("unchecked")
        List<String> tags = lists.computeIfAbsent("tags", k -> new ArrayList<>());
        tags.add("t");
        List<String> strings = root.getList("tags").asList(String.class);
        strings.add("u");
        String first = strings.get(0);
        assertEquals("t", first);
        assertThrows(IllegalArgumentException.class, () -> root.asMap(String.class, PersistentMap.class));
        reopen();
        assertEquals(List.of("t", "u"), root.get("tags"));
        assertEquals(List.of("y", "w"), root.get("l"));
        assertEquals(new LinkedHashMap<>(Map.of("x", 20L, "z", 20L)), root.get("m"));
    }
}
