package io.pmemkit.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.pmemkit.ElementType;
import io.pmemkit.PersistentArray;
import io.pmemkit.PersistentBlocks;
import io.pmemkit.PersistentClass;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentLog;
import io.pmemkit.PersistentMap;
import io.pmemkit.PersistentObject;
import io.pmemkit.PersistentSet;
import io.pmemkit.PmemkitIOException;
import io.pmemkit.Pool;
import io.pmemkit.PoolFlag;
import io.pmemkit.PoolOptions;
import io.pmemkit.ReadOnlyException;
import io.pmemkit.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;

/**
 * Pools open read-only: every read works, every write throws
 * ReadOnlyException (UnsupportedOperationException from the java.util
 * methods) and the file is never written.
 */
public class ReadOnlyTest {
    @Rule
    public final TestPools pools = new TestPools();

    @PersistentClass("Point")
    public static final class Point extends PersistentObject {
    }

    private static String sha256(String path) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(Files.readAllBytes(Path.of(path)));
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    /* a pool with one container of every kind */
    private static void fill(Pool pool) throws Exception {
        pool.register(Point.class);
        PersistentMap root = pool.root();
        root.put("name", "pool");
        root.put("n", 42);
        root.put(Tuple.of(1, "a"), "tuple key");
        root.put("map", Map.of("x", 1, "y", List.of(1, 2)));
        root.put("list", List.of("a", "b", "c"));
        root.put("array", new long[] {1, 2, 3});
        root.put("log", pool.newLog(List.of("one".getBytes(StandardCharsets.UTF_8),
                "two".getBytes(StandardCharsets.UTF_8))));
        PersistentBlocks blocks = pool.newBlocks(512, 2);
        blocks.write(0, "block".getBytes(StandardCharsets.UTF_8));
        root.put("blocks", blocks);
        root.put("set", Set.of("s", 7));
        Point p = pool.newObject(Point.class);
        p.set("x", 1);
        root.put("point", p);
    }

    private interface Write {
        void run() throws Exception;
    }

    /* a checked method: ReadOnlyException, with its message */
    private static void refused(String what, Write w) {
        try {
            w.run();
            fail(what + " did not throw on a read-only pool");
        } catch (ReadOnlyException e) {
            assertEquals(what, "PK_EREADONLY", e.codeName());
            assertTrue(what + ": " + e.getMessage(), e.getMessage().contains("read-only"));
        } catch (Exception e) {
            throw new AssertionError(what + " threw " + e, e);
        }
    }

    /* a java.util method: UnsupportedOperationException caused by ReadOnlyException */
    private static void refusedUnchecked(String what, Write w) {
        try {
            w.run();
            fail(what + " did not throw on a read-only pool");
        } catch (UnsupportedOperationException e) {
            assertTrue(what + " threw " + e, e.getCause() instanceof ReadOnlyException);
            assertTrue(what + ": " + e.getMessage(), e.getMessage().contains("read-only"));
        } catch (Exception e) {
            throw new AssertionError(what + " threw " + e, e);
        }
    }

    @Test
    public void aReadOnlyPoolReadsEverythingAndRefusesEveryWrite() throws Exception {
        String path = pools.path("ro");
        try (Pool pool = Pool.create(path, Pool.MIN_SIZE)) {
            fill(pool);
        }
        String before = sha256(path);
        try (Pool pool = Pool.open(path, PoolFlag.READONLY)) {
            assertTrue(pool.isReadOnly());
            pool.register(Point.class);
            PersistentMap root = pool.root();
            // reads and iteration
            assertEquals(10, root.size());
            assertEquals("pool", root.get("name"));
            assertEquals(42L, root.get("n"));
            assertEquals("tuple key", root.get(Tuple.of(1L, "a")));
            PersistentMap map = root.getMap("map");
            assertEquals(Map.of("x", 1L, "y", List.of(1L, 2L)), map.toJava());
            PersistentList list = root.getList("list");
            assertEquals(List.of("a", "b", "c"), new ArrayList<>(list));
            PersistentArray array = (PersistentArray) root.get("array");
            assertArrayEquals(new long[] {1, 2, 3}, array.toLongArray());
            PersistentLog log = (PersistentLog) root.get("log");
            List<String> records = new ArrayList<>();
            for (byte[] r : log)
                records.add(new String(r, StandardCharsets.UTF_8));
            assertEquals(List.of("one", "two"), records);
            PersistentBlocks blocks = (PersistentBlocks) root.get("blocks");
            assertEquals("block", new String(blocks.get(0), 0, 5, StandardCharsets.UTF_8));
            PersistentSet set = root.getSet("set");
            assertEquals(Set.of("s", 7L), new HashSet<>(set));
            Point p = (Point) root.get("point");
            assertEquals(1L, p.getLong("x"));
            Set<Object> keys = new HashSet<>();
            for (Map.Entry<Object, Object> e : root.entrySet())
                keys.add(e.getKey());
            assertEquals(root.size(), keys.size());
            assertTrue(pool.check().ok());
            assertNotNull(pool.stats());

            // the checked methods
            refused("putChecked", () -> root.putChecked("k", 1));
            refused("removeChecked", () -> root.removeChecked("name"));
            refused("list appendChecked", () -> list.appendChecked("d"));
            refused("list insertChecked", () -> list.insertChecked(0, "d"));
            refused("list setChecked", () -> list.setChecked(0, "d"));
            refused("list removeChecked", () -> list.removeChecked(0));
            refused("array setLong", () -> array.setLong(0, 9));
            refused("array write", () -> array.write(0, new long[] {9}));
            refused("array resize", () -> array.resize(10));
            refused("log append", () -> log.append(new byte[] {1}));
            refused("log appendAll", () -> log.appendAll(new byte[] {1}, new byte[] {2}));
            refused("log clear", log::clear);
            refused("blocks write", () -> blocks.write(1, new byte[] {1}));
            refused("blocks zero", () -> blocks.zero(0));
            refused("blocks setError", () -> blocks.setError(0));
            refused("blocks grow", () -> blocks.grow(1));
            refused("record setChecked", () -> p.setChecked("x", 2));
            refused("record removeChecked", () -> p.removeChecked("x"));
            refused("newMap", pool::newMap);
            refused("newList", pool::newList);
            refused("newArray", () -> pool.newArray(ElementType.I64, 3));
            refused("newLog", pool::newLog);
            refused("newBlocks", () -> pool.newBlocks(512, 1));
            refused("newSet", pool::newSet);
            refused("newObject", () -> pool.newObject(Point.class));
            refused("newRecord", () -> pool.newRecord("Other"));
            refused("gc", pool::gc);
            refused("sync", pool::sync);
            refused("defrag", pool::defrag);
            refused("a transaction that writes", () -> pool.transaction(() -> root.putChecked("t", 1)));
            refused("a transaction (for writing)", () -> pool.transaction(() -> root.get("n")));
            refused("begin", pool::begin);
            assertEquals(0, pool.transactionDepth());

            // the java.util methods
            refusedUnchecked("put", () -> root.put("k", 1));
            refusedUnchecked("put of a new container", () -> root.put("k", List.of(1)));
            refusedUnchecked("remove", () -> root.remove("name"));
            refusedUnchecked("clear", root::clear);
            refusedUnchecked("putAll", () -> root.putAll(Map.of("a", 1, "b", 2)));
            refusedUnchecked("putIfAbsent", () -> root.putIfAbsent("new", 1));
            refusedUnchecked("computeIfAbsent", () -> root.computeIfAbsent("new", k -> new ArrayList<>()));
            refusedUnchecked("merge", () -> root.merge("n", 1, (a, b) -> (Long) a + (Integer) b));
            refusedUnchecked("replace", () -> root.replace("n", 1));
            refusedUnchecked("keySet().remove", () -> root.keySet().remove("name"));
            refusedUnchecked("entrySet().removeIf", () -> root.entrySet().removeIf(e -> true));
            refusedUnchecked("iterator().remove", () -> {
                Iterator<Object> it = root.keySet().iterator();
                it.next();
                it.remove();
            });
            refusedUnchecked("entry setValue", () -> root.entrySet().iterator().next().setValue(0));
            refusedUnchecked("typed view put", () -> map.asMap(String.class, Integer.class).put("z", 1));
            refusedUnchecked("list add", () -> list.add("d"));
            refusedUnchecked("list add(i)", () -> list.add(0, "d"));
            refusedUnchecked("list set", () -> list.set(0, "d"));
            refusedUnchecked("list remove(i)", () -> list.remove(0));
            refusedUnchecked("list remove(o)", () -> list.remove("a"));
            refusedUnchecked("list addAll", () -> list.addAll(List.of("d", "e")));
            refusedUnchecked("list clear", list::clear);
            refusedUnchecked("list sort", () -> list.sort(null));
            refusedUnchecked("array set", () -> array.set(0, 9L));
            refusedUnchecked("blocks set", () -> blocks.set(0, new byte[] {1}));
            refusedUnchecked("blocks add", () -> blocks.add(new byte[] {1}));
            refusedUnchecked("set add", () -> set.add("t"));
            refusedUnchecked("set remove", () -> set.remove("s"));
            refusedUnchecked("set clear", set::clear);
            refusedUnchecked("set addAll", () -> set.addAll(List.of("u", "v")));
            refusedUnchecked("record set", () -> p.set("x", 3));
            refusedUnchecked("record remove", () -> p.remove("x"));
            // as Collections.unmodifiableMap's: even when nothing would change
            refusedUnchecked("remove of a missing key", () -> root.remove("absent"));
            refusedUnchecked("list remove of a missing element", () -> list.remove("absent"));
            refusedUnchecked("set remove of a missing element", () -> set.remove("absent"));
            refusedUnchecked("replace of a missing key", () -> root.replace("absent", 1));
            assertEquals(42L, root.computeIfAbsent("n", k -> 0L)); // present: a read

            // nothing changed, as read
            assertEquals(10, root.size());
            assertEquals(List.of("a", "b", "c"), new ArrayList<>(list));
            assertEquals(1L, p.getLong("x"));
        }
        assertEquals("the file's bytes", before, sha256(path));
        // and read-write again, as it was
        try (Pool pool = Pool.open(path)) {
            assertFalse(pool.isReadOnly());
            pool.root().put("after", true);
            assertEquals(11, pool.root().size());
        }
    }

    @Test
    public void readOnlyByOptionsToo() throws Exception {
        String path = pools.path("ro2");
        try (Pool pool = Pool.create(path, Pool.MIN_SIZE)) {
            pool.root().put("k", "v");
        }
        try (Pool pool = Pool.open(Path.of(path), PoolOptions.of(Map.of("readonly", true)))) {
            assertTrue(pool.isReadOnly());
            assertEquals("v", pool.root().get("k"));
            refusedUnchecked("put", () -> pool.root().put("k", "w"));
        }
    }

    @Test
    public void aFileWithoutWritePermissionOpensReadOnlyOnly() throws Exception {
        String path = pools.path("r444");
        try (Pool pool = Pool.create(path, PoolOptions.fixed(Pool.MIN_SIZE).mode(0444))) {
            pool.root().put("k", "v");
        }
        String before = sha256(path);
        PmemkitIOException e = assertThrows(PmemkitIOException.class, () -> Pool.open(path));
        assertEquals("EACCES", e.codeName());
        try (Pool pool = Pool.open(path, PoolFlag.READONLY)) {
            assertEquals("v", pool.root().get("k"));
            refused("putChecked", () -> pool.root().putChecked("k", "w"));
        }
        assertEquals(before, sha256(path));
    }

    @Test
    public void aPoolLeftUncleanByAKilledWriterOpensReadOnlyUnchanged() throws Exception {
        String path = pools.path("unclean");
        Pool.create(path, Pool.MIN_SIZE).close();
        long acked = DurableTest.killWriter(path, 0, 300, false);
        String before = sha256(path);
        try (Pool pool = Pool.open(path, PoolFlag.READONLY)) {
            assertTrue(pool.stats().unclean());
            PersistentMap root = pool.root();
            for (long i = 0; i <= acked; i++)
                assertEquals("key " + i, i, root.get(i));
            refusedUnchecked("put", () -> root.put(-1L, 0L));
        }
        assertEquals("the file's bytes", before, sha256(path));
        try (Pool pool = Pool.open(path)) {           // recovered as after any crash
            assertTrue(pool.stats().unclean());
            assertEquals(acked, (long) pool.root().get(acked));
            assertTrue(pool.check().ok());
        }
    }

    @Test
    public void aReadOnlyOpenSharesThePoolWithNoOtherOpen() throws Exception {
        String path = pools.path("shared");
        try (Pool writer = Pool.create(path, Pool.MIN_SIZE)) {
            writer.root().put("k", "v");
            PmemkitIOException e = assertThrows(PmemkitIOException.class,
                    () -> Pool.open(path, PoolFlag.READONLY));
            assertEquals("EAGAIN", e.codeName());
        }
        try (Pool reader = Pool.open(path, PoolFlag.READONLY)) {
            assertEquals("v", reader.root().get("k"));
            PmemkitIOException e = assertThrows(PmemkitIOException.class, () -> Pool.open(path));
            assertEquals("EAGAIN", e.codeName());
        }
    }
}
