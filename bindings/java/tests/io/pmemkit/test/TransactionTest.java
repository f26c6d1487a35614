package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pmemkit.OutOfSpaceException;
import io.pmemkit.Pool;
import io.pmemkit.TransactionException;
import java.io.IOException;
import java.util.List;
import org.junit.Test;

public class TransactionTest extends PoolFixture {
    @Override
    protected long poolSize() {
        return Pool.MIN_SIZE;
    }

    @Test
    public void commitsAtTheEnd() throws Exception {
        pool.transaction(() -> {
            root.put("a", 1L);
            root.put("b", List.of(2L));
            assertEquals(1, pool.transactionDepth());
        });
        assertEquals(0, pool.transactionDepth());
        pool.close();
        pool = Pool.open(path);
        root = pool.root();
        assertEquals(1L, root.get("a"));
        assertEquals(List.of(2L), root.get("b"));
    }

    @Test
    public void aCheckedExceptionAbortsAndPropagates() throws Exception {
        root.put("kept", "before");
        IOException thrown = new IOException("disk on fire");
        IOException e = assertThrows(IOException.class, () -> pool.transaction(() -> {
            root.put("kept", "changed");
            root.put("new", 1L);
            pool.newList().add("x");
            throw thrown;
        }));
        assertSame(thrown, e);
        assertEquals("before", root.get("kept"));
        assertFalse(root.containsKey("new"));
        assertEquals(0, pool.transactionDepth());
        assertTrue(pool.check().ok());
    }

    @Test
    public void anUncheckedExceptionAbortsAndPropagates() throws Exception {
        assertThrows(IllegalStateException.class, () -> pool.transaction(() -> {
            root.put("x", 1L);
            throw new IllegalStateException();
        }));
        assertTrue(root.isEmpty());
        TransactionException e = assertThrows(TransactionException.class,
                () -> pool.transaction(() -> {
                    root.put("y", 1L);
                    pool.close(); // aborts the transaction, and says so
                }));
        assertTrue(pool.isClosed());
        assertEquals("PK_EABORTED", e.codeName());
        pool = Pool.open(path);
        assertTrue(pool.root().isEmpty());
    }

    @Test
    public void nestedLevelsAreFlat() throws Exception {
        assertThrows(RuntimeException.class, () -> pool.transaction(() -> {
            root.put("outer", 1L);
            pool.transaction(() -> root.put("inner", 2L));
            assertEquals(1, pool.transactionDepth());
            throw new RuntimeException("abort after the inner commit");
        }));
        assertTrue(root.isEmpty());
    }

    @Test
    public void beginCommitAbort() throws Exception {
        pool.begin();
        root.put("gone", 1L);
        pool.abort();
        assertTrue(root.isEmpty());
        pool.begin();
        pool.begin();
        root.put("kept", 1L);
        pool.commit();
        assertEquals(1, pool.transactionDepth());
        pool.commit();
        assertEquals(1L, root.get("kept"));
        assertThrows(TransactionException.class, pool::commit);
    }

    @Test
    public void aFailureInsideAbortsTheWholeTransaction() throws Exception {
        byte[] chunk = new byte[64 << 10];
        TransactionException e = assertThrows(TransactionException.class, () -> pool.transaction(() -> {
            root.put("first", 1L);
            try {
                for (int i = 0; ; i++)
                    root.putChecked(i, chunk);
            } catch (OutOfSpaceException expected) {
                // the transaction is aborted now: the commit reports it
            }
        }));
        assertEquals("PK_EABORTED", e.codeName());
        assertTrue(root.isEmpty());
        assertEquals(0, pool.transactionDepth());
        root.put("usable", "again");
    }
}
