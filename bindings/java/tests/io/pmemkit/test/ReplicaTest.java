package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.PersistentMap;
import io.pmemkit.PmemkitIOException;
import io.pmemkit.Pool;
import io.pmemkit.PoolException;
import io.pmemkit.PoolFlag;
import io.pmemkit.PoolOptions;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;

/**
 * Pools with a replica, and repair after damage to either copy.
 */
public class ReplicaTest {
    @Rule
    public final TestPools pools = new TestPools();

    /* the files of each replica of a poolset file: [0] the pool's, [1] the replica's */
    private static List<List<String>> poolsetParts(String path) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(path));
        assertEquals("a pool with a replica is a poolset file", "PMEMPOOLSET", lines.get(0).trim());
        List<List<String>> replicas = new ArrayList<>();
        replicas.add(new ArrayList<>());
        for (String l : lines.subList(1, lines.size())) {
            String t = l.trim();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("OPTION"))
                continue;
            if (t.startsWith("REPLICA")) {
                replicas.add(new ArrayList<>());
                continue;
            }
            String[] f = t.split("\\s+", 2);
            if (f.length == 2) {
                String part = f[1];
                if (!new File(part).isAbsolute())
                    part = new File(new File(path).getParentFile(), part).getPath();
                replicas.get(replicas.size() - 1).add(part);
            }
        }
        return replicas;
    }

    /* overwrite `n` bytes at `offset` of a file */
    private static void damage(String file, long offset, int n) throws IOException {
        byte[] junk = new byte[n];
        Arrays.fill(junk, (byte) 0x5a);
        try (RandomAccessFile f = new RandomAccessFile(file, "rw")) {
            f.seek(offset);
            f.write(junk);
        }
    }

    private static void assertAllThere(String path, int n) throws Exception {
        try (Pool pool = Pool.open(path)) {
            PersistentMap root = pool.root();
            assertEquals(n, root.size());
            for (int i = 0; i < n; i++)
                assertEquals("value " + i, root.get(i));
            assertTrue(pool.check().ok());
        }
    }

    @Test
    public void repairRebuildsADamagedReplicaAndThenADamagedPool() throws Exception {
        File dir = pools.newFolder("replicated");
        String path = new File(dir, "r.pool").getPath();
        String replica = new File(pools.newFolder("elsewhere"), "r-replica.pool").getPath();
        int n = 1000;
        try (Pool pool = Pool.create(path, PoolOptions.fixed(Pool.MIN_SIZE).replica(replica))) {
            for (int i = 0; i < n; i++)
                pool.root().put(i, "value " + i);
        }
        List<List<String>> parts = poolsetParts(path);
        assertEquals(2, parts.size());
        // the replica's copy damaged: its header and a run of its data
        for (String f : parts.get(1)) {
            damage(f, 0, 8192);
            damage(f, 1L << 20, 64 << 10);
        }
        Pool.repair(path);
        assertAllThere(path, n);
        // then the pool's own: what comes back is the replica's, rebuilt
        for (String f : parts.get(0))
            damage(f, 0, 8192);
        Pool.repair(Path.of(path));
        assertAllThere(path, n);
    }

    @Test
    public void repairOfAPoolWithoutReplicaIsRefused() throws Exception {
        String path = pools.path("single");
        Pool.create(path, Pool.MIN_SIZE).close();
        assertThrows(PoolException.class, () -> Pool.repair(path));
        PmemkitIOException e = assertThrows(PmemkitIOException.class,
                () -> Pool.repair(pools.path("missing")));
        assertEquals("ENOENT", e.codeName());
    }

    @Test
    public void aReplicaIsNotProcessDurableAndLeavesNoFile() throws Exception {
        File dir = pools.newFolder("pd");
        String path = new File(dir, "p.pool").getPath();
        String replica = new File(dir, "p-replica.pool").getPath();
        PmemkitIOException e = assertThrows(PmemkitIOException.class, () -> Pool.create(path,
                PoolOptions.fixed(Pool.MIN_SIZE).replica(replica).processDurable()));
        assertTrue(e.codeName(), e.codeName().equals("ENOTSUP") || e.codeName().equals("EOPNOTSUPP"));
        assertEquals(0, dir.list().length);
        try (Pool pool = Pool.create(path, PoolOptions.fixed(Pool.MIN_SIZE).replica(replica))) {
            pool.root().put("k", "v");
        }
        e = assertThrows(PmemkitIOException.class, () -> Pool.open(path, PoolFlag.PROCESS_DURABLE));
        assertTrue(e.codeName(), e.codeName().equals("ENOTSUP") || e.codeName().equals("EOPNOTSUPP"));
        try (Pool pool = Pool.open(path, PoolFlag.READONLY)) {
            assertEquals("v", pool.root().get("k"));
        }
    }

    @Test
    public void aDeletedReplicaIsRebuiltAndAnOpenPoolIsNotRepaired() throws Exception {
        File dir = pools.newFolder("deleted");
        String path = new File(dir, "d.pool").getPath();
        String replica = new File(dir, "d-replica.pool").getPath();
        int n = 100;
        try (Pool pool = Pool.create(path, PoolOptions.fixed(Pool.MIN_SIZE).replica(replica))) {
            for (int i = 0; i < n; i++)
                pool.root().put(i, "value " + i);
            PmemkitIOException e = assertThrows(PmemkitIOException.class, () -> Pool.repair(path));
            assertEquals("EAGAIN", e.codeName());
        }
        assertTrue(new File(replica).delete());
        Pool.repair(path);
        assertTrue(new File(replica).exists());
        assertAllThere(path, n);
    }
}
