package io.pmemkit.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.PersistentSortedMap;
import io.pmemkit.PoolFlag;
import io.pmemkit.Pool;
import io.pmemkit.RangeException;
import io.pmemkit.Tuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.Test;

/** PersistentSortedMap: a java.util.NavigableMap in a pool. */
public class SortedMapTest extends PoolFixture {
    private PersistentSortedMap numbers() throws Exception {
        PersistentSortedMap m = pool.newSortedMap();
        root.put("m", m);
        for (int i = 10; i >= 1; i--)
            m.put(i * 10, "v" + i * 10);             // 10, 20, ... 100
        return m;
    }

    private static List<Object> keys(Map<Object, Object> m) {
        return new ArrayList<>(m.keySet());
    }

    @Test
    public void storingATreeMapStoresASortedMap() throws Exception {
        TreeMap<String, Integer> t = new TreeMap<>(Map.of("pear", 3, "apple", 1, "fig", 2));
        root.put("fruit", t);
        assertTrue(root.get("fruit") instanceof PersistentSortedMap);
        reopen();
        PersistentSortedMap fruit = root.getSortedMap("fruit");
        assertEquals(List.of("apple", "fig", "pear"), keys(fruit));
        assertEquals(List.of(1L, 2L, 3L), new ArrayList<>(fruit.values()));
        assertEquals(Map.of("apple", 1L, "fig", 2L, "pear", 3L), fruit);   // Map's equals
        assertEquals(Map.of("apple", 1L, "fig", 2L, "pear", 3L).hashCode(), fruit.hashCode());
        fruit.put("banana", 5);
        reopen();
        assertEquals(List.of("apple", "banana", "fig", "pear"), keys(root.getSortedMap("fruit")));
        // a plain map stays a map
        root.put("plain", new LinkedHashMap<>(Map.of("a", 1)));
        assertTrue(root.get("plain") instanceof PersistentMap);
    }

    @Test
    public void newSortedMapFromAMap() throws Exception {
        PersistentSortedMap m = pool.newSortedMap(Map.of(3, "c", 1, "a", 2, "b"));
        root.put("m", m);
        assertEquals(List.of(1L, 2L, 3L), keys(m));
        assertEquals("a", m.get(1));
        assertEquals("a", m.get(1.0));                 // a map's equality: 1, 1.0, true
        assertEquals("a", m.get(true));
        assertTrue(m.containsKey(BigInteger.ONE));
        m.put(1.0, "A");                               // replaces: one key
        assertEquals(3, m.size());
        assertEquals(1L, m.firstKey());                // keeps the class it was first stored with
        assertEquals("A", m.firstEntry().getValue());
    }

    @Test
    public void navigation() throws Exception {
        PersistentSortedMap m = numbers();
        assertEquals(10L, m.firstKey());
        assertEquals(100L, m.lastKey());
        assertEquals(Map.entry(10L, "v10"), m.firstEntry());
        assertEquals(Map.entry(100L, "v100"), m.lastEntry());
        assertEquals(20L, m.ceilingKey(15));
        assertEquals(20L, m.ceilingKey(20));
        assertEquals(30L, m.higherKey(20));
        assertEquals(20L, m.floorKey(25));
        assertEquals(20L, m.floorKey(20));
        assertEquals(10L, m.lowerKey(20));
        assertEquals(Map.entry(20L, "v20"), m.ceilingEntry(11.5));
        assertEquals(Map.entry(90L, "v90"), m.lowerEntry(100));
        assertNull(m.lowerKey(10));
        assertNull(m.higherKey(100));
        assertNull(m.ceilingEntry(101));
        assertNull(m.floorEntry(5));
        assertEquals(10L, m.ceilingKey(null));         // null sorts first
        assertNull(m.ceilingKey("a"));                 // strings after numbers
        assertEquals(100L, m.floorKey("a"));
        assertEquals(Map.entry(10L, "v10"), m.pollFirstEntry());
        assertEquals(Map.entry(100L, "v100"), m.pollLastEntry());
        assertEquals(8, m.size());
        assertEquals(1L, m.rank(30, false));        // keys before 30: 20
        assertEquals(Map.entry(30L, "v30"), m.entryAt(1));
        assertEquals(Map.entry(90L, "v90"), m.entryAt(-1));
        assertThrows(RangeException.class, () -> m.entryAt(8));
        m.removeAt(0);
        assertEquals(30L, m.firstKey());
        m.clear();
        assertTrue(m.isEmpty());
        assertThrows(NoSuchElementException.class, m::firstKey);
        assertThrows(NoSuchElementException.class, m::lastKey);
        assertNull(m.firstEntry());
        assertNull(m.pollFirstEntry());
    }

    @Test
    public void theLibraryOrderAcrossClasses() throws Exception {
        PersistentSortedMap m = pool.newSortedMap();
        root.put("m", m);
        List<Object> sorted = Arrays.asList(null, -1.5, false, 1, 2.5, BigInteger.TWO.pow(70),
                Double.POSITIVE_INFINITY, Double.NaN, new byte[] {0}, new byte[] {(byte) 0xff}, "",
                "a", "ab", "\uffff", "\ud83d\ude00", Tuple.of(1), Tuple.of(1, "a"), Tuple.of(2));
        List<Object> shuffled = new ArrayList<>(sorted);
        java.util.Collections.shuffle(shuffled, new Random(5));
        for (Object k : shuffled)
            m.put(k, "x");
        reopen();
        PersistentSortedMap back = root.getSortedMap("m");
        List<Object> got = keys(back);
        assertEquals(sorted.size(), got.size());
        for (int i = 0; i < sorted.size(); i++) {
            Object want = sorted.get(i);
            Object have = got.get(i);
            if (want instanceof byte[] b)
                assertArrayEquals(b, (byte[]) have);
            else
                assertEquals("at " + i, want instanceof Integer n ? (Object) n.longValue() : want, have);
        }
        // the comparator agrees with the pool
        for (int i = 1; i < got.size(); i++)
            assertTrue(back.comparator().compare(got.get(i - 1), got.get(i)) < 0);
        TreeMap<Object, Object> copy = back.toJava();
        assertEquals(got.size(), copy.size());
        assertSame(PersistentSortedMap.KEY_ORDER, copy.comparator());
        // a BigInteger and a Double of one value are two keys, the double first
        m = pool.newSortedMap();
        m.put(BigInteger.TWO.pow(70), "big");
        m.put(Math.pow(2, 70), "double");
        assertEquals(List.of("double", "big"), new ArrayList<>(m.values()));
    }

    /* a random key of any kind a sorted map takes, near the edges of each */
    private static Object anyKey(Random r, int depth) {
        switch (r.nextInt(depth > 1 ? 9 : 10)) {
        case 0:
            return null;
        case 1:
            return r.nextBoolean();
        case 2:
            return new long[] {Long.MIN_VALUE, -1, 0, 1, 2, Long.MAX_VALUE, 1L << 53, (1L << 53) + 1}[r.nextInt(8)];
        case 3:
            return new double[] {-0.0, 0.0, 0.5, 1.0, -1.5, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 0x1p63, 0x1p70, -0x1p63, 9007199254740993.0}[r.nextInt(12)];
        case 4:
            return BigInteger.TWO.pow(63 + r.nextInt(10)).add(BigInteger.valueOf(r.nextInt(3) - 1))
                    .multiply(BigInteger.valueOf(r.nextBoolean() ? 1 : -1));
        case 5:
            return r.nextInt(5) == 0 ? (Object) (r.nextInt(100) - 50) : (Object) (short) r.nextInt(3);
        case 6: {
            byte[] b = new byte[r.nextInt(3)];
            for (int i = 0; i < b.length; i++)
                b[i] = (byte) new int[] {0, 1, 0x7f, 0x80, 0xff}[r.nextInt(5)];
            return b;
        }
        case 7: {
            String[] parts = {"", "a", "b", "\u00e9", "\uffff", "\ud83d\ude00", "\u0000"};
            return parts[r.nextInt(parts.length)] + parts[r.nextInt(parts.length)];
        }
        case 8:
            return r.nextInt(3) == 0 ? (Object) 2.5f : (Object) (long) r.nextInt(4);
        default: {
            Object[] items = new Object[r.nextInt(3)];
            for (int i = 0; i < items.length; i++)
                items[i] = anyKey(r, depth + 1);
            return Tuple.of(items);
        }
        }
    }

    @Test
    public void theComparatorAgreesWithThePool() throws Exception {
        Random r = new Random(2323);
        PersistentSortedMap m = pool.newSortedMap();
        root.put("m", m);
        TreeMap<Object, Object> model = new TreeMap<>(PersistentSortedMap.KEY_ORDER);
        for (int i = 0; i < 600; i++) {
            Object k = anyKey(r, 0);
            model.putIfAbsent(k, (long) i);
            m.putIfAbsent(k, (long) i);
        }
        assertEquals(model.size(), m.size());           // the same keys are one
        List<Object> got = keys(m);
        for (int i = 1; i < got.size(); i++)
            assertTrue(got.get(i - 1) + " < " + got.get(i),
                    m.comparator().compare(got.get(i - 1), got.get(i)) < 0);
        assertEquals(new ArrayList<>(model.values()), new ArrayList<>(m.values()));
    }

    @Test
    public void viewsAreLiveAndBounded() throws Exception {
        PersistentSortedMap m = numbers();
        NavigableMap<Object, Object> head = m.headMap(40);
        assertEquals(List.of(10L, 20L, 30L), keys(head));
        assertEquals(List.of(10L, 20L, 30L, 40L), keys(m.headMap(40, true)));
        assertEquals(List.of(90L, 100L), keys(m.tailMap(90)));
        assertEquals(List.of(100L), keys(m.tailMap(90, false)));
        assertEquals(List.of(30L, 40L), keys(m.subMap(30, 50)));
        assertEquals(List.of(40L, 50L), keys(m.subMap(30, false, 50, true)));
        assertEquals(3, head.size());
        head.put(5, "five");                           // writes through
        assertEquals(5L, m.firstKey());
        assertEquals(4, head.size());
        assertThrows(IllegalArgumentException.class, () -> head.put(40, "no"));
        assertThrows(IllegalArgumentException.class, () -> m.subMap(30, 50).put(50, "no"));
        assertFalse(m.containsKey(41));
        assertNull(head.get(50));                      // outside: not seen
        assertFalse(head.containsKey(50));
        assertNull(head.remove(50));
        assertTrue(m.containsKey(50));
        assertThrows(IllegalArgumentException.class, () -> m.subMap(50, 30));
        assertThrows(IllegalArgumentException.class, () -> head.tailMap(60));
        assertThrows(IllegalArgumentException.class, () -> m.subMap(30, 50).subMap(20, 40));
        assertEquals(List.of(30L, 40L), keys(m.subMap(20, 50).subMap(30, 50)));
        assertEquals(20L, head.ceilingKey(11));
        assertNull(head.ceilingKey(35));
        assertEquals(30L, head.floorKey(1000));
        assertEquals(30L, head.lastKey());
        m.subMap(20, 40).clear();                      // one transaction
        assertEquals(List.of(5L, 10L, 40L, 50L, 60L, 70L, 80L, 90L, 100L), keys(m));
        assertEquals(Map.entry(5L, "five"), head.pollFirstEntry());
        assertEquals(2L, m.removeRange(70, true, 80, true));
        assertEquals(List.of(10L, 40L, 50L, 60L, 90L, 100L), keys(m));
    }

    @Test
    public void descendingMapAndKeySets() throws Exception {
        PersistentSortedMap m = numbers();
        NavigableMap<Object, Object> d = m.descendingMap();
        assertEquals(100L, d.firstKey());
        assertEquals(10L, d.lastKey());
        assertEquals(List.of(100L, 90L, 80L), keys(d.headMap(70)));
        assertEquals(List.of(30L, 20L, 10L), keys(d.tailMap(30)));
        assertEquals(List.of(50L, 40L), keys(d.subMap(50, 30)));
        assertThrows(IllegalArgumentException.class, () -> d.subMap(30, 50));
        assertEquals(40L, d.ceilingKey(45));           // in the descending order
        assertEquals(50L, d.floorKey(45));
        assertEquals(30L, d.higherKey(40));
        assertEquals(50L, d.lowerKey(40));
        assertEquals(Map.entry(100L, "v100"), d.pollFirstEntry());
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L), keys(d.descendingMap()));
        assertTrue(d.comparator().compare(1, 2) > 0);
        NavigableSet<Object> ks = m.navigableKeySet();
        assertEquals(10L, ks.first());
        assertEquals(90L, ks.last());
        assertEquals(20L, ks.higher(10));
        assertEquals(List.of(90L, 80L), new ArrayList<>(ks.descendingSet().headSet(70)));
        assertEquals(List.of(90L, 80L, 70L), new ArrayList<>(m.descendingKeySet().headSet(70, true)));
        assertEquals(List.of(30L, 40L), new ArrayList<>(ks.subSet(30, 50)));
        Iterator<Object> di = ks.descendingIterator();
        assertEquals(90L, di.next());
        assertEquals(10L, ks.pollFirst());
        assertTrue(ks.remove(20));
        assertFalse(ks.remove(20));
        assertEquals(30L, m.firstKey());
        assertThrows(UnsupportedOperationException.class, () -> ks.add(1));
    }

    @Test
    public void iteratorsRemoveAndRemoveIf() throws Exception {
        PersistentSortedMap m = numbers();
        for (Iterator<Object> it = m.keySet().iterator(); it.hasNext(); )
            if ((Long) it.next() % 20 == 0)
                it.remove();                           // goes on after the key removed
        assertEquals(List.of(10L, 30L, 50L, 70L, 90L), keys(m));
        Iterator<Map.Entry<Object, Object>> it = m.descendingMap().entrySet().iterator();
        assertThrows(IllegalStateException.class, it::remove);
        assertEquals(90L, it.next().getKey());
        it.remove();
        assertEquals(70L, it.next().getKey());
        it.remove();
        assertEquals(50L, it.next().getKey());
        assertEquals(List.of(10L, 30L, 50L), keys(m));
        assertTrue(m.values().removeIf(v -> v.equals("v30")));   // one transaction
        assertEquals(List.of(10L, 50L), keys(m));
        for (Map.Entry<Object, Object> e : m.entrySet())
            e.setValue(List.of(e.getKey()));           // writes through, stored as a list
        assertTrue(m.get(10) instanceof PersistentList);
        assertTrue(m.entrySet().removeIf(e -> e.getKey().equals(50L)));
        assertEquals(List.of(10L), keys(m));
        root.put("l", List.of(new TreeMap<>(Map.of("k", 1))));   // in a list too
        assertEquals(1L, root.getList("l").getSortedMap(0).get("k"));
    }

    @Test
    public void containersAsValues() throws Exception {
        PersistentSortedMap m = pool.newSortedMap();
        root.put("m", m);
        m.put("list", List.of(1, 2));
        m.put("map", Map.of("a", 1));
        m.put("sorted", new TreeMap<>(Map.of(2, "b", 1, "a")));
        ((PersistentList) m.get("list")).add(3);         // live
        reopen();
        PersistentSortedMap back = root.getSortedMap("m");
        assertEquals(List.of(1L, 2L, 3L), back.get("list"));
        assertTrue(back.get("map") instanceof PersistentMap);
        PersistentSortedMap inner = (PersistentSortedMap) back.get("sorted");
        assertEquals(List.of(1L, 2L), keys(inner));
        TreeMap<Object, Object> plain = back.toJava();
        assertEquals(List.of("list", "map", "sorted"), new ArrayList<>(plain.keySet()));
        assertTrue(plain.get("sorted") instanceof TreeMap);
        assertEquals(List.of(1L, 2L, 3L), back.remove("list")); // a plain copy of the removed list
        // the whole map is stored as a reference, a view as a copy
        root.put("same", back);
        back.put("x", 1);
        assertEquals(1L, root.getSortedMap("same").get("x"));
        root.put("part", back.headMap("n"));
        back.put("a", 2);
        assertEquals(List.of("map"), keys(root.getSortedMap("part")));
    }

    @Test
    @SuppressWarnings("unchecked")
    public void computeAndMergeStoreAndReturnWhatIsStored() throws Exception {
        PersistentSortedMap m = pool.newSortedMap();
        root.put("m", m);
        ((List<Object>) m.computeIfAbsent("tags", k -> new ArrayList<>())).add("x");   // stored
        assertEquals(List.of("x"), m.get("tags"));
        m.merge("n", 1, (a, b) -> (Long) a + (Integer) b);
        m.merge("n", 1, (a, b) -> (Long) a + (Integer) b);
        assertEquals(2L, m.get("n"));
        assertNull(m.putIfAbsent("p", 1));
        assertEquals(1L, m.putIfAbsent("p", 2));
        assertTrue(m.replace("p", 1, 3));               // 1 matches 1L
        assertEquals(3L, m.replace("p", 4));
        assertTrue(m.remove("p", 4));
        m.compute("c", (k, v) -> v == null ? 1 : null);
        assertEquals(1L, m.get("c"));
        m.compute("c", (k, v) -> v == null ? 1 : null);
        assertFalse(m.containsKey("c"));
        assertEquals(List.of("n", "tags"), keys(m));
        assertThrows(IllegalArgumentException.class,
                () -> m.headMap("m").computeIfAbsent("z", k -> 1));   // outside the view
        assertFalse(m.containsKey("z"));
        m.replaceAll((k, v) -> k);                     // one transaction
        assertEquals(Map.of("n", "n", "tags", "tags"), m);
        assertTrue(m.values().remove("n"));
        assertEquals(List.of("tags"), keys(m));
    }

    @Test
    public void badKeysChangeNothing() throws Exception {
        PersistentSortedMap m = numbers();
        assertThrows(ClassCastException.class, () -> m.put(List.of(1), "x"));
        assertThrows(ClassCastException.class, () -> m.put(Set.of(1), "x"));  // frozen sets: no order
        assertThrows(ClassCastException.class, () -> m.put(Tuple.of(1, Set.of(2)), "x"));
        assertThrows(ClassCastException.class, () -> m.put(root, "x"));
        assertThrows(ClassCastException.class, () -> m.put(new Object(), "x"));
        Map<Object, Object> some = new LinkedHashMap<>();
        some.put(1, "one");
        some.put(Set.of(2), "two");
        assertThrows(ClassCastException.class, () -> m.putAll(some));
        assertThrows(ClassCastException.class, () -> pool.newSortedMap(some));
        assertEquals(10, m.size());
        assertFalse(m.containsKey(1));
        // a value that cannot be stored, after some puts: the transaction undoes them
        Map<Object, Object> late = new LinkedHashMap<>();
        late.put(1, "one");
        late.put(2, new Object());
        assertThrows(ClassCastException.class, () -> m.putAll(late));
        assertFalse(m.containsKey(1));
        assertEquals(10, m.size());
        // a TreeMap with a comparator of its own that holds a key a sorted map refuses
        TreeMap<Object, Object> odd = new TreeMap<>(Comparator.comparing(Object::toString));
        odd.put("a", 1);
        odd.put(List.of(1), 2);
        assertThrows(ClassCastException.class, () -> root.put("odd", odd));
        assertFalse(root.containsKey("odd"));
        assertThrows(ClassCastException.class, () -> m.ceilingKey(List.of(1)));
    }

    @Test
    public void aBadKeyDoesNotAbortTheCallersTransaction() throws Exception {
        PersistentSortedMap m = numbers();
        Map<Object, Object> bad = new LinkedHashMap<>();
        bad.put(1, "one");
        bad.put(Set.of(1), "x");
        pool.transaction(() -> {
            m.put(1, "one");
            assertThrows(ClassCastException.class, () -> m.putAll(bad));
            assertThrows(ClassCastException.class, () -> m.put(Set.of(2), "x"));
            m.put(2, "two");
        });
        assertEquals(List.of(1L, 2L, 10L), keys(m.headMap(20)));
    }

    @Test
    public void prefixesAndOtherOrders() throws Exception {
        PersistentSortedMap m = pool.newSortedMap(Map.of("user:1", 1, "user:2", 2, "users", 3, "u", 4,
                new byte[] {'u', 's'}, 5));
        root.put("m", m);
        assertEquals(List.of("user:1", "user:2"), keys(m.prefixMap("user:")));
        assertEquals(List.of("user:2", "user:1"), keys(m.descendingMap().prefixMap("user:")));
        assertEquals(1, m.prefixMap(new byte[] {'u'}).size());   // bytes: only byte[] keys
        assertThrows(ClassCastException.class, () -> m.prefixMap(1));
        // a SortedMap of another order is stored in the library's
        TreeMap<String, Integer> rev = new TreeMap<>(Comparator.reverseOrder());
        rev.putAll(Map.of("a", 1, "b", 2));
        root.put("rev", rev);
        assertEquals(List.of("a", "b"), keys(root.getSortedMap("rev")));
        // a TreeMap in the library's order holds mixed keys, and copies back
        TreeMap<Object, Object> mixed = new TreeMap<>(PersistentSortedMap.KEY_ORDER);
        mixed.put("b", 1L);
        mixed.put(2L, 2L);                             // Longs: what the pool reads back
        mixed.put(null, 3L);
        root.put("mixed", mixed);
        assertEquals(mixed, new TreeMap<>(root.getSortedMap("mixed")));
        assertEquals(Arrays.asList(null, 2L, "b"), keys(root.getSortedMap("mixed")));
    }

    @Test
    public void survivesDefragAndGc() throws Exception {
        PersistentSortedMap m = pool.newSortedMap();
        root.put("m", m);
        for (long i = 0; i < 3000; i++)
            m.put("k" + (10000 + i), "value " + i);
        m.headMap("k12900").clear();                   // most of it: one call
        pool.newSortedMap(Map.of(1, 2));                // never stored
        assertTrue(pool.gc() > 0);
        pool.defrag();
        reopen();
        PersistentSortedMap back = root.getSortedMap("m");
        assertEquals(100, back.size());
        assertEquals("k12900", back.firstKey());
        assertEquals("value 2999", back.lastEntry().getValue());
        assertTrue(pool.check().ok());
    }

    @Test
    public void readOnlyPoolRefusesWrites() throws Exception {
        numbers();
        pool.close();
        pool = Pool.open(path, PoolFlag.READONLY);
        PersistentSortedMap m = pool.root().getSortedMap("m");
        assertEquals(10, m.size());
        assertEquals(10L, m.firstKey());
        assertThrows(UnsupportedOperationException.class, () -> m.put(1, "x"));
        assertThrows(UnsupportedOperationException.class, () -> m.remove(10));
        assertThrows(UnsupportedOperationException.class, () -> m.remove(12345));
        assertThrows(UnsupportedOperationException.class, m::clear);
        assertThrows(UnsupportedOperationException.class, () -> m.headMap(50).clear());
        assertThrows(UnsupportedOperationException.class, m::pollFirstEntry);
        assertEquals(10, m.size());
    }

    /* the model's order of Long and String keys: numbers first, then strings (ASCII) */
    private static final Comparator<Object> MODEL = (a, b) -> {
        if (a instanceof Long x && b instanceof Long y)
            return Long.compare(x, y);
        if (a instanceof String x && b instanceof String y)
            return x.compareTo(y);
        return a instanceof Long ? -1 : 1;
    };

    private static Object randomKey(Random r) {
        return r.nextBoolean() ? (Object) (long) (r.nextInt(60) - 30)
                : String.valueOf((char) ('a' + r.nextInt(8))) + (r.nextBoolean() ? "" : "x");
    }

    /* a random view of both maps, with the same bounds */
    private static NavigableMap<Object, Object>[] randomView(Random r, NavigableMap<Object, Object> a,
            NavigableMap<Object, Object> b) {
        Object lo = randomKey(r), hi = randomKey(r);
        if (MODEL.compare(lo, hi) > 0) {
            Object t = lo;
            lo = hi;
            hi = t;
        }
        boolean li = r.nextBoolean(), hiIn = r.nextBoolean();
        @SuppressWarnings({"unchecked", "rawtypes"})
        NavigableMap<Object, Object>[] v = new NavigableMap[2];
        switch (r.nextInt(4)) {
        case 0:
            v[0] = a.subMap(lo, li, hi, hiIn);
            v[1] = b.subMap(lo, li, hi, hiIn);
            break;
        case 1:
            v[0] = a.headMap(hi, hiIn);
            v[1] = b.headMap(hi, hiIn);
            break;
        case 2:
            v[0] = a.tailMap(lo, li);
            v[1] = b.tailMap(lo, li);
            break;
        default:
            v[0] = a.descendingMap().subMap(hi, hiIn, lo, li);
            v[1] = b.descendingMap().subMap(hi, hiIn, lo, li);
            break;
        }
        return v;
    }

    @Test
    public void agreesWithATreeMap() throws Exception {
        PersistentSortedMap m = pool.newSortedMap();
        root.put("m", m);
        TreeMap<Object, Object> model = new TreeMap<>(MODEL);
        Random r = new Random(23);
        for (int step = 0; step < 1500; step++) {
            int op = r.nextInt(10);
            Object k = randomKey(r);
            if (op < 4) {
                long v = r.nextInt(1000);
                assertEquals(model.put(k, v), m.put(k, v));
            } else if (op < 6) {
                assertEquals(model.remove(k), m.remove(k));
            } else {
                NavigableMap<Object, Object>[] v = randomView(r, m, model);
                NavigableMap<Object, Object> got = v[0], want = v[1];
                assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()));
                assertEquals(new ArrayList<>(want.values()), new ArrayList<>(got.values()));
                assertEquals(want.size(), got.size());
                assertEquals(want.firstEntry(), got.firstEntry());
                assertEquals(want.lastEntry(), got.lastEntry());
                Object probe = randomKey(r);
                assertEquals(want.ceilingKey(probe), got.ceilingKey(probe));
                assertEquals(want.floorKey(probe), got.floorKey(probe));
                assertEquals(want.higherKey(probe), got.higherKey(probe));
                assertEquals(want.lowerKey(probe), got.lowerKey(probe));
                assertEquals(want.containsKey(probe), got.containsKey(probe));
                assertEquals(want, got);
                if (op == 9 && r.nextInt(4) == 0) {
                    want.clear();
                    got.clear();
                } else if (op == 8) {
                    assertEquals(want.pollFirstEntry(), got.pollFirstEntry());
                }
            }
            assertEquals(model.size(), m.size());
        }
        reopen();
        assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(root.getSortedMap("m").entrySet()));
    }
}
