package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.CheckReport;
import io.pmemkit.ClosedException;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.PmemkitRuntimeException;
import io.pmemkit.Pool;
import io.pmemkit.PoolStats;
import java.io.File;
import java.util.Iterator;
import org.junit.Rule;
import org.junit.Test;

public class PoolTest {
    @Rule
    public final TestPools pools = new TestPools();

    @Test
    public void createWriteCloseOpenRead() throws Exception {
        String path = pools.path("basic");
        try (Pool pool = Pool.create(path, Pool.DEFAULT_SIZE)) {
            assertEquals(path, pool.path());
            assertFalse(pool.isClosed());
            PersistentMap root = pool.root();
            assertTrue(root.isEmpty());
            root.put("greeting", "hello");
            root.put("answer", 42L);
        }
        assertEquals(Pool.DEFAULT_SIZE, new File(path).length());
        try (Pool pool = Pool.open(path)) {
            PersistentMap root = pool.root();
            assertEquals(2, root.size());
            assertEquals("hello", root.get("greeting"));
            assertEquals(42L, root.get("answer"));
        }
    }

    @Test
    public void closeIsIdempotentAndContainersReportIt() throws Exception {
        Pool pool = Pool.create(pools.path("close"), Pool.MIN_SIZE);
        PersistentMap root = pool.root();
        root.put("k", "v");
        Iterator<Object> it = root.keySet().iterator();
        pool.close();
        pool.close();
        assertTrue(pool.isClosed());
        assertThrows(ClosedException.class, pool::root);
        assertThrows(ClosedException.class, () -> root.getChecked("k"));
        PmemkitRuntimeException e = assertThrows(PmemkitRuntimeException.class, () -> root.get("k"));
        assertTrue(e.getCause() instanceof ClosedException);
        assertThrows(PmemkitRuntimeException.class, it::hasNext);
    }

    @Test
    public void sizeBelowTheMinimumIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Pool.create(pools.path("small"), Pool.MIN_SIZE - 1));
        assertEquals(8L << 20, Pool.MIN_SIZE);
    }

    @Test
    public void prefaultChangesNoData() throws Exception {
        Pool pool = Pool.create(pools.path("prefault"), Pool.MIN_SIZE);
        pool.root().put("k", "v");
        pool.prefault();
        assertEquals("v", pool.root().get("k"));
        pool.close();
        assertThrows(ClosedException.class, pool::prefault);
    }

    @Test
    public void statsCheckAndGc() throws Exception {
        try (Pool pool = Pool.create(pools.path("gc"), Pool.MIN_SIZE)) {
            PoolStats before = pool.stats();
            assertEquals(Pool.MIN_SIZE, before.size());
            assertEquals(Pool.MIN_SIZE, before.maxSize());
            assertTrue(before.free() > 0 && before.free() < Pool.MIN_SIZE);
            assertFalse(before.unclean());
            PersistentList orphan = pool.newList();
            orphan.add("never stored");
            CheckReport r = pool.check();
            assertFalse(r.ok());
            assertTrue(r.leaked() >= 1);
            assertEquals(r.leaked(), pool.gc());
            assertTrue(pool.check().ok());
            pool.root().put("kept", java.util.List.of(1L, 2L));
            assertTrue(pool.check().ok());
            assertNotEquals(0, pool.stats().objects());
        }
    }

    @Test
    public void versionIsTheLibrarys() {
        assertTrue(Pool.version().matches("\\d+\\.\\d+\\.\\d+"));
    }

    @Test
    public void manyHandlesAreReleasedWhenCollected() throws Exception {
        try (Pool pool = Pool.create(pools.path("handles"), Pool.MIN_SIZE)) {
            pool.root().put("m", java.util.Map.of("x", 1L));
            for (int i = 0; i < 100_000; i++)
                assertEquals(1L, ((PersistentMap) pool.root().get("m")).get("x"));
        }
    }
}
