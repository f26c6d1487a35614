package io.pmemkit.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.ClosedException;
import io.pmemkit.PmemkitIOException;
import io.pmemkit.RangeException;
import io.pmemkit.Region;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.Rule;
import org.junit.Test;

public class RegionTest {
    @Rule
    public final TestPools pools = new TestPools();

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static boolean mapped(String path) throws IOException {
        String canon = new File(path).getCanonicalPath();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps")))
            if (line.endsWith(" " + canon))
                return true;
        return false;
    }

    private static void gc(String path) throws Exception {
        for (int i = 0; i < 50 && mapped(path); i++) {
            System.gc();
            Thread.sleep(10);
        }
    }

    /* that once what maps it is collected the file is unmapped, and begins with `first` */
    private static void assertUnmappedAndKept(String path, String first) throws Exception {
        gc(path);
        assertFalse("unmapped once the region and its buffers are collected", mapped(path));
        try (Region again = Region.open(path)) {
            assertArrayEquals(b(first), again.read(0, first.length()));
        }
    }

    @Test
    public void createWriteReadAndReopen() throws Exception {
        String path = pools.path("raw");
        try (Region r = Region.create(path, 4096)) {
            assertEquals(4096, r.length());
            assertTrue(r.isPmem());       // the tests run with PMEM_IS_PMEM_FORCE=1
            r.write(0, b("hello"));
            r.write(100, new byte[] {1, 0, 2}, Region.Flush.NO_DRAIN);
            r.drain();
            r.write(200, b("later"), Region.Flush.NO_FLUSH);
            r.persist(200, 5);
            r.flush(0, 4096);
            r.drain();
            r.deepFlush(0, 10);
            r.persist();
            assertArrayEquals(b("hello"), r.read(0, 5));
            assertArrayEquals(new byte[0], r.read(4096, 0));
        }
        assertEquals(4096, new File(path).length());
        try (Region r = Region.open(path)) {
            assertEquals(4096, r.length());
            assertArrayEquals(new byte[] {1, 0, 2}, r.read(100, 3));
            assertArrayEquals(b("later"), r.read(200, 5));
        }
        // an existing file is mapped whole and never truncated
        try (Region r = Region.create(path, 100)) {
            assertEquals(4096, r.length());
            assertArrayEquals(b("hello"), r.read(0, 5));
        }
        assertThrows(PmemkitIOException.class, () -> Region.createNew(path, 100));
        assertEquals(4096, new File(path).length());
    }

    @Test
    public void moveAndFill() throws Exception {
        try (Region r = Region.create(pools.path("raw"), 1024)) {
            r.write(0, b("abcdef"));
            r.move(2, 0, 4);                          // overlapping
            assertArrayEquals(b("ababcd"), r.read(0, 6));
            r.fill(10, (byte) 0xff, 3);
            assertArrayEquals(new byte[] {0, -1, -1, -1, 0}, r.read(9, 5));
            r.move(20, 0, 2, Region.Flush.NO_FLUSH);
            r.fill(30, (byte) 'z', 1, Region.Flush.NO_DRAIN);
            r.persist(0, 1024);
            assertArrayEquals(b("ab"), r.read(20, 2));
            assertArrayEquals(b("z"), r.read(30, 1));
        }
    }

    @Test
    public void rangesOutsideAreRefusedAndNothingWritten() throws Exception {
        try (Region r = Region.create(pools.path("raw"), 1024)) {
            r.fill(0, (byte) 1, 1024);
            assertThrows(RangeException.class, () -> r.write(1020, new byte[5]));
            assertThrows(RangeException.class, () -> r.write(-1, new byte[1]));
            assertThrows(RangeException.class, () -> r.fill(1000, (byte) 0, 25));
            assertThrows(RangeException.class, () -> r.fill(-5, (byte) 0, 1));
            assertThrows(RangeException.class, () -> r.move(0, 1000, 25));
            assertThrows(RangeException.class, () -> r.move(1000, 0, 25));
            assertThrows(RangeException.class, () -> r.read(1020, 5));
            assertThrows(RangeException.class, () -> r.read(0, -1));
            assertThrows(RangeException.class, () -> r.persist(1, 1024));
            assertThrows(RangeException.class, () -> r.persist(-1, 1));
            assertThrows(RangeException.class, () -> r.flush(1025, 0));
            assertThrows(RangeException.class, () -> r.deepFlush(0, Long.MAX_VALUE));
            assertThrows(RangeException.class, () -> r.buffer(1000, 25));
            assertThrows(RangeException.class, () -> r.buffer(-1, 1));
            assertThrows(RangeException.class, () -> r.buffer(0, -1));
            assertThrows(NullPointerException.class, () -> r.write(0, null));
            byte[] ones = new byte[1024];
            Arrays.fill(ones, (byte) 1);
            assertArrayEquals(ones, r.read(0, 1024));
        }
    }

    @Test
    public void badArgumentsOfMapping() throws Exception {
        String path = pools.path("raw");
        assertThrows(PmemkitIOException.class, () -> Region.open(path));   // ENOENT
        assertThrows(IllegalArgumentException.class, () -> Region.create(path, 0));
        assertThrows(IllegalArgumentException.class, () -> Region.create(path, -1));
        assertThrows(NullPointerException.class, () -> Region.open((String) null));
        assertFalse(new File(path).exists());
    }

    @Test
    public void aByteBufferIsTheMappingInPlace() throws Exception {
        String path = pools.path("raw");
        try (Region r = Region.create(path, 8192)) {
            ByteBuffer buf = r.buffer();
            assertTrue(buf.isDirect());
            assertEquals(8192, buf.capacity());
            buf.put(b("in place"));
            buf.order(ByteOrder.LITTLE_ENDIAN).putLong(64, 42L);
            r.persist(0, 72);
            assertArrayEquals(b("in place"), r.read(0, 8));
            r.write(100, b("seen"));
            byte[] seen = new byte[4];
            buf.get(100, seen);
            assertArrayEquals(b("seen"), seen);
            ByteBuffer part = r.buffer(4096, 16);
            assertEquals(16, part.capacity());
            part.put(0, (byte) 'Q');
            assertArrayEquals(b("Q"), r.read(4096, 1));
        }
        try (Region r = Region.open(path)) {
            assertEquals(42L, r.buffer().order(ByteOrder.LITTLE_ENDIAN).getLong(64));
        }
    }

    @Test
    public void closeEndsTheRegionButNoBufferOutlivesTheMapping() throws Exception {
        String path = pools.path("raw");
        Region r = Region.create(path, 4096);
        ByteBuffer buf = r.buffer();
        buf.put(0, (byte) 'a');                  // persisted by close
        r.close();
        r.close();                                // a no-op
        assertTrue(r.isClosed());
        ClosedException e = assertThrows(ClosedException.class, () -> r.write(0, b("x")));
        assertTrue(e.getMessage(), e.getMessage().contains("region is closed"));
        assertThrows(ClosedException.class, () -> r.read(0, 1));
        assertThrows(ClosedException.class, r::persist);
        assertThrows(ClosedException.class, r::buffer);
        assertThrows(ClosedException.class, r::length);
        assertTrue(r.toString().endsWith("closed]"));
        // the buffer still points at mapped memory: no crash
        buf.put(1, (byte) 'b');
        assertEquals('a', buf.get(0));
        assertTrue(mapped(path));
        // a slice or a view keeps the buffer, and so the mapping
        java.nio.LongBuffer longs = buf.slice(8, 16).asLongBuffer();
        buf = null;
        gc(path);
        assertTrue("mapped while a view of a buffer lives", mapped(path));
        longs.put(0, 7L);
        longs = null;
        assertUnmappedAndKept(path, "a");
    }

    @Test
    public void closeWhileThreadsWriteWaitsForTheirCalls() throws Exception {
        String path = pools.path("raw");
        Region r = Region.create(path, 4 * 4096);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(4);
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    for (long n = 0;; n++) {
                        r.write(id * 4096 + (n % 512) * 8, new byte[] {(byte) (id + 1), 1, 2, 3, 4, 5, 6, 7});
                        if (n == 0)
                            started.countDown();
                    }
                } catch (ClosedException e) {
                    // closed under it: the writes so far are in
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            ts[t].start();
        }
        started.await();
        r.close();
        for (Thread t : ts)
            t.join();
        try (Region again = Region.open(path)) {
            for (int t = 0; t < ts.length; t++)
                assertEquals(t + 1, again.read(t * 4096, 1)[0]);
        }
    }

    @Test
    public void aRegionNeverClosedStaysOpenWhileItsBuffersLive() throws Exception {
        String path = pools.path("raw");
        ByteBuffer buf = Region.create(path, 4096).buffer();   // the region dropped at once
        gc(path);
        buf.put(0, (byte) 'k');
        assertTrue(mapped(path));
        buf = null;
        assertUnmappedAndKept(path, "k");
    }

    @Test
    public void closeWithoutBuffersUnmapsAtOnce() throws Exception {
        String path = pools.path("raw");
        Region r = Region.create(path, 4096);
        assertTrue(mapped(path));
        r.close();
        assertFalse(mapped(path));
    }
}
