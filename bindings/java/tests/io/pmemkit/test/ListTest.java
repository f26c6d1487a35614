package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.Pool;
import io.pmemkit.RangeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class ListTest {
    @Rule
    public final TestPools pools = new TestPools();

    private Pool pool;
    private PersistentList list;

    @Before
    public void setUp() throws Exception {
        pool = Pool.create(pools.path("list"), Pool.DEFAULT_SIZE);
        list = pool.newList();
        pool.root().put("list", list);
    }

    @After
    public void tearDown() throws Exception {
        pool.close();
    }

    @Test
    public void behavesAsAnArrayList() {
        List<Object> expected = new ArrayList<>();
        assertTrue(list instanceof RandomAccess);
        for (long i = 0; i < 300; i++) {
            expected.add(i);
            list.add(i);
        }
        expected.add(0, "first");
        list.add(0, "first");
        expected.add(expected.size(), "last");
        list.add(list.size(), "last");
        expected.add(150, "middle");
        list.add(150, "middle");
        assertEquals(expected.set(7, 7.5), list.set(7, 7.5));
        assertEquals(expected.remove(3), list.remove(3));
        assertEquals(expected.remove(expected.size() - 1), list.remove(list.size() - 1));
        expected.subList(10, 20).clear();
        list.subList(10, 20).clear();
        assertEquals(expected.size(), list.size());
        assertEquals(expected, list);
        assertEquals(list, expected);
        assertEquals(expected.hashCode(), list.hashCode());
        assertEquals(expected.indexOf("middle"), list.indexOf("middle"));
        assertTrue(list.contains("middle"));
        List<Object> iterated = new ArrayList<>();
        for (Object o : list)
            iterated.add(o);
        assertEquals(expected, iterated);
        Collections.reverse(expected);
        Collections.reverse(list);
        assertEquals(expected, list);
        list.clear();
        assertTrue(list.isEmpty());
    }

    @Test
    public void badIndexesThrowIndexOutOfBounds() {
        list.add("only");
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> list.set(5, "x"));
        assertThrows(IndexOutOfBoundsException.class, () -> list.remove(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> list.add(3, "x"));
        assertThrows(IndexOutOfBoundsException.class, () -> list.add(-1, "x"));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> list.get(9));
        assertTrue(e.getCause() instanceof RangeException);
        assertEquals(List.of("only"), list);
    }

    @Test
    public void checkedVariantsTakePythonIndexes() throws Exception {
        list.addAll(List.of("a", "b", "c"));
        assertEquals("c", list.getChecked(-1));
        list.setChecked(-2, "B");
        list.insertChecked(100, "end");
        list.insertChecked(-100, "start");
        list.removeChecked(-1);
        list.appendChecked("z");
        assertEquals(List.of("start", "a", "B", "c", "z"), list);
        RangeException e = assertThrows(RangeException.class, () -> list.getChecked(5));
        assertEquals("PK_ERANGE", e.codeName());
        assertEquals("Range", e.errorClass());
        assertEquals(5, list.length());
    }

    @Test
    public void addAllIsOneTransaction() {
        list.add("before");
        List<Object> batch = Arrays.asList("ok", Map.of("nested", 1L), new Object());
        assertThrows(ClassCastException.class, () -> list.addAll(batch));
        assertEquals(List.of("before"), list);
        list.addAll(0, List.of(1L, 2L));
        list.addAll(List.of(List.of("x"), "y"));
        assertEquals(List.of(1L, 2L, "before", List.of("x"), "y"), list);
    }

    @Test
    public void nestedContainersAndPlainCopies() throws Exception {
        list.add(Map.of("name", "n"));
        list.add(List.of(List.of()));
        PersistentMap m = (PersistentMap) list.get(0);
        m.put("extra", true);
        assertEquals(Map.of("name", "n", "extra", true), list.get(0));
        Object removed = list.remove(0);
        assertEquals(java.util.LinkedHashMap.class, removed.getClass());
        assertEquals(Map.of("name", "n", "extra", true), removed);
        assertEquals(List.of(List.of()), list.toJava().get(0));
        pool.gc();
        assertTrue(pool.check().ok());
    }

    @Test
    public void changingTheLengthWhileIteratingIsDetected() {
        list.addAll(List.of(1L, 2L, 3L));
        assertThrows(ConcurrentModificationException.class, () -> {
            for (Object o : list)
                if (o.equals(1L))
                    list.add(4L);
        });
        for (Object o : list)
            if (o.equals(2L))
                list.set(0, "set is fine");
        assertEquals("set is fine", list.get(0));
    }
}
