package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.pmemkit.ClosedException;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.PersistentSortedMap;
import io.pmemkit.PmemkitException;
import io.pmemkit.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.Rule;
import org.junit.Test;

/*
 * Issue 19: one pool and one container handle shared by threads, as the C
 * library allows, and a close racing with their use: no crash, no lost or
 * torn change, and only ClosedException for the calls the close refuses.
 */
public class ThreadTest {
    @Rule
    public final TestPools pools = new TestPools();

    private static final int THREADS = 4;

    @FunctionalInterface
    interface Body {
        void run(int id) throws Exception;
    }

    /* run body in THREADS threads at once; the failures they met */
    private static Queue<Throwable> inThreads(Body body) throws InterruptedException {
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    body.run(id);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads)
            th.join(60_000);
        return failures;
    }

    @Test
    public void threadsShareOneHandle() throws Exception {
        String path = pools.path("shared");
        final int n = 300;
        try (Pool pool = Pool.create(path, Pool.DEFAULT_SIZE)) {
            PersistentMap root = pool.root();
            root.put("log", List.of());
            root.put("nested", Map.of("deep", List.of()));
            PersistentList log = (PersistentList) root.get("log");
            Queue<Throwable> failures = inThreads(id -> {
                for (int i = 0; i < n; i++) {
                    root.put("t" + id + "-" + i, (long) i);
                    root.merge("counter", 1L, (a, b) -> (Long) a + (Long) b);
                    log.add(id);
                    ((PersistentList) ((PersistentMap) root.get("nested")).get("deep")).add(i);
                    root.computeIfAbsent("list" + id, k -> new ArrayList<>());
                    pool.transaction(() -> {
                        long c = (Long) root.getOrDefault("tx", 0L);
                        root.put("tx", c + 1);
                    });
                    pool.transaction(() -> {   // no other thread changes the pool meanwhile
                        for (Object o : log)
                            assertTrue(o instanceof Long);
                    });
                }
            });
            assertTrue(failures.toString(), failures.isEmpty());
            assertEquals((long) THREADS * n, root.get("counter"));
            assertEquals((long) THREADS * n, root.get("tx"));
            assertEquals(THREADS * n, log.size());
        }
        try (Pool pool = Pool.open(path)) {
            PersistentMap root = pool.root();
            for (int t = 0; t < THREADS; t++)
                for (int i = 0; i < n; i++)
                    assertEquals((long) i, root.get("t" + t + "-" + i));
            assertTrue(pool.check().ok());
        }
    }

    @Test
    public void threadsShareASortedMap() throws Exception {
        String path = pools.path("sorted");
        final int n = 200;
        try (Pool pool = Pool.create(path, Pool.DEFAULT_SIZE)) {
            PersistentSortedMap m = pool.newSortedMap();
            pool.root().put("m", m);
            Queue<Throwable> failures = inThreads(id -> {
                for (int i = 0; i < n; i++) {
                    m.put((long) id * n + i, "v");
                    m.merge("counter", 1L, (a, b) -> (Long) a + (Long) b);
                    Object last = m.headMap("counter").lastKey();   // readers alongside writers
                    assertTrue(last instanceof Long);
                }
            });
            assertTrue(failures.toString(), failures.isEmpty());
            assertEquals((long) THREADS * n, m.get("counter"));
            assertEquals(THREADS * n, m.headMap("counter").size());
            assertEquals((long) THREADS * n - 1, m.headMap("counter").lastKey());
        }
    }

    /* what a refused call may throw */
    private static boolean closed(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause())
            if (c instanceof ClosedException)
                return true;
        return false;
    }

    @Test
    public void closeRacesWithUse() throws Exception {
        String path = pools.path("race");
        for (int round = 0; round < 20; round++) {
            Pool pool = round == 0 ? Pool.create(path, Pool.DEFAULT_SIZE) : Pool.open(path);
            PersistentMap root = pool.root();
            root.put("list", List.of());
            AtomicBoolean stop = new AtomicBoolean();
            Thread closer = new Thread(() -> {
                try {
                    Thread.sleep(5);
                    pool.close();
                } catch (Exception e) {
                    throw new AssertionError(e);
                } finally {
                    stop.set(true);
                }
            });
            closer.start();
            Queue<Throwable> failures = inThreads(id -> {
                try {
                    for (int i = 0; !stop.get() || i < 10; i++) {
                        root.put("k" + id, i);
                        ((PersistentList) root.get("list")).add(i);
                        pool.transaction(() -> {
                            for (Object k : root.keySet())
                                root.get(k);
                            root.toString();
                        });
                        pool.transaction(() -> root.put("tx" + id, Map.of("v", 1L)));
                    }
                } catch (Throwable e) {
                    if (!closed(e))
                        throw e;
                }
            });
            closer.join();
            assertTrue(failures.toString(), failures.isEmpty());
            assertTrue(pool.isClosed());
            assertEquals("PersistentMap[closed]", root.toString());
        }
        try (Pool pool = Pool.open(path)) {
            assertTrue(pool.check().ok());
        }
    }

    @Test
    public void closeWaitsForAnotherThreadsTransaction() throws Exception {
        Pool pool = Pool.create(pools.path("txclose"), Pool.DEFAULT_SIZE);
        PersistentMap root = pool.root();
        CountDownLatch inTx = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        Queue<Throwable> seen = new ConcurrentLinkedQueue<>();
        Thread t = new Thread(() -> {
            try {
                pool.transaction(() -> {
                    root.put("inside", 1L);
                    inTx.countDown();
                    closing.await();
                    while (true) {
                        Thread.sleep(1);
                        root.put("more", 2L); // throws ClosedException once closing
                    }
                });
            } catch (Throwable e) {
                seen.add(e);
            }
        });
        t.start();
        assertTrue(inTx.await(10, TimeUnit.SECONDS));
        Thread closer = new Thread(() -> {
            try {
                pool.close();
            } catch (PmemkitException e) {
                seen.add(e);
            }
        });
        closer.start();
        Thread.sleep(20);
        assertFalse(pool.toString(), seen.stream().anyMatch(e -> e instanceof PmemkitException && !closed(e)));
        closing.countDown();
        closer.join(10_000);
        t.join(10_000);
        assertFalse("close did not finish", closer.isAlive());
        assertEquals(1, seen.size());
        assertTrue(seen.toString(), closed(seen.peek()));
        try (Pool again = Pool.open(pools.path("txclose"))) {
            assertFalse(again.root().containsKey("inside")); // aborted
        }
    }

    @Test(timeout = 20_000)
    public void closeInsideAFunctionAContainerRuns() throws Exception {
        Pool pool = Pool.create(pools.path("inside"), Pool.DEFAULT_SIZE);
        PersistentMap root = pool.root();
        Throwable e = org.junit.Assert.assertThrows(RuntimeException.class,
                () -> root.computeIfAbsent("k", k -> {
                    // the computing transaction is aborted: TransactionException
                    org.junit.Assert.assertThrows(io.pmemkit.TransactionException.class, pool::close);
                    return "v";
                }));
        assertTrue(e.toString(), closed(e));
        assertTrue(pool.isClosed());
    }

    /* a close that waits for a transaction, and one from the thread that holds it */
    @Test(timeout = 30_000)
    public void twoClosesWhileATransactionIsOpen() throws Exception {
        Pool pool = Pool.create(pools.path("twoclose"), Pool.DEFAULT_SIZE);
        CountDownLatch inTx = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Queue<Throwable> seen = new ConcurrentLinkedQueue<>();
        Thread holder = new Thread(() -> {
            try {
                pool.begin();
                pool.root().put("k", 1L);
                inTx.countDown();
                go.await();
                pool.close();   // aborts its own transaction: TransactionException
            } catch (Throwable e) {
                seen.add(e);
            }
        });
        holder.start();
        assertTrue(inTx.await(10, TimeUnit.SECONDS));
        Thread closer = new Thread(() -> {
            try {
                pool.close();   // waits for the holder's transaction
            } catch (Throwable e) {
                seen.add(e);
            }
        });
        closer.start();
        Thread.sleep(20);
        go.countDown();
        holder.join();
        closer.join();
        assertEquals(1, seen.size());
        assertTrue(seen.toString(), seen.peek() instanceof io.pmemkit.TransactionException);
        assertTrue(pool.isClosed());
    }
}
