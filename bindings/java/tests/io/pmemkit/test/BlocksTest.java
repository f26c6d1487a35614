package io.pmemkit.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.ClosedException;
import io.pmemkit.PersistentBlocks;
import io.pmemkit.PmemkitIOException;
import io.pmemkit.PmemkitRuntimeException;
import io.pmemkit.Pool;
import io.pmemkit.RangeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

public class BlocksTest extends PoolFixture {
    private static final int EIO = 5;

    private static byte[] block(int size, String prefix) {
        return Arrays.copyOf(prefix.getBytes(UTF_8), size);
    }

    @Test
    public void blocksReadWholeAndSurviveReopen() throws Exception {
        PersistentBlocks d = pool.newBlocks(512, 3);
        root.put("disk", d);
        assertEquals(512, d.blockSize());
        assertEquals(3, d.size());
        assertArrayEquals(new byte[512], d.get(2));
        byte[] old = d.set(1, "hello".getBytes(UTF_8));   // shorter: zero-filled
        assertArrayEquals(new byte[512], old);
        byte[] full = new byte[512];
        Arrays.fill(full, (byte) 7);
        d.write(2, full);
        d.write(0, new byte[0]);
        pool.close();
        pool = Pool.open(path);
        PersistentBlocks again = (PersistentBlocks) pool.root().get("disk");
        assertTrue(again.equals(List.of(new byte[512], block(512, "hello"), full)));
        assertArrayEquals(block(512, "hello"), again.read(1));
        assertEquals(3, again.toJava().size());
        assertEquals(512, pool.root().get("disk", PersistentBlocks.class).blockSize());
        assertThrows(IllegalArgumentException.class,
                () -> pool.root().asMap(String.class, PersistentBlocks.class));
    }

    @Test
    public void blockSizesAndCounts() throws Exception {
        assertEquals(65536, pool.newBlocks(65536, 1).get(0).length);
        assertEquals(0, pool.newBlocks(512, 0).size());
        assertThrows(IllegalArgumentException.class, () -> pool.newBlocks(511, 1));
        assertThrows(IllegalArgumentException.class, () -> pool.newBlocks(65537, 1));
        assertThrows(IllegalArgumentException.class, () -> pool.newBlocks(512, -1));
    }

    @Test
    public void dataLongerThanABlockIsRefusedAndNothingWritten() throws Exception {
        PersistentBlocks d = pool.newBlocks(512, 1);
        d.write(0, "keep".getBytes(UTF_8));
        assertThrows(IllegalArgumentException.class, () -> d.write(0, new byte[513]));
        assertThrows(IllegalArgumentException.class, () -> d.set(0, new byte[513]));
        assertThrows(IllegalArgumentException.class, () -> d.add(new byte[513]));
        assertThrows(NullPointerException.class, () -> d.set(0, null));
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Object> raw = (List) d;
        assertThrows(ClassCastException.class, () -> raw.set(0, "text"));
        assertArrayEquals(block(512, "keep"), d.get(0));
        assertEquals(1, d.size());
    }

    @Test
    public void indexesOutsideAreRefused() throws Exception {
        PersistentBlocks d = pool.newBlocks(512, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> d.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> d.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> d.set(-1, new byte[1]));
        assertThrows(IndexOutOfBoundsException.class, () -> d.set(2, new byte[1]));
        assertThrows(RangeException.class, () -> d.read(2));
        assertThrows(RangeException.class, () -> d.read(-3));
        assertThrows(RangeException.class, () -> d.read(Long.MIN_VALUE));
        assertThrows(RangeException.class, () -> d.write(5, new byte[1]));
        assertThrows(RangeException.class, () -> d.write(-3, new byte[1]));
        assertThrows(RangeException.class, () -> d.zero(2));
        assertThrows(RangeException.class, () -> d.setError(-3));
        // the checked methods count negative indexes from the end, as the lists' do
        d.write(-1, new byte[] {9});
        assertArrayEquals(block(512, "\u0009"), d.read(1));
        assertArrayEquals(d.read(1), d.read(-1));
        d.setError(-2);
        assertThrows(PmemkitIOException.class, () -> d.read(0));
        d.zero(-2);
        assertArrayEquals(new byte[512], d.read(-2));
        assertThrows(UnsupportedOperationException.class, () -> d.remove(0));
        assertThrows(UnsupportedOperationException.class, d::clear);
        assertThrows(UnsupportedOperationException.class, () -> d.add(0, new byte[1]));
        assertEquals(2, d.size());
    }

    @Test
    public void aBadBlockFailsWithEioUntilWrittenOrZeroed() throws Exception {
        PersistentBlocks d = pool.newBlocks(512, 3);
        root.put("disk", d);
        d.write(0, "a".getBytes(UTF_8));
        d.setError(0);
        d.setError(1);
        PmemkitIOException e = assertThrows(PmemkitIOException.class, () -> d.read(0));
        assertEquals(EIO, e.errno());
        assertEquals("EIO", e.codeName());
        PmemkitRuntimeException r = assertThrows(PmemkitRuntimeException.class, () -> d.get(1));
        assertEquals(EIO, r.getCause().code());
        assertThrows(PmemkitRuntimeException.class, () -> new ArrayList<>(d));
        assertNull(d.set(0, "b".getBytes(UTF_8)));   // written: good again
        assertArrayEquals(block(512, "b"), d.get(0));
        d.zero(1);
        assertArrayEquals(new byte[512], d.get(1));
        d.write(2, "c".getBytes(UTF_8));
        d.zero(2);
        assertArrayEquals(new byte[512], d.get(2));
    }

    @Test
    public void growAndAppend() throws Exception {
        PersistentBlocks d = pool.newBlocks(1024, 1);
        root.put("disk", d);
        d.grow(2);
        assertEquals(3, d.length());
        assertArrayEquals(new byte[1024], d.get(2));
        d.append("four".getBytes(UTF_8));
        assertTrue(d.add("five".getBytes(UTF_8)));
        d.add(5, "six".getBytes(UTF_8));
        assertEquals(6, d.size());
        assertArrayEquals(block(1024, "five"), d.get(4));
        assertThrows(IllegalArgumentException.class, () -> d.grow(-1));
        d.grow(0);
        // append in an aborted transaction: neither the block nor its data
        assertThrows(IllegalStateException.class, () -> pool.transaction(() -> {
            d.append("seven".getBytes(UTF_8));
            throw new IllegalStateException("abort");
        }));
        assertEquals(6, d.size());
        List<String> firsts = new ArrayList<>();
        for (byte[] b : d)
            firsts.add(new String(b, 0, 4, UTF_8).replace("\0", ""));
        assertEquals(List.of("", "", "", "four", "five", "six"), firsts);
    }

    @Test
    public void bulkChangesAreOneTransaction() throws Exception {
        PersistentBlocks d = pool.newBlocks(512, 0);
        root.put("disk", d);
        assertTrue(d.addAll(List.of("b".getBytes(UTF_8), "a".getBytes(UTF_8))));
        assertThrows(IllegalArgumentException.class,
                () -> d.addAll(List.of("c".getBytes(UTF_8), new byte[513])));
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Object> raw = (List) d;
        assertThrows(ClassCastException.class, () -> raw.addAll(List.of("c".getBytes(UTF_8), "text")));
        assertThrows(UnsupportedOperationException.class, () -> d.addAll(0, List.of(new byte[1])));
        assertEquals(2, d.size());
        d.sort(Arrays::compare);
        assertArrayEquals(block(512, "a"), d.get(0));
        d.replaceAll(x -> Arrays.copyOf(x, 1));
        assertArrayEquals(block(512, "b"), d.get(1));
        // a failure half way through: every block as it was
        assertThrows(IllegalArgumentException.class, () -> d.replaceAll(x -> {
            if (x[0] == 'b')
                throw new IllegalArgumentException("half way");
            return "z".getBytes(UTF_8);
        }));
        assertArrayEquals(block(512, "a"), d.get(0));
    }

    @Test
    public void equalityIsByContents() throws Exception {
        PersistentBlocks a = pool.newBlocks(512, 1), b = pool.newBlocks(512, 1);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        b.set(0, new byte[] {1});
        assertNotEquals(a, b);
        assertTrue(b.equals(List.of(block(512, "\u0001"))));
    }

    @Test
    public void useAfterCloseIsClosed() throws Exception {
        PersistentBlocks d = pool.newBlocks(512, 1);
        root.put("disk", d);
        pool.close();
        assertThrows(ClosedException.class, () -> d.read(0));
        assertThrows(ClosedException.class, () -> d.write(0, new byte[1]));
        assertThrows(PmemkitRuntimeException.class, () -> d.get(0));
        assertEquals("PersistentBlocks[closed]", d.toString());
        assertEquals(512, d.blockSize());
        pool = Pool.open(path);
    }
}
