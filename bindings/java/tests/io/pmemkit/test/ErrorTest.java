package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import io.pmemkit.NotFoundException;
import io.pmemkit.OutOfSpaceException;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentMap;
import io.pmemkit.PmemkitException;
import io.pmemkit.PmemkitIOException;
import io.pmemkit.PmemkitRuntimeException;
import io.pmemkit.Pool;
import io.pmemkit.PoolException;
import io.pmemkit.RangeException;
import io.pmemkit.StaleException;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;

public class ErrorTest {
    @Rule
    public final TestPools pools = new TestPools();

    @Test
    public void aMissingFileIsENOENT() {
        String path = new File(pools.getRoot(), "no/such/dir.pool").getPath();
        PmemkitIOException e = assertThrows(PmemkitIOException.class, () -> Pool.open(path));
        assertEquals("ENOENT", e.codeName());
        assertEquals(2, e.errno());
        assertEquals("OSError", e.errorClass());
        assertThrows(PmemkitIOException.class, () -> Pool.create(path));
    }

    @Test
    public void anExistingFileOrAnOpenPoolIsRefused() throws Exception {
        String path = pools.path("twice");
        try (Pool open = Pool.create(path, Pool.MIN_SIZE)) {
            assertTrue(Pool.version(), !open.isClosed());
            assertEquals("EEXIST", assertThrows(PmemkitIOException.class,
                    () -> Pool.create(path, Pool.MIN_SIZE)).codeName());
            assertEquals("EAGAIN", assertThrows(PmemkitIOException.class,
                    () -> Pool.open(path)).codeName());
        }
    }

    @Test
    public void aFileThatIsNotAPool() throws Exception {
        File f = new File(pools.path("garbage"));
        try (FileOutputStream out = new FileOutputStream(f)) {
            byte[] junk = new byte[1 << 20];
            java.util.Arrays.fill(junk, (byte) 'x');
            for (int i = 0; i < 8; i++)
                out.write(junk);
        }
        PoolException e = assertThrows(PoolException.class, () -> Pool.open(f.getPath()));
        assertEquals("PK_ENOTPOOL", e.codeName());
        assertEquals("PoolError", e.errorClass());
    }

    @Test
    public void aPoolOfAnotherLayout() throws Exception {
        String path = pools.path("layout");
        Process p;
        try {
            p = new ProcessBuilder("pmempool", "create", "--layout", "not-pmemkit", "--size", "8M",
                    "obj", path).inheritIO().start();
        } catch (IOException noTool) {
            assumeTrue("pmempool (pmdk-tools) is not installed", false);
            return;
        }
        assertEquals(0, p.waitFor());
        PoolException e = assertThrows(PoolException.class, () -> Pool.open(path));
        assertEquals("PK_ELAYOUT", e.codeName());
    }

    @Test
    public void keyNotFoundAndIndexOutOfRange() throws Exception {
        try (Pool pool = Pool.create(pools.path("lookups"), Pool.MIN_SIZE)) {
            NotFoundException nf = assertThrows(NotFoundException.class, () -> pool.root().getChecked("nope"));
            assertEquals(PmemkitException.class, nf.getClass().getSuperclass());
            assertTrue(nf.getMessage(), nf.getMessage().startsWith("PK_NOTFOUND"));
            PersistentList l = pool.newList();
            RangeException r = assertThrows(RangeException.class, () -> l.getChecked(0));
            assertTrue(r.getMessage().startsWith("PK_ERANGE"));
            assertThrows(IndexOutOfBoundsException.class, () -> l.get(0));
        }
    }

    @Test
    public void outOfSpaceInASmallPool() throws Exception {
        try (Pool pool = Pool.create(pools.path("full"), Pool.MIN_SIZE)) {
            PersistentMap root = pool.root();
            byte[] chunk = new byte[100_000];
            OutOfSpaceException e = assertThrows(OutOfSpaceException.class, () -> {
                for (int i = 0; ; i++)
                    root.putChecked(i, chunk);
            });
            assertEquals("PK_ENOSPACE", e.codeName());
            assertTrue(root.size() > 0);
            root.clear();
            PmemkitRuntimeException u = assertThrows(PmemkitRuntimeException.class, () -> {
                for (int i = 0; ; i++)
                    root.put(i, chunk);
            });
            assertTrue(u.getCause() instanceof OutOfSpaceException);
            root.clear();
            root.put("room", "again");
            assertTrue(pool.check().ok());
        }
    }

    @Test
    public void aRemovedContainerIsStale() throws Exception {
        try (Pool pool = Pool.create(pools.path("stale"), Pool.MIN_SIZE)) {
            pool.root().put("m", java.util.Map.of("a", 1L));
            PersistentMap m = (PersistentMap) pool.root().get("m");
            pool.root().remove("m");
            StaleException e = assertThrows(StaleException.class, () -> m.getChecked("a"));
            assertEquals("PK_ESTALE", e.codeName());
        }
    }

    /*
     * Every class of the error table has its exception class, named after
     * it: the table (include/pmemkit_tables.h, -Dpmemkit.errors) is read
     * here independently of the generator.
     */
    @Test
    public void everyClassOfTheErrorTableHasAnException() throws Exception {
        String header = System.getProperty("pmemkit.errors");
        assumeTrue("-Dpmemkit.errors not set", header != null && !header.isEmpty());
        StringBuilder text = new StringBuilder();
        try (Reader r = new InputStreamReader(new java.io.FileInputStream(header), StandardCharsets.UTF_8)) {
            char[] buf = new char[8192];
            for (int n; (n = r.read(buf)) > 0; )
                text.append(buf, 0, n);
        }
        Matcher m = Pattern.compile("X\\((PK_\\w+),\\s*(-\\d+),\\s*(\\w+),").matcher(text);
        Set<String> classes = new LinkedHashSet<>();
        while (m.find())
            classes.add(m.group(3));
        assertTrue(classes.size() >= 10);
        for (String c : classes) {
            Class<?> k = Class.forName("io.pmemkit." + c.replaceFirst("Error$", "") + "Exception");
            assertTrue(c, PmemkitException.class.isAssignableFrom(k));
        }
    }

    @Test
    public void pmemkitIOExceptionIsAnIOException() {
        String path = new File(pools.getRoot(), "missing.pool").getPath();
        IOException e = assertThrows(IOException.class, () -> Pool.open(path));
        assertTrue(e instanceof PmemkitIOException);
        assertThrows(NullPointerException.class, () -> Pool.open((String) null));
        assertThrows(NullPointerException.class, () -> Pool.open((java.nio.file.Path) null));
        assertThrows(NullPointerException.class, () -> Pool.create((String) null));
    }

    /* the JDK's exceptions where a java.util collection throws them */
    @Test
    public void javaUtilMethodsThrowTheJdksExceptions() throws Exception {
        try (Pool pool = Pool.create(pools.path("jdk"), Pool.MIN_SIZE)) {
            PersistentMap root = pool.root();
            assertThrows(ClassCastException.class, () -> root.put("k", new Object()));
            assertThrows(ClassCastException.class, () -> root.put(List.of(), "container key"));
            io.pmemkit.PersistentArray a = pool.newArray(io.pmemkit.ElementType.I8, 2);
            IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> a.set(0, 300));
            assertTrue(range.getCause() instanceof RangeException);
            assertThrows(IndexOutOfBoundsException.class, () -> a.set(2, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> a.get(2));
            assertThrows(ClassCastException.class, () -> a.set(0, "text"));
            PersistentList l = pool.newList();
            assertThrows(IndexOutOfBoundsException.class, () -> l.set(0, "x"));
            assertThrows(IndexOutOfBoundsException.class, () -> l.subList(0, 1));
            assertEquals(List.of(0L, 0L), a);
        }
    }

    @Test
    public void toStringAfterCloseSaysClosed() throws Exception {
        Pool pool = Pool.create(pools.path("tostring"), Pool.MIN_SIZE);
        PersistentMap root = pool.root();
        root.put("l", List.of(1L));
        PersistentList l = (PersistentList) root.get("l");
        io.pmemkit.PersistentArray a = pool.newArray(new long[] {1});
        assertEquals("{l=[1]}", root.toString());
        assertEquals("[1]", l.toString());
        root.put("gone", List.of());
        PersistentList gone = (PersistentList) root.get("gone");
        root.remove("gone");
        assertEquals("PersistentList[stale]", gone.toString());
        pool.close();
        assertEquals("PersistentMap[closed]", root.toString());
        assertEquals("PersistentList[closed]", l.toString());
        assertEquals("PersistentArray[closed]", a.toString());
        assertTrue(pool.toString().endsWith(", closed]"));
    }
}
