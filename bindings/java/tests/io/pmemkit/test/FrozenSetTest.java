package io.pmemkit.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.FrozenSet;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.PersistentSet;
import io.pmemkit.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/** Frozen sets as keys, set elements, tuple items and values (PK_FROZENSET). */
public class FrozenSetTest extends PoolFixture {
    @Test
    public void aSetAsAKeyIsAFrozenSet() throws Exception {
        root.put(Set.of(1, "a"), "x");
        assertEquals("x", root.get(Set.of("a", 1)));
        assertEquals("x", root.get(Set.of(1.0, "a")));        // the pool's equality
        assertEquals("x", root.get(FrozenSet.of("a", true)));
        assertTrue(root.containsKey(new HashSet<>(List.of(1L, "a"))));
        assertFalse(root.containsKey(Set.of(1)));
        root.put(Set.of("a", 1.0), "y");                       // the same key: replaces
        assertEquals(1, root.size());
        reopen();
        Object k = root.keySet().iterator().next();
        assertTrue(k instanceof FrozenSet);
        assertEquals(Set.of(1L, "a"), k);                       // as first stored
        assertEquals(k, Set.of(1L, "a"));
        assertEquals(Set.of(1L, "a").hashCode(), k.hashCode());
        assertEquals("y", root.get(k));
        assertEquals("y", root.remove(Set.of(1, "a")));
        assertEquals(0, root.size());
    }

    @Test
    public void readBackInTheLibrarysOrder() throws Exception {
        root.put(FrozenSet.of("b", 2), 3);
        root.put(FrozenSet.of(2, "b", 2.0, "b"), 4);            // repeats: one member each
        assertEquals(1, root.size());
        reopen();
        FrozenSet k = (FrozenSet) root.keySet().iterator().next();
        assertEquals(List.of(2L, "b"), new ArrayList<>(k));     // pk_tuple_next's order
        assertEquals("frozenset({2, b})", k.toString());
    }

    @Test
    public void aFrozenSetValueStoresAgainAsItself() throws Exception {
        root.put("v", FrozenSet.of(1, "a", new byte[] {4}));
        root.put("plain", Set.of(1, "a"));                      // a plain Set: a set container
        root.put("l", List.of(FrozenSet.of(1), Set.of(2)));
        reopen();
        Object v = root.get("v");
        assertTrue(v instanceof FrozenSet);
        assertTrue(((FrozenSet) v).contains(new byte[] {4}));
        assertTrue(((FrozenSet) v).contains(1));
        root.put("v2", v);                                      // never a container, tuple or list
        assertTrue(root.get("v2") instanceof FrozenSet);
        assertEquals(v, root.get("v2"));
        assertTrue(root.get("plain") instanceof PersistentSet);
        PersistentList l = root.getList("l");
        assertTrue(l.get(0) instanceof FrozenSet);
        assertTrue(l.get(1) instanceof PersistentSet);          // a plain Set as a list item: a set
    }

    @Test
    public void setElementsAndTupleItems() throws Exception {
        root.put("s", Set.of(Set.of(1, 2), Set.of("a")));       // a set of frozen sets
        root.put(Tuple.of(1, Set.of("x", "y")), "t");           // a frozen set in a tuple key
        root.put(Set.of(Set.of(1), Tuple.of(2, 3)), "n");       // nested in a frozen set key
        reopen();
        PersistentSet s = root.getSet("s");
        assertTrue(s.contains(Set.of(2.0, 1)));
        assertFalse(s.add(FrozenSet.of(2, 1)));
        assertTrue(s.add(Set.of()));
        assertEquals(3, s.size());
        for (Object e : s)
            assertTrue(e instanceof FrozenSet);
        assertTrue(s.retainAll(List.of(Set.of(1.0, 2))));
        assertEquals(Set.of(Set.of(1L, 2L)), s);
        assertEquals("t", root.get(Tuple.of(1, Set.of("y", "x"))));
        Tuple tk = (Tuple) root.keySet().stream().filter(x -> x instanceof Tuple).findFirst().get();
        assertTrue(tk.get(1) instanceof FrozenSet);
        assertEquals("n", root.get(Set.of(Tuple.of(2.0, 3), Set.of(1.0))));
        FrozenSet nk = (FrozenSet) root.keySet().stream().filter(x -> x instanceof FrozenSet).findFirst().get();
        assertTrue(nk.contains(Set.of(1L)) && nk.contains(Tuple.of(2, 3)));
    }

    @Test
    public void aFrozenPersistentSetIsAKeyOfItsElements() throws Exception {
        PersistentSet frozen = pool.newFrozenSet(List.of(1, "a"));
        root.put(frozen, "x");
        assertEquals("x", root.get(Set.of("a", 1)));
        assertTrue(root.keySet().iterator().next() instanceof FrozenSet);
        assertEquals("x", root.get(Tuple.of(frozen).get(0)));
    }

    @Test
    public void aMapWithSetKeysIsStored() throws Exception {
        Map<Object, Object> m = new HashMap<>();
        m.put(Set.of(2, "b"), 3);
        root.put("m", m);
        reopen();
        PersistentMap pm = root.getMap("m");
        assertEquals(3L, pm.get(Set.of("b", 2)));
        assertEquals(Map.of(Set.of(2L, "b"), 3L), pm.toJava());
        Map<FrozenSet, Integer> typed = pm.asMap(FrozenSet.class, Integer.class);
        assertEquals(Integer.valueOf(3), typed.get(FrozenSet.of(2.0, "b")));
        typed.merge(FrozenSet.of("b", 2), 1, Integer::sum);
        assertEquals(Map.of(FrozenSet.of(2L, "b"), 4), typed);
    }

    @Test
    public void aFrozenSetIsImmutable() {
        byte[] b = {1};
        FrozenSet f = FrozenSet.of(1, b);
        b[0] = 9;                                               // copied in
        for (Object x : f)
            if (x instanceof byte[] y)
                y[0] = 7;                                       // and out
        assertTrue(f.contains(new byte[] {1}));
        assertThrows(UnsupportedOperationException.class, () -> f.add(2));
        assertThrows(UnsupportedOperationException.class, () -> f.remove(1L));
        assertThrows(UnsupportedOperationException.class, () -> f.clear());
        assertThrows(UnsupportedOperationException.class, () -> FrozenSet.of().clear());
        assertThrows(UnsupportedOperationException.class, () -> f.removeIf(x -> false));
        assertThrows(UnsupportedOperationException.class, () -> f.retainAll(f));
        assertThrows(UnsupportedOperationException.class, () -> f.iterator().remove());
        assertEquals(1, FrozenSet.of(1, 1.0, true).size());     // one member: the first
        assertEquals(Set.of(1L), FrozenSet.of(1, 1.0));
        assertNotEquals(Set.of(1.0), FrozenSet.of(1));          // Java's equality is the members'
        assertEquals(FrozenSet.of(new byte[] {1}), FrozenSet.of(new byte[] {1}));
        assertEquals(FrozenSet.of(new byte[] {1}).hashCode(), FrozenSet.of(new byte[] {1}).hashCode());
        assertArrayEquals(new Object[] {"a", 2L}, FrozenSet.of("a", 2).toArray());  // order given
    }

    @Test
    public void membersThatCannotBeInAFrozenSetAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> FrozenSet.of(List.of(1)));
        assertThrows(IllegalArgumentException.class, () -> FrozenSet.of(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> FrozenSet.of(root));
        assertThrows(IllegalArgumentException.class, () -> FrozenSet.of(new Object()));
        assertThrows(IllegalArgumentException.class, () -> root.put(Set.of(List.of(1)), "x"));
        assertThrows(ClassCastException.class, () -> root.put(new HashSet<>(), new Object()));
        PersistentSet live = pool.newSet(List.of(1));               // a container is no key
        assertThrows(ClassCastException.class, () -> root.put(live, "x"));
        assertThrows(ClassCastException.class, () -> live.add(live));
        assertThrows(IllegalArgumentException.class, () -> Tuple.of(live));
        assertEquals(Set.of(1L), FrozenSet.copyOf(live));            // a snapshot, on purpose
        assertEquals(0, root.size());
        Set<Object> deep = Set.of(0);
        for (int i = 1; i < Tuple.MAX_DEPTH; i++)
            deep = Set.of(i, deep);
        FrozenSet ok = FrozenSet.copyOf(deep);
        assertThrows(IllegalArgumentException.class, () -> FrozenSet.of(ok));
        assertThrows(IllegalArgumentException.class, () -> Tuple.of(ok));
    }
}
