package io.pmemkit.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.OutOfSpaceException;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.PmemkitException;
import io.pmemkit.PmemkitIOException;
import io.pmemkit.Pool;
import io.pmemkit.PoolException;
import io.pmemkit.PoolFlag;
import io.pmemkit.PoolOptions;
import io.pmemkit.PoolStats;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;

/**
 * Pools that grow on demand ({@code Pool.create(path)}) and their maximum.
 */
public class GrowingPoolTest {
    @Rule
    public final TestPools pools = new TestPools();

    /* the bytes of every file under dir: what a pool takes on the medium */
    private static long bytesUnder(File dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir.toPath())) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /* n bytes that are blob i's (the tests of other kinds of pool use it too) */
    static byte[] blob(int i, int n) {
        byte[] b = new byte[n];
        new Random(i).nextBytes(b);
        return b;
    }

    @Test
    public void aGrowingPoolTakesTenTimesItsFirstSize() throws Exception {
        File dir = pools.newFolder("growing");
        String path = new File(dir, "g.pool").getPath();
        long first;
        int n = 0;
        final int blobSize = 256 << 10;
        try (Pool pool = Pool.create(path)) {
            first = bytesUnder(dir);
            assertTrue("files of a new growing pool: " + first, first > 0);
            PersistentList blobs = pool.newList();
            pool.root().put("blobs", blobs);
            while ((long) n * blobSize < 10 * first)
                blobs.appendChecked(blob(n++, blobSize));
            assertTrue(bytesUnder(dir) > 10 * first);
            assertTrue(pool.stats().size() >= 10 * first);
            assertTrue(pool.stats().maxSize() > pool.stats().size());
        }
        try (Pool pool = Pool.open(path)) {
            PersistentList blobs = pool.root().getList("blobs");
            assertEquals(n, blobs.size());
            for (int i = 0; i < n; i++)
                assertArrayEquals("blob " + i, blob(i, blobSize), (byte[]) blobs.get(i));
            assertTrue(pool.check().ok());
        }
    }

    @Test
    public void aGrowingPoolStopsAtItsMaximumAndStaysUsable() throws Exception {
        File dir = pools.newFolder("max");
        String path = new File(dir, "m.pool").getPath();
        long max = 64L << 20;
        final int blobSize = 256 << 10;
        int n = 0;
        try (Pool pool = Pool.create(path, PoolOptions.growing().maxSize(max))) {
            PersistentMap root = pool.root();
            PoolStats st = pool.stats();
            assertEquals(max, st.maxSize());
            assertTrue(st.size() < max);
            assertTrue(st.free() > st.size() - st.used());
            OutOfSpaceException full = null;
            while (full == null && n < 10_000) {
                try {
                    root.putChecked(n, blob(n, blobSize));
                    n++;
                } catch (OutOfSpaceException e) {
                    full = e;
                }
            }
            assertNotNull("a pool of at most " + max + " bytes took " + n + " blobs", full);
            assertTrue((long) n * blobSize <= max);
            assertTrue("it grew: " + n + " blobs", (long) n * blobSize > max / 2);
            assertTrue(pool.stats().size() <= max);
            // usable after: what is there reads, removing makes room again
            assertArrayEquals(blob(0, blobSize), (byte[]) root.get(0));
            root.remove(n - 1);
            root.put("after", "full");
            root.put(n - 1, blob(n - 1, blobSize));
        }
        assertTrue(bytesUnder(dir) <= max + (1 << 20));
        try (Pool pool = Pool.open(path)) {
            PersistentMap root = pool.root();
            assertEquals("full", root.get("after"));
            for (int i = 0; i < n; i++)
                assertArrayEquals(blob(i, blobSize), (byte[]) root.get(i));
            assertTrue(pool.check().ok());
        }
    }

    @Test
    public void theGrowingPoolOfCreateReopensAsAnyPool() throws Exception {
        File dir = pools.newFolder("plain");
        Path path = dir.toPath().resolve("p.pool");
        try (Pool pool = Pool.create(path)) {
            assertEquals(PoolOptions.growing(), pool.options());
            pool.root().put("config", Map.of("retries", 3));
        }
        try (Pool pool = Pool.open(path)) {
            assertEquals(3L, pool.root().getMap("config").get("retries"));
        }
        try (Pool pool = Pool.open(path, PoolFlag.READONLY)) {
            assertEquals(3L, pool.root().getMap("config").get("retries"));
            assertNull(pool.root().get("missing"));
        }
        PmemkitIOException e = assertThrows(PmemkitIOException.class, () -> Pool.create(path));
        assertEquals("EEXIST", e.codeName());
        e = assertThrows(PmemkitIOException.class,
                () -> Pool.create(path, PoolOptions.growing().maxSize(1L << 30)));
        assertEquals("EEXIST", e.codeName());
    }

    @Test
    public void badInputIsAClearErrorAndChangesNoFile() throws Exception {
        File dir = pools.newFolder("bad");
        String path = new File(dir, "b.pool").getPath();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pool.create(path, PoolOptions.growing().maxSize(Pool.MIN_SIZE - 1)));
        assertTrue(e.getCause() instanceof PmemkitIOException);
        assertEquals("EINVAL", ((PmemkitIOException) e.getCause()).codeName());
        assertThrows(IllegalArgumentException.class,
                () -> Pool.create(path, PoolOptions.growing().size(32L << 20).maxSize(16L << 20)));
        assertEquals(0, dir.list().length);
        // a parts directory that holds something else
        File parts = new File(path + ".parts");
        assertTrue(parts.mkdir());
        Files.writeString(parts.toPath().resolve("mine.txt"), "not a part");
        PmemkitIOException io = assertThrows(PmemkitIOException.class, () -> Pool.create(path));
        assertEquals("EEXIST", io.codeName());
        assertFalse(new File(path).exists());
        assertEquals(List.of("mine.txt"), List.of(parts.list()));
    }

    @Test
    public void aMissingPartIsAnErrorAtOpen() throws Exception {
        File dir = pools.newFolder("missing");
        String path = new File(dir, "m.pool").getPath();
        try (Pool pool = Pool.create(path)) {
            pool.root().put("k", "v");
        }
        File[] parts = new File(path + ".parts").listFiles();
        assertNotNull(parts);
        assertTrue(parts.length >= 1);
        for (File f : parts)
            assertTrue(f.delete());
        PmemkitException e = assertThrows(PmemkitException.class, () -> Pool.open(path));
        assertTrue(e.toString(), e instanceof PoolException || e instanceof PmemkitIOException);
    }

    @Test
    public void theModeIsEveryFilesOfAGrowingPool() throws Exception {
        File dir = pools.newFolder("mode");
        String path = new File(dir, "g.pool").getPath();
        try (Pool pool = Pool.create(path, PoolOptions.growing().mode(0640))) {
            pool.root().put("k", "v");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir.toPath())) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.toString(), files.size() >= 2); /* the poolset file and a part */
        for (Path f : files)
            assertEquals(f.toString(), "rw-r-----",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
}
