package io.pmemkit.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.PersistentList;
import io.pmemkit.PersistentSet;
import io.pmemkit.OutOfSpaceException;
import io.pmemkit.PmemkitRuntimeException;
import io.pmemkit.Pool;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;

/** PersistentSet: a java.util.Set in a pool. */
public class SetTest extends PoolFixture {
    @Test
    public void storingAJavaSetStoresAPersistentSet() throws Exception {
        root.put("tags", new TreeSet<>(List.of("b", "a")));
        root.put("nums", Set.of(1, 2, 3));
        PersistentSet tags = root.getSet("tags");
        assertEquals(Set.of("a", "b"), tags);
        assertTrue(tags.add("c"));
        assertFalse(tags.add("c"));
        assertTrue(tags.remove("a"));
        assertFalse(tags.remove("a"));
        pool.close();
        pool = Pool.open(path);
        root = pool.root();
        assertEquals(Set.of("b", "c"), root.get("tags"));
        assertEquals(Set.of(1L, 2L, 3L), root.get("nums"));
        assertTrue(root.get("nums") instanceof PersistentSet);
        assertEquals(3, root.getSet("nums").size());
    }

    @Test
    public void elementsAreMapKeys() throws Exception {
        PersistentSet s = pool.newSet();
        root.put("s", s);
        assertTrue(s.add(1));
        assertFalse(s.add(1L));
        assertFalse(s.add(1.0));
        assertFalse(s.add(true));
        assertEquals(1, s.size());
        assertEquals(1L, s.iterator().next());        // the first class it was added with
        assertTrue(s.contains(1) && s.contains(1.0f) && s.contains(true) && s.contains(BigInteger.ONE));
        s.add(new byte[] {7});
        assertTrue(s.contains(new byte[] {7}));        // bytes by content
        assertFalse(s.contains("\u0007"));             // text is not bytes
        s.add(null);
        assertTrue(s.contains(null));
        s.add(BigInteger.TWO.pow(100));
        s.add(0.5);
        assertEquals(5, s.size());
        assertTrue(s.remove(1.0));                     // removes 1L
        assertFalse(s.contains(1));
    }

    @Test
    public void iteratorRemoveAndBulkOperations() throws Exception {
        root.put("s", new HashSet<>(List.of(1, 2, 3, 4, 5, 6)));
        PersistentSet s = root.getSet("s");
        Iterator<Object> it = s.iterator();
        assertThrows(IllegalStateException.class, it::remove);
        int seen = 0;
        while (it.hasNext()) {
            long x = (Long) it.next();
            seen++;
            if (x % 2 == 0)
                it.remove();
        }
        assertEquals(6, seen);
        assertEquals(Set.of(1L, 3L, 5L), s);
        assertTrue(s.addAll(List.of(7, 9)));
        assertFalse(s.addAll(List.of(7L, 9.0)));
        assertTrue(s.removeAll(List.of(1, 3.0)));       // pmemkit's equality
        assertTrue(s.retainAll(List.of(5, 7.0, "x")));
        assertEquals(Set.of(5L, 7L), s);
        assertTrue(s.removeIf(x -> (Long) x > 6));
        assertEquals(Set.of(5L), s);
        s.clear();
        assertTrue(s.isEmpty());
    }

    @Test
    public void threadsAddingAtOnceLoseNothing() throws Exception {
        PersistentSet s = pool.newSet();
        root.put("s", s);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int base = (t + 1) * 1000;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    s.add(base + i);
                    s.add(i);                           // the same in every thread
                }
                s.addAll(List.of(base + 500, base + 501));
            });
            threads[t].start();
        }
        for (Thread t : threads)
            t.join();
        assertEquals(4 * 250 + 250 + 4 * 2, s.size());  // own, shared, addAll's
    }

    @Test
    public void bulkOperationsAreOneTransaction() throws Exception {
        PersistentSet s = pool.newSet(List.of("keep"));
        root.put("s", s);
        RuntimeException stop = new RuntimeException("stop");
        assertThrows(RuntimeException.class, () -> pool.transaction(() -> {
            s.addAll(List.of("a", "b"));
            s.removeIf(x -> x.equals("keep"));
            throw stop;
        }));
        assertEquals(Set.of("keep"), s);
        // removeIf's predicate failing half way removes nothing
        s.addAll(List.of("a", "b", "c"));
        int[] calls = {0};
        assertThrows(IllegalStateException.class, () -> s.removeIf(x -> {
            if (++calls[0] == 3)
                throw new IllegalStateException("no");
            return true;
        }));
        assertEquals(4, s.size());
    }

    @Test
    public void addAllThatRunsOutOfSpaceAddsNothing() throws Exception {
        try (Pool small = Pool.create(pools.path("small"), Pool.MIN_SIZE)) {
            PersistentSet s = small.newSet(List.of("first"));
            small.root().put("s", s);
            List<String> big = new ArrayList<>();
            for (int i = 0; i < 64; i++)
                big.add(i + "x".repeat((int) (Pool.MIN_SIZE / 32)));
            PmemkitRuntimeException e = assertThrows(PmemkitRuntimeException.class, () -> s.addAll(big));
            assertTrue(e.getCause() instanceof OutOfSpaceException);
            assertEquals(Set.of("first"), s);
            assertTrue(small.check().ok());
        }
    }

    @Test
    public void badElementsAreRefusedWithNothingChanged() throws Exception {
        PersistentSet s = pool.newSet(List.of("a"));
        root.put("s", s);
        assertThrows(ClassCastException.class, () -> s.add(List.of(1)));
        assertThrows(ClassCastException.class, () -> s.add(s));
        assertThrows(ClassCastException.class, () -> s.addAll(Arrays.asList("b", Map.of())));
        assertThrows(ClassCastException.class, () -> s.add(new Object()));
        assertEquals(Set.of("a"), s);
        // storing a Set with a bad element stores nothing, and aborts no open transaction
        pool.transaction(() -> {
            root.put("n", 1);
            assertThrows(ClassCastException.class, () -> root.put("t", Set.of("x", List.of())));
        });
        assertFalse(root.containsKey("t"));
        assertEquals(1L, root.get("n"));
        assertThrows(ClassCastException.class, () -> pool.newSet(List.of(new int[0])));
        assertEquals(0, pool.gc());                     // no half-made set left behind
        assertTrue(pool.check().ok());
    }

    @Test
    public void frozenSetsAreReadOnly() throws Exception {
        root.put("f", pool.newFrozenSet(List.of("x", 2)));
        PersistentSet f = root.getSet("f");
        assertTrue(f.isFrozen());
        assertEquals(Set.of("x", 2L), f);
        assertTrue(f.contains(2.0));
        assertThrows(UnsupportedOperationException.class, () -> f.add("y"));
        assertThrows(UnsupportedOperationException.class, () -> f.remove("x"));
        assertThrows(UnsupportedOperationException.class, () -> f.addAll(List.of("y")));
        assertThrows(UnsupportedOperationException.class, () -> f.removeAll(List.of("x")));
        assertThrows(UnsupportedOperationException.class, () -> f.retainAll(List.of()));
        assertThrows(UnsupportedOperationException.class, () -> f.removeIf(x -> true));
        assertThrows(UnsupportedOperationException.class, f::clear);
        assertThrows(UnsupportedOperationException.class, () -> f.addChecked("y"));
        Iterator<Object> it = f.iterator();
        it.next();
        assertThrows(UnsupportedOperationException.class, it::remove);
        assertEquals(2, f.size());
        pool.close();
        pool = Pool.open(path);
        PersistentSet again = pool.root().getSet("f");
        assertTrue(again.isFrozen());
        assertThrows(UnsupportedOperationException.class, () -> again.add("y"));
        assertFalse(pool.newSet().isFrozen());
    }

    @Test
    public void equalsAndHashCodeFollowTheSetContract() throws Exception {
        PersistentSet s = pool.newSet(List.of(1, "a", new byte[] {1, 2}));
        PersistentSet t = pool.newSet(List.of("a", new byte[] {1, 2}, 1L));
        root.put("s", s);
        root.put("t", t);
        assertEquals(s, t);
        assertEquals(s.hashCode(), t.hashCode());
        PersistentSet u = pool.newSet(List.of(1, "a"));
        root.put("u", u);
        assertEquals(Set.of(1L, "a"), u);               // integers read back as Long
        assertNotEquals(Set.of(1, "a"), u);             // as Set.of(1L) is not Set.of(1)
        assertNotEquals(u, Set.of(1, "a"));             // symmetric
        assertEquals(Set.of(1L, "a"), Set.copyOf(u));
        assertEquals(Set.of(1L, "a").hashCode(), u.hashCode());
        assertNotEquals(s, u);
        assertNotEquals(u, List.of(1L, "a"));
    }

    @Test
    public void setsAreValuesOfMapsAndLists() throws Exception {
        root.put("doc", Map.of("tags", Set.of("t")));
        PersistentSet tags = root.getMap("doc").getSet("tags");
        tags.add("u");
        assertEquals(Set.of("t", "u"), ((Map<?, ?>) root.get("doc")).get("tags"));
        PersistentList l = (PersistentList) root.computeIfAbsent("l", k -> new ArrayList<>());
        l.add(Set.of(3));
        assertTrue(l.get(0) instanceof PersistentSet);
        // a shared reference: two keys, one set
        root.put("alias", tags);
        root.getSet("alias").add("v");
        assertTrue(tags.contains("v"));
        // what put returns for a replaced set is a plain copy
        Object old = root.put("alias", 0);
        assertTrue(old instanceof Set && !(old instanceof PersistentSet));
        assertEquals(Set.of("t", "u", "v"), old);
        @SuppressWarnings("unchecked")
        Set<Object> typed = root.getMap("doc").asMap(String.class, Set.class).get("tags");
        typed.add("w");
        assertEquals(4, tags.size());
        assertThrows(IllegalArgumentException.class, () -> root.asMap(String.class, PersistentSet.class));
        assertArrayEquals(new Object[] {3L}, l.getSet(0).toArray());
    }

    @Test
    public void computeIfAbsentGivesTheStoredSet() throws Exception {
        @SuppressWarnings("unchecked")
        Set<Object> seen = (Set<Object>) root.computeIfAbsent("seen", k -> new HashSet<>());
        assertTrue(seen instanceof PersistentSet);
        seen.add(42);
        assertTrue(root.getSet("seen").contains(42));
        // a Set in a transaction: all or nothing with the rest
        assertThrows(IllegalStateException.class, () -> pool.transaction(() -> {
            root.put("later", Set.of("x"));
            root.getSet("seen").add(43);
            throw new IllegalStateException("undo");
        }));
        assertFalse(root.containsKey("later"));
        assertEquals(Set.of(42L), root.get("seen"));
    }

    @Test
    public void closedAndStale() throws Exception {
        PersistentSet s = pool.newSet(List.of(1));
        root.put("s", s);
        pool.close();
        assertEquals("PersistentSet[closed]", s.toString());
        pool = Pool.open(path);
        root = pool.root();
        PersistentSet again = root.getSet("s");
        assertEquals("[1]", again.toString());
        root.remove("s");                               // the last reference: freed
        assertEquals("PersistentSet[stale]", again.toString());
    }
}
