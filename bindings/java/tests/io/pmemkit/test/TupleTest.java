package io.pmemkit.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.PersistentSet;
import io.pmemkit.Tuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;

/** Tuple: composite keys and set elements (PK_TUPLE). */
public class TupleTest extends PoolFixture {
    @Test
    public void tupleKeysStoreAndReadBackAsTuples() throws Exception {
        Map<Object, Object> grid = new HashMap<>();
        grid.put(Tuple.of(1, "a"), "x");
        grid.put(Tuple.of(2, Tuple.of(3.5, new byte[] {4})), 2);
        root.put("grid", grid);
        reopen();
        PersistentMap m = root.getMap("grid");
        assertEquals("x", m.get(Tuple.of(1, "a")));
        assertEquals(2L, m.get(Tuple.of(2, Tuple.of(3.5, new byte[] {4}))));
        Set<Object> keys = new java.util.HashSet<>(m.keySet());
        assertEquals(Set.of(Tuple.of(1L, "a"), Tuple.of(2L, Tuple.of(3.5, new byte[] {4}))), keys);
        for (Object k : m.keySet())
            assertTrue(k instanceof Tuple);
        Tuple nested = (Tuple) m.keySet().stream().filter(k -> ((Tuple) k).get(0).equals(2L)).findFirst().get();
        assertEquals(Tuple.class, nested.get(1).getClass());
        assertArrayEquals(new byte[] {4}, (byte[]) ((Tuple) nested.get(1)).get(1));
        assertEquals("x", m.remove(Tuple.of(1, "a")));
        assertEquals(1, m.size());
    }

    @Test
    public void equalNumbersAreOneKeyInThePoolButNotForEquals() throws Exception {
        root.put(Tuple.of(1, "a"), "first");
        root.put(Tuple.of(1.0, "a"), "second");       // the same key: replaces
        root.put(Tuple.of(true, "a"), "third");       // and again
        assertEquals(1, root.size());
        assertEquals("third", root.get(Tuple.of(1L, "a")));
        assertTrue(root.containsKey(Tuple.of(1.0, "a")));
        assertTrue(root.keySet().contains(Tuple.of(1.0, "a")));  // asks the pool
        Object key = root.keySet().iterator().next();
        assertEquals(Tuple.of(1L, "a"), key);                   // as first stored
        assertNotEquals(Tuple.of(1.0, "a"), key);               // Java's equals: Long is not Double
        assertEquals(Tuple.of(1, "a"), key);                    // 1 is made 1L
        assertFalse(root.containsKey(Tuple.of(1, "b")));
        assertFalse(root.containsKey(Tuple.of(1)));
        assertThrows(ClassCastException.class, () -> root.containsKey(List.of(1, "a")));  // a List is no key
    }

    @Test
    public void aPlainListIsNotATupleKey() {
        assertThrows(ClassCastException.class, () -> root.put(List.of(1, "a"), "x"));
        assertEquals(0, root.size());
    }

    @Test
    public void tuplesAsValuesListElementsAndSetElements() throws Exception {
        root.put("t", Tuple.of(1, null, true, "s", BigInteger.TWO.pow(80)));
        root.put("l", List.of(Tuple.of(1, 2), "x"));
        root.put("s", Set.of(Tuple.of(1, 2), Tuple.of("a")));
        root.put("plain", List.of(1, 2));
        reopen();
        Object t = root.get("t");
        assertTrue(t instanceof Tuple);
        assertEquals(Tuple.of(1L, null, true, "s", BigInteger.TWO.pow(80)), t);
        root.put("t2", t);                                        // stores the same tuple again
        assertEquals(t, root.get("t2"));
        PersistentList l = root.getList("l");
        assertEquals(Tuple.of(1, 2), l.get(0));
        assertTrue(l.contains(Tuple.of(1, 2)));
        PersistentSet s = root.getSet("s");
        assertTrue(s.contains(Tuple.of(1.0, 2)));                 // the pool's equality
        assertEquals(Set.of(Tuple.of(1L, 2L), Tuple.of("a")), s);
        assertFalse(s.add(Tuple.of(1, 2.0)));
        assertTrue(s.retainAll(List.of(Tuple.of(1.0, 2))));        // compares as the pool does
        assertEquals(Set.of(Tuple.of(1L, 2L)), s);
        assertTrue(root.get("plain") instanceof PersistentList);   // a List is still a list
    }

    @Test
    public void itemsThatCannotBeInATupleAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Tuple.of(1, List.of(2)));
        assertThrows(IllegalArgumentException.class, () -> Tuple.of(new ArrayList<>()));
        assertThrows(IllegalArgumentException.class, () -> Tuple.of(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Tuple.of(root));
        assertThrows(IllegalArgumentException.class, () -> Tuple.of(new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Tuple.of(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Tuple.copyOf(List.of(1, List.of())));
        assertEquals(0, root.size());
    }

    @Test
    public void tuplesNestThirtyTwoDeep() throws Exception {
        Tuple t = Tuple.of(0);
        for (int i = 1; i < Tuple.MAX_DEPTH; i++)
            t = Tuple.of(i, t);
        root.put(t, "deep");
        root.put("v", t);
        reopen();
        assertEquals("deep", root.get(t));
        assertEquals(t, root.get("v"));
        Tuple deep = t;
        assertThrows(IllegalArgumentException.class, () -> Tuple.of(deep));
    }

    @Test
    public void aTupleIsAnImmutableList() {
        byte[] b = {1, 2};
        Tuple t = Tuple.of(1, "a", b);
        b[0] = 9;                                     // copied in
        ((byte[]) t.get(2))[1] = 9;                   // and out
        assertArrayEquals(new byte[] {1, 2}, (byte[]) t.get(2));
        assertThrows(UnsupportedOperationException.class, () -> t.add(1));
        assertThrows(UnsupportedOperationException.class, () -> t.set(0, 2));
        assertThrows(UnsupportedOperationException.class, () -> t.remove(0));
        assertEquals(List.of(1L, "a"), Tuple.of(1, "a"));
        assertEquals(Tuple.of(1, "a"), List.of(1L, "a"));
        assertEquals(List.of(1L, "a").hashCode(), Tuple.of(1, "a").hashCode());
        assertEquals(Tuple.of(new byte[] {1}), Tuple.of(new byte[] {1}));     // bytes by content
        assertEquals(Tuple.of(new byte[] {1}).hashCode(), Tuple.of(new byte[] {1}).hashCode());
        assertTrue(t.contains(1) && t.contains(new byte[] {1, 2}));
        assertEquals("(1, a)", Tuple.of(1, "a").toString());
        assertEquals("(1,)", Tuple.of(1).toString());
        assertEquals(0, Tuple.of().size());
        assertEquals(Tuple.of(2.5f), Tuple.of(2.5));
    }

    @Test
    public void tuplesCompareItemByItem() {
        TreeSet<Tuple> s = new TreeSet<>(List.of(Tuple.of(2, "a"), Tuple.of(1, "b"), Tuple.of(1.5, "a"),
                Tuple.of(1), Tuple.of(1, "a")));
        assertEquals(List.of(Tuple.of(1), Tuple.of(1, "a"), Tuple.of(1, "b"), Tuple.of(1.5, "a"),
                Tuple.of(2, "a")), new ArrayList<>(s));
        assertTrue(Tuple.of(BigInteger.TWO.pow(70)).compareTo(Tuple.of(1e20)) > 0);
        assertTrue(Tuple.of(Long.MAX_VALUE).compareTo(Tuple.of(0x1p63)) < 0);
        assertTrue(Tuple.of(null, 1).compareTo(Tuple.of(0, 1)) < 0);
        assertThrows(ClassCastException.class, () -> Tuple.of(1).compareTo(Tuple.of("a")));
    }

    @Test
    public void aTypedViewReadsTupleKeys() throws Exception {
        root.put("m", Map.of(Tuple.of("x", 1), 5));
        Map<Tuple, Integer> m = root.getMap("m").asMap(Tuple.class, Integer.class);
        assertEquals(Integer.valueOf(5), m.get(Tuple.of("x", 1.0)));
        m.merge(Tuple.of("x", 1), 1, Integer::sum);
        assertEquals(Map.of(Tuple.of("x", 1L), 6), m);
    }
}
