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
     * The writer the kill test runs in a JVM of its own, without
     * PMEM_IS_PMEM_FORCE (so the disk file is not taken for pmem): opens
     * the pool process-durable and puts key i -> i from `start`, printing
     * each key once the put returned.
     */
    public static void main(String[] args) throws Exception {
        try (Pool pool = Pool.open(args[0], PoolFlag.PROCESS_DURABLE)) {
            PersistentMap root = pool.root();
            for (long i = Long.parseLong(args[1]);; i++) {
                root.put(i, i);
                System.out.println(i);
                System.out.flush();
            }
        }
    }

    @Test
    public void processDurableLosesNothingAcknowledgedWhenKilled() throws Exception {
        String path = new File(disk.getRoot(), "killed.pool").getPath();
        Pool.create(path, PoolOptions.fixed(Pool.MIN_SIZE).processDurable()).close();
        String java = ProcessHandle.current().info().command().orElse("java");
        long next = 0;
        for (int round = 0; round < 3; round++) {
            ProcessBuilder pb = new ProcessBuilder(java,
                    "-Dpmemkit.jni=" + System.getProperty("pmemkit.jni"),
                    "-cp", System.getProperty("java.class.path"),
                    DurableTest.class.getName(), path, Long.toString(next));
            pb.environment().remove("PMEM_IS_PMEM_FORCE");
            pb.redirectErrorStream(true);
            Process p = pb.start();
            long acked = -1;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while (acked < next + 200 + 100 * round && (line = r.readLine()) != null) {
                    try {
                        acked = Long.parseLong(line);
                    } catch (NumberFormatException e) {
                        fail("the writer said: " + line);
                    }
                }
                p.destroyForcibly(); // SIGKILL
                p.waitFor();
            }
            assertTrue("the writer acknowledged nothing", acked >= next);
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
