package io.pmemkit.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.ClosedException;
import io.pmemkit.PersistentList;
import io.pmemkit.PersistentLog;
import io.pmemkit.PmemkitRuntimeException;
import io.pmemkit.Pool;
import io.pmemkit.RangeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class LogTest extends PoolFixture {
    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static void assertRecords(List<byte[]> want, Iterable<byte[]> got) {
        List<byte[]> g = new ArrayList<>();
        for (byte[] r : got)
            g.add(r);
        assertEquals(want.size(), g.size());
        for (int i = 0; i < want.size(); i++)
            assertArrayEquals("record " + i, want.get(i), g.get(i));
    }

    @Test
    public void recordsOfAnyContentComeBackInOrderAfterReopen() throws Exception {
        PersistentLog log = pool.newLog(List.of(new byte[0], new byte[] {'a', 0, 'b'}));
        root.put("log", log);
        log.append(b("xyz"));
        log.append(new byte[0]);
        assertEquals(4, log.length());
        assertEquals(4, log.size());
        assertEquals(6, log.nbytes());
        pool.close();
        pool = Pool.open(path);
        PersistentLog again = (PersistentLog) pool.root().get("log");
        assertRecords(List.of(new byte[0], new byte[] {'a', 0, 'b'}, b("xyz"), new byte[0]), again);
        assertEquals(4, again.toJava().size());
    }

    @Test
    public void appendAllIsOneAtomicUnit() throws Exception {
        PersistentLog log = pool.newLog();
        root.put("log", log);
        log.appendAll(b("a"), b("b"));
        log.appendAll(List.of(b("c")));
        log.appendAll(List.of());
        assertRecords(List.of(b("a"), b("b"), b("c")), log);
        // a bad record anywhere: nothing appended
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<byte[]> raw = (List) Arrays.asList(b("d"), "text");
        assertThrows(ClassCastException.class, () -> log.appendAll(raw));
        assertThrows(NullPointerException.class, () -> log.appendAll(Arrays.asList(b("d"), null)));
        assertEquals(3, log.length());
        // an aborted transaction takes its appends back
        assertThrows(IllegalStateException.class, () -> pool.transaction(() -> {
            log.append(b("e"));
            throw new IllegalStateException("abort");
        }));
        assertEquals(3, log.length());
    }

    @Test
    public void newLogWithRecordsIsAtomic() throws Exception {
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<byte[]> raw = (List) Arrays.asList(b("a"), 5L);
        long before = pool.stats().objects();
        assertThrows(ClassCastException.class, () -> pool.newLog(raw));
        assertEquals(before, pool.stats().objects());
    }

    @Test
    public void positionsResumeIteration() throws Exception {
        PersistentLog log = pool.newLog();
        root.put("log", log);
        log.appendAll(b("one"), b("two"));
        long mark = log.tell();
        log.appendAll(b("three"), b("four"));
        List<String> seen = new ArrayList<>();
        long third = -1;
        for (PersistentLog.Entry e : log.from(mark)) {
            seen.add(new String(e.record(), UTF_8));
            if (third < 0)
                third = e.position();
        }
        assertEquals(List.of("three", "four"), seen);
        assertEquals(mark, third);
        // from 0: every record; from tell(): only what comes later
        int n = 0;
        for (PersistentLog.Entry e : log.from(0))
            n++;
        assertEquals(4, n);
        Iterator<PersistentLog.Entry> later = log.from(log.tell()).iterator();
        log.append(b("five"));
        assertArrayEquals(b("five"), later.next().record());
        assertFalse(later.hasNext());
        assertThrows(RangeException.class, () -> log.from(mark + 1));
        assertThrows(RangeException.class, () -> log.from(1L << 40));
        assertThrows(RangeException.class, () -> log.from(-1));
    }

    @Test
    public void threadsAppendTogetherAndNoRecordIsLost() throws Exception {
        PersistentLog log = pool.newLog();
        root.put("log", log);
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++)
                        log.append(new byte[] {(byte) id, (byte) i});
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts)
            t.join();
        assertEquals(800, log.length());
        int[] next = new int[ts.length];
        for (byte[] r : log)
            assertEquals("thread " + r[0] + "'s records in order", (byte) next[r[0]]++, r[1]);
    }

    @Test
    public void clearEmptiesAndStopsIterators() throws Exception {
        PersistentLog log = pool.newLog(List.of(b("a"), b("b")));
        root.put("log", log);
        Iterator<byte[]> it = log.iterator();
        it.next();
        log.clear();
        assertThrows(ConcurrentModificationException.class, it::next);
        assertEquals(0, log.length());
        assertEquals(0, log.nbytes());
        assertFalse(log.iterator().hasNext());
        log.append(b("c"));
        assertRecords(List.of(b("c")), log);
    }

    @Test
    public void nestsInMapsAndListsAndCopiesPlainly() throws Exception {
        PersistentLog log = pool.newLog(List.of(b("x")));
        root.put("m", Map.of("inner", List.of(1L)));
        PersistentList l = pool.newList();
        root.put("l", l);
        l.add(log);
        root.getMap("m").put("log", log);
        assertTrue(l.get(0) instanceof PersistentLog);
        assertTrue(root.getMap("m").get("log") instanceof PersistentLog);
        // what a put returns for a replaced log is a plain copy of its records
        Object old = root.getMap("m").put("log", 1L);
        assertTrue(old instanceof List);
        assertArrayEquals(b("x"), (byte[]) ((List<?>) old).get(0));
        assertTrue(log.toString().contains("1 records"));
        root.put("log", log);
        assertEquals(1, root.get("log", PersistentLog.class).length());
        assertThrows(IllegalArgumentException.class, () -> root.asMap(String.class, PersistentLog.class));
    }

    @Test
    public void refusesWhatIsNotBytesAndUseAfterClose() throws Exception {
        PersistentLog log = pool.newLog();
        root.put("log", log);
        assertThrows(NullPointerException.class, () -> log.append(null));
        Pool other = Pool.create(pools.path("other"), Pool.DEFAULT_SIZE);
        try {
            PersistentLog foreign = other.newLog();
            assertThrows(IllegalArgumentException.class, () -> root.put("foreign", foreign));
        } finally {
            other.close();
        }
        pool.close();
        assertThrows(ClosedException.class, () -> log.append(b("late")));
        assertThrows(ClosedException.class, log::length);
        assertThrows(PmemkitRuntimeException.class, log::iterator);
        assertEquals("PersistentLog[closed]", log.toString());
        pool = Pool.open(path);
        assertEquals(0, ((PersistentLog) pool.root().get("log")).length());
    }
}
