package io.pmemkit.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import io.pmemkit.PersistentArray;
import io.pmemkit.PersistentBlocks;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentLog;
import io.pmemkit.PersistentMap;
import io.pmemkit.PersistentSet;
import io.pmemkit.PersistentSortedMap;
import io.pmemkit.Pool;
import io.pmemkit.PoolFlag;
import io.pmemkit.PoolOptions;
import io.pmemkit.Region;
import io.pmemkit.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;

/**
 * Pools shared with the Python module: the runner passes the interpreter
 * (-Dpmemkit.python, empty when configure did not build the Python
 * module) and the in-tree module (-Dpmemkit.pythonpath).
 */
public class InteropTest {
    @Rule
    public final TestPools pools = new TestPools();

    private static String python(String script, String... args) throws Exception {
        String py = System.getProperty("pmemkit.python", "");
        assumeTrue("the Python module is not built", !py.isEmpty());
        List<String> cmd = new java.util.ArrayList<>(List.of(py, "-c", script));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", System.getProperty("pmemkit.pythonpath"));
        pb.environment().put("PMEM_IS_PMEM_FORCE", "1");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals("python said:\n" + text, 0, p.waitFor());
        return text.trim();
    }

    @Test
    public void sortedMapsAreSharedWithPython() throws Exception {
        String path = pools.path("sorted");
        python(String.join("\n",
                "import sys, pmemkit",
                "with pmemkit.Pool.create(sys.argv[1]) as pool:",
                "    pool.root['s'] = pool.new_sorted_map({'b': 1, 3: 'three', b'\\x01': [1], (1, 'a'): None, None: 0})"),
                path);
        try (Pool pool = Pool.open(path)) {
            PersistentSortedMap s = pool.root().getSortedMap("s");
            assertEquals(5, s.size());
            assertNull(s.firstKey());                   // null first, then numbers, bytes, text, tuples
            assertEquals(Tuple.of(1, "a"), s.lastKey());
            assertEquals(List.of(1L), s.get(new byte[] {1}));
            assertEquals("b", s.ceilingKey("a"));
            s.put(2, "two");
            s.headMap(3).pollFirstEntry();               // removes the null key
            pool.root().put("t", new java.util.TreeMap<>(Map.of("z", 26, "y", 25)));
        }
        assertEquals("[2, 3, b'\\x01', 'b', (1, 'a')] ['y', 'z'] SortedMap", python(String.join("\n",
                "import sys, pmemkit",
                "with pmemkit.Pool.open(sys.argv[1]) as pool:",
                "    s, t = pool.root['s'], pool.root['t']",
                "    print(list(s.keys()), list(t.keys()), type(t).__name__)"), path));
    }

    @Test
    public void aPoolWrittenByPythonReadsInJava() throws Exception {
        String path = pools.path("from-python");
        python(String.join("\n",
                "import array, sys, pmemkit",
                "with pmemkit.Pool.create(sys.argv[1]) as pool:",
                "    r = pool.root",
                "    r['none'] = None",
                "    r['flag'] = True",
                "    r['n'] = -7",
                "    r['big'] = 2**100",
                "    r['x'] = 1.25",
                "    r['s'] = 'h\\u00e9llo \\U0001F600'",
                "    r['b'] = b'\\x00\\xff'",
                "    r['list'] = [1, 'two', [3.0]]",
                "    r['tuple'] = (1, 2)",
                "    r['map'] = {'k': {'deep': 'v'}, 5: 'five'}",
                "    r['arr'] = array.array('d', [0.5, 1.5])",
                "    r['ints'] = array.array('H', [1, 65535])",
                "    r[3.5] = 'float key'"), path);
        try (Pool pool = Pool.open(path)) {
            PersistentMap r = pool.root();
            assertEquals(13, r.size());
            assertTrue(r.containsKey("none"));
            assertNull(r.get("none"));
            assertEquals(true, r.get("flag"));
            assertEquals(-7L, r.get("n"));
            assertEquals(BigInteger.TWO.pow(100), r.get("big"));
            assertEquals(1.25, r.get("x"));
            assertEquals("h\u00e9llo \uD83D\uDE00", r.get("s"));
            assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) r.get("b"));
            assertEquals(List.of(1L, "two", List.of(3.0)), r.get("list"));
            assertEquals(List.of(1L, 2L), r.get("tuple"));
            PersistentMap m = (PersistentMap) r.get("map");
            assertEquals("v", ((PersistentMap) m.get("k")).get("deep"));
            assertEquals("five", m.get(5));
            assertArrayEquals(new double[] {0.5, 1.5}, ((PersistentArray) r.get("arr")).toDoubleArray(), 0);
            assertArrayEquals(new long[] {1, 65535}, ((PersistentArray) r.get("ints")).toLongArray());
            assertEquals("float key", r.get(3.5));
            ((PersistentList) r.get("list")).add("from java");
        }
        assertEquals("[1, 'two', [3.0], 'from java']", python(String.join("\n",
                "import sys, pmemkit",
                "with pmemkit.Pool.open(sys.argv[1]) as pool:",
                "    print(pool.root['list'].to_python())"), path));
    }

    @Test
    public void aPoolWrittenByJavaReadsInPython() throws Exception {
        String path = pools.path("from-java");
        try (Pool pool = Pool.create(path, Pool.DEFAULT_SIZE)) {
            PersistentMap r = pool.root();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("title", "caf\u00e9 \uD83D\uDE00");
            doc.put("tags", List.of("a", "b"));
            doc.put("count", 3);
            r.put("doc", doc);
            r.put("none", null);
            r.put("neg", BigInteger.TWO.pow(70).negate());
            r.put("bytes", new byte[] {1, 2, 3});
            r.put("ratio", 0.1);
            r.put(42L, true);
            r.put("samples", new long[] {5, -6});
            r.put("floats", new float[] {0.5f});
        }
        String out = python(String.join("\n",
                "import sys, pmemkit",
                "with pmemkit.Pool.open(sys.argv[1]) as pool:",
                "    r = pool.root.to_python()",
                "    assert r['doc'] == {'title': 'caf\\u00e9 \\U0001F600', 'tags': ['a', 'b'], 'count': 3}, r",
                "    assert r['none'] is None and r['neg'] == -2**70 and r['bytes'] == b'\\x01\\x02\\x03'",
                "    assert r['ratio'] == 0.1 and r[42] is True",
                "    assert r['samples'].typecode == 'q' and list(r['samples']) == [5, -6], r['samples']",
                "    assert r['floats'].typecode == 'f' and list(r['floats']) == [0.5]",
                "    assert pool.check()['ok']",
                "    print(len(r))"), path);
        assertEquals("8", out);
    }

    @Test
    public void logsBlocksAndRegionsAreSharedWithPython() throws Exception {
        String path = pools.path("seed");
        String raw = pools.path("raw");
        try (Pool pool = Pool.create(path, Pool.DEFAULT_SIZE); Region region = Region.create(raw, 4096)) {
            PersistentMap r = pool.root();
            r.put("log", pool.newLog(List.of(new byte[0], new byte[] {'a', 0, 'b'})));
            PersistentBlocks disk = pool.newBlocks(1024, 3);
            r.put("disk", disk);
            disk.set(0, "java".getBytes(StandardCharsets.UTF_8));
            disk.setError(2);
            region.buffer().put(8, "in place".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("ok", python(String.join("\n",
                "import errno, sys, pmemkit",
                "from pmemkit import pmem",
                "with pmemkit.Pool.open(sys.argv[1]) as pool:",
                "    log, disk = pool.root['log'], pool.root['disk']",
                "    assert list(log) == [b'', b'a\\0b'], list(log)",
                "    log.append(b'python')",
                "    assert disk.block_size == 1024 and len(disk) == 3",
                "    assert disk[0] == b'java' + bytes(1020) and disk[1] == bytes(1024)",
                "    try:",
                "        disk[2]",
                "        raise SystemExit('a bad block read')",
                "    except OSError as e:",
                "        assert e.errno == errno.EIO, e",
                "with pmem.map_file(sys.argv[2]) as r:",
                "    assert r.read_at(8, 8) == b'in place', r.read_at(0, 16)",
                "print('ok')"), path, raw));
        try (Pool pool = Pool.open(path)) {
            PersistentLog log = pool.root().get("log", PersistentLog.class);
            assertEquals(3, log.length());
            assertArrayEquals("python".getBytes(StandardCharsets.UTF_8), log.toJava().get(2));
        }
    }

    @Test
    public void setsAndFrozenSetsAreSharedWithPython() throws Exception {
        String path = pools.path("sets");
        python(String.join("\n",
                "import sys, pmemkit",
                "with pmemkit.Pool.create(sys.argv[1]) as pool:",
                "    pool.root['fs'] = frozenset({1, 'a', b'\\x07'})",
                "    pool.root['s'] = {2.5, None}"), path);
        try (Pool pool = Pool.open(path)) {
            PersistentMap r = pool.root();
            PersistentSet fs = r.getSet("fs");
            assertTrue(fs.isFrozen());
            assertEquals(3, fs.size());
            assertTrue(fs.contains(1) && fs.contains("a") && fs.contains(new byte[] {7}));
            org.junit.Assert.assertThrows(UnsupportedOperationException.class, () -> fs.add(2));
            PersistentSet s = r.getSet("s");
            assertTrue(!s.isFrozen() && s.contains(null) && s.contains(2.5f));
            s.add("java");
            r.put("js", Set.of(1, "x"));
            r.put("jfs", pool.newFrozenSet(List.of(3)));
        }
        assertEquals("ok", python(String.join("\n",
                "import sys, pmemkit",
                "with pmemkit.Pool.open(sys.argv[1]) as pool:",
                "    r = pool.root",
                "    assert r['fs'] == frozenset({1, 'a', b'\\x07'}), r['fs']",
                "    assert type(r['s']) is pmemkit.Set and r['s'] == {2.5, None, 'java'}, r['s']",
                "    assert type(r['js']) is pmemkit.Set and r['js'] == {1, 'x'}, r['js']",
                "    assert type(r['jfs']) is pmemkit.FrozenSet and r['jfs'] == {3}, r['jfs']",
                "    assert pool.check()['ok']",
                "print('ok')"), path));
    }

    @Test
    public void aGrowingPoolWithAReplicaMadeByJavaIsPythonsToo() throws Exception {
        java.io.File dir = pools.newFolder("kinds");
        String path = new java.io.File(dir, "g.pool").getPath();
        String replica = new java.io.File(dir, "g-replica").getPath();
        try (Pool pool = Pool.create(path, PoolOptions.growing().maxSize(1L << 30).replica(replica))) {
            pool.root().put("blobs", List.of(new byte[4 << 20], new byte[4 << 20], new byte[4 << 20]));
            pool.root().put("name", "grown");
        }
        String out = python(String.join("\n",
                "import sys, pmemkit",
                "with pmemkit.Pool.open(sys.argv[1]) as pool:",
                "    r = pool.root",
                "    assert r['name'] == 'grown' and [len(b) for b in r['blobs']] == [4 << 20] * 3",
                "    r['python'] = 'was here'",
                "    print(len(r))"), path);
        assertEquals("3", out);
        try (Pool pool = Pool.open(path, PoolFlag.READONLY)) {
            assertEquals("was here", pool.root().get("python"));
        }
    }
}
