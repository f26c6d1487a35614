package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.pmemkit.PersistentMap;
import io.pmemkit.Pool;
import io.pmemkit.PoolFlag;
import io.pmemkit.PoolOptions;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Process-durable pools on a disk file (not pmem): a SIGKILLed writer
 * loses nothing acknowledged; sync.
 */
public class DurableTest {
    @Rule
    public final TestPools pools = new TestPools();

    /* a disk file's directory: process-durable is for files that are not pmem */
    @Rule
    public final TemporaryFolder disk = new TemporaryFolder(new File("/var/tmp"));

    @Test
    public void processDurableOnADiskFileOpensWritesSyncs() throws Exception {
        String path = new File(disk.getRoot(), "durable.pool").getPath();
        try (Pool pool = Pool.create(path, PoolOptions.fixed(Pool.MIN_SIZE).processDurable())) {
            assertTrue(pool.options().has(PoolFlag.PROCESS_DURABLE));
            pool.root().put("k", "v");
            pool.sync();
        }
        try (Pool pool = Pool.open(path, PoolFlag.PROCESS_DURABLE)) {
            assertEquals("v", pool.root().get("k"));
            pool.root().put("k2", List.of(1, 2));
            pool.sync();
        }
        try (Pool pool = Pool.open(path)) {
            assertEquals("v", pool.root().get("k"));
            assertEquals(List.of(1L, 2L), pool.root().get("k2"));
            pool.sync(); // a no-op in the default mode
        }
    }

    /*
     * The writer the kill tests run in a JVM of their own: opens the pool
     * with the flags named after the first key (PoolFlag.forOption), and
     * puts key i -> i from `start`, printing each key once the put
     * returned.
     */
    public static void main(String[] args) throws Exception {
        PoolOptions o = PoolOptions.defaults();
        for (int i = 2; i < args.length; i++)
            o = o.flag(PoolFlag.forOption(args[i]), true);
        try (Pool pool = Pool.open(args[0], o)) {
            PersistentMap root = pool.root();
            for (long i = Long.parseLong(args[1]);; i++) {
                root.put(i, i);
                System.out.println(i);
                System.out.flush();
            }
        }
    }

    /*
     * Run the writer on `path` from key `start` with `flags`, and SIGKILL
     * it after `acks` keys acknowledged: the last key acknowledged. Without
     * PMEM_IS_PMEM_FORCE when `disk`, so that a disk file is not taken for
     * persistent memory.
     */
    static long killWriter(String path, long start, int acks, boolean disk, PoolFlag... flags)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java,
                "-Dpmemkit.jni=" + System.getProperty("pmemkit.jni"),
                "-cp", System.getProperty("java.class.path"),
                DurableTest.class.getName(), path, Long.toString(start)));
        for (PoolFlag f : flags)
            cmd.add(f.option());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (disk)
            pb.environment().remove("PMEM_IS_PMEM_FORCE");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        long acked = start - 1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acked < start + acks && (line = r.readLine()) != null) {
                try {
                    acked = Long.parseLong(line);
                } catch (NumberFormatException e) {
                    fail("the writer said: " + line);
                }
            }
        } finally {
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
        }
        assertTrue("the writer acknowledged nothing", acked >= start);
        return acked;
    }

    @Test
    public void processDurableLosesNothingAcknowledgedWhenKilled() throws Exception {
        String path = new File(disk.getRoot(), "killed.pool").getPath();
        Pool.create(path, PoolOptions.fixed(Pool.MIN_SIZE).processDurable()).close();
        long next = 0;
        for (int round = 0; round < 3; round++) {
            long acked = killWriter(path, next, 200 + 100 * round, true, PoolFlag.PROCESS_DURABLE);
            try (Pool pool = Pool.open(path, PoolFlag.PROCESS_DURABLE)) {
                PersistentMap root = pool.root();
                for (long i = 0; i <= acked; i++)
                    assertEquals("key " + i + " of round " + round, i, root.get(i));
                assertTrue(pool.check().ok());
                next = root.size();
            }
        }
    }
}
